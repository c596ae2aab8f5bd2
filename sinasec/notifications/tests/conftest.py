from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.institutions.models import Institution
from sinasec.plans.models import ActivityPart
from sinasec.plans.services import load_national_plan_2010


@pytest.fixture
def plan_2010(db: None) -> None:
    load_national_plan_2010()


@pytest.fixture
def pnp_part(plan_2010: None) -> ActivityPart:
    """Strategy 2, activity 7: 240 integrated operations, PNP / MP, 20 a month."""
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)


@pytest.fixture
def pnp() -> int:
    return Institution.objects.get(acronym="PNP").pk


@pytest.fixture
def mailed_focal_point(focal_point: User) -> User:
    focal_point.email = "pablo@pnp.gob.pe"
    focal_point.save()
    return focal_point
