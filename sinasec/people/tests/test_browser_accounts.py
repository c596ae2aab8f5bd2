"""In real Chromium: an administrator creates an account from the page; the new secretary
follows the invitation link, sets a password and is signed in; the link is then dead.
No page breaks the Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from sinasec.conftest import create_account_in_page, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_invited_secretary_activates_the_account_and_is_signed_in(
    page, browser, admin: User
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, admin.username)
    page.click("[data-testid=nav-accounts]")
    create_account_in_page(
        page, "Julia Rojas", "julia.rojas@munimiraflores.gob.pe", "committee_secretary", "150122"
    )
    row = "[data-username='julia.rojas@munimiraflores.gob.pe']"
    assert page.locator(f"{row} [data-testid=not-activated]").count() == 1
    [message] = mail.outbox
    link = re.search(r"/cuentas/activar/\S+/", str(message.body))
    assert link

    invited = browser.new_context(locale="es-PE").new_page()
    invited.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    invited.goto(page.base + link.group(0))
    invited.fill("input[name=new_password1]", "Miraflores-Segura-2026")
    invited.fill("input[name=new_password2]", "Miraflores-Segura-2026")
    with invited.expect_navigation():
        invited.click("[data-testid=activate-form] button[type=submit]")
    assert invited.inner_text("[data-testid=who]") == "Julia Rojas"
    invited.goto(page.base + link.group(0))
    assert invited.locator("[data-testid=invalid-link]").count() == 1
    assert User.objects.get(username="julia.rojas@munimiraflores.gob.pe").has_usable_password()
    assert errors == []
