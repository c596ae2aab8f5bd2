"""The start page in Chromium: the focal point corrects a returned report from it, the
secretary records an event from "Mi comité", the approver opens the review page from
the queue. No console error, nothing blocked by the Content-Security-Policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from sinasec.conftest import log_in
from sinasec.institutions.models import Institution
from sinasec.plans.execution.agenda import reporting_month
from sinasec.plans.execution.services import return_report, save_report, submit_report
from sinasec.plans.models import ActivityPart, Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_it_leads_each_role_from_the_start_page_to_its_action(
    page: Any,
    browser: Any,
    focal_point: User,
    secretary: User,
    admin: User,
    national_plan: Plan,
    miraflores_plan: Plan,
) -> None:
    month = reporting_month(timezone.localdate())[1]
    part = ActivityPart.objects.get(activity__strategy__plan=national_plan, activity__number=1)
    pnp = Institution.objects.get(acronym="PNP").pk
    sent = save_report(focal_point, part.pk, pnp, month, 3)
    submit_report(focal_point, sent.pk)
    return_report(admin, sent.pk, "Adjunte el acta")
    errors = _errors(page)
    log_in(page, focal_point.username)
    page.goto(page.base + "/")
    row = page.locator("[data-testid=returned-row]")
    assert "Adjunte el acta" in row.inner_text()
    row.locator("a.btn").click()  # the report page, the returned month's form open
    page.wait_for_url(re.compile(rf"/planes/{national_plan.pk}/reportar/\?corregir=\d+"))

    secretary_page = browser.new_context(locale="es-PE").new_page()
    secretary_page.base = page.base
    errors += _errors(secretary_page)
    log_in(secretary_page, secretary.username)
    secretary_page.goto(page.base + "/")
    assert "Mi comité" in secretary_page.inner_text("[data-testid=my-committee]")
    secretary_page.click("[data-testid=record-button]")
    secretary_page.wait_for_selector("[data-testid=event-form]")

    submit_report(focal_point, save_report(focal_point, part.pk, pnp, month, 4).pk)
    approver = browser.new_context(locale="es-PE").new_page()
    approver.base = page.base
    errors += _errors(approver)
    log_in(approver, admin.username)
    approver.goto(page.base + "/")
    approver.click("[data-testid=queue-plan] a")
    approver.wait_for_selector("[data-testid=pending] tr[data-report]")
    assert errors == []
