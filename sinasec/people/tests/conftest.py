from __future__ import annotations

import pytest
from django.contrib.auth.models import User


@pytest.fixture
def callao_admin(regional_admin: User) -> User:
    """Regional administrator of Callao (region 07): the shared cast's ``regional_admin``."""
    return regional_admin
