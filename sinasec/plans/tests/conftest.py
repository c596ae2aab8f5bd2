"""Fixtures the plan-template tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from sinasec.plans.models import Plan
from sinasec.plans.services import load_national_plan_2010


@pytest.fixture
def english() -> Iterator[None]:
    """The messages are asserted in English, whatever the Spanish catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def plan_2010() -> Plan:
    return load_national_plan_2010()
