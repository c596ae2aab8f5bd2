"""A focal point makes an API token in real Chromium, copies it once, and revokes it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.accounts.models import ApiToken
from sinasec.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_focal_point_creates_uses_and_revokes_a_token(page, focal_point: User) -> None:
    log_in(page, focal_point.username)
    page.goto(page.base + "/cuentas/yo/")
    page.click("[data-testid=tokens-link]")
    page.fill("[data-testid=token-form] input[name=name]", "Sistema de reportes PNP")
    page.click("[data-testid=token-form] button[type=submit]")
    secret = page.inner_text("[data-testid=secret] code")
    assert secret.startswith(ApiToken.objects.get(user=focal_point).prefix)
    me = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert me["username"] == focal_point.username
    page.goto(page.base + "/cuentas/tokens/")
    assert secret not in page.content()
    with page.expect_navigation():
        page.click("[data-testid=tokens] button[type=submit]")
    assert ApiToken.objects.get(user=focal_point).revoked_at is not None
    gone = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert gone["authenticated"] is False
