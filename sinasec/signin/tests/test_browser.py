"""The sign-in pages in real Chromium under the strict Content-Security-Policy: the
enrolment page's QR code, the locks, the password pages; sign-in with a TOTP code."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinasec.conftest import PASSWORD, log_in
from sinasec.signin.tests.test_two_factor import _code
from sinasec.site.tests.test_csp_browser import WATCH_VIOLATIONS, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_the_sign_in_pages_show_with_no_csp_violation(page: Any, admin: User) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH_VIOLATIONS)
    for path in ("/cuentas/ingresar/", "/cuentas/clave/olvido/"):
        visit(page, path, errors)
    log_in(page, admin.username)
    for path in (
        "/cuentas/yo/",
        "/cuentas/doble-factor/",
        "/cuentas/bloqueos/",
        "/cuentas/clave/cambiar/",
    ):
        visit(page, path, errors)
    page.goto(page.base + "/cuentas/doble-factor/")
    assert page.locator("figure.qr svg").bounding_box()["width"] > 100


def test_an_enrolled_admin_signs_in_with_the_code(page: Any, admin: User) -> None:
    device = TOTPDevice.objects.create(user=admin, name="SINASEC", confirmed=True)
    page.goto(page.base + "/cuentas/ingresar/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#id_code")
    assert page.locator("[data-testid=who]").count() == 0
    page.fill("#id_code", _code(device))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("[data-testid=who]")
