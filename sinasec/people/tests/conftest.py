from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.accounts.models import Role
from sinasec.conftest import PASSWORD
from sinasec.people.services import ensure_user_with_role


@pytest.fixture
def callao_admin(db: None) -> User:
    """Regional administrator of Callao (region 07)."""
    user, _ = ensure_user_with_role(
        None, "carla.callao", Role.REGIONAL_ADMIN, password=PASSWORD, region="07"
    )
    return user
