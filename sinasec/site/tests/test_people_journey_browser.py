"""Issue 12's two journeys in Chromium, each step checked in the Spanish the user reads.

1. The national administrator creates a district secretary; the invitation e-mail holds
   the activation link; the secretary sets a password, lands on "Mi comité" and records
   the committee's installation from there.
2. The PNP focal point's start page lists the month to report; they submit one from it;
   the approver finds it in the queue of their start page and returns it with a reason;
   the focal point is told (the bell, the list), corrects the month and submits it again.

The start page works on ``timezone.localdate()`` and the live server runs in another
thread, so "today" is not frozen: the plan is made for the month that just ended (the
one being reported today, as the start page computes it) rather than for January.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from sinasec.committees.models import CommitteeEvent, EventKind
from sinasec.conftest import create_account_in_page, log_in
from sinasec.plans.execution.agenda import reporting_month
from sinasec.plans.models import ExecutionReport, Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
# As Django's Spanish catalogue spells them (it says "septiembre", not Peru's "setiembre").
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
MESES += ["septiembre", "octubre", "noviembre", "diciembre"]
REASON = "Adjunte el acta de los operativos"


def _watch(page: Any, errors: list[str]) -> Any:
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15_000)
    return page


def _new_page(browser: Any, base: str, errors: list[str]) -> Any:
    page = _watch(browser.new_context(locale="es-PE").new_page(), errors)
    page.base = base
    return page


def test_an_invited_secretary_records_the_installation_from_my_committee(
    page: Any, browser: Any, admin: User
) -> None:
    errors: list[str] = []
    _watch(page, errors)
    log_in(page, admin.username)
    create_account_in_page(
        page, "Julia Rojas", "julia.rojas@munimiraflores.gob.pe", "committee_secretary", "150122"
    )
    row = "[data-username='julia.rojas@munimiraflores.gob.pe']"
    assert page.locator(f"{row} [data-testid=not-activated]").count() == 1
    [message] = mail.outbox
    assert message.to == ["julia.rojas@munimiraflores.gob.pe"]
    link = re.search(r"/cuentas/activar/\S+/", str(message.body))
    assert link, message.body
    path = link.group(0)

    julia = _new_page(browser, page.base, errors)
    julia.goto(julia.base + path)
    julia.fill("input[name=new_password1]", "Miraflores-Segura-2026")
    julia.fill("input[name=new_password2]", "Miraflores-Segura-2026")
    with julia.expect_navigation():
        julia.click("[data-testid=activate-form] button[type=submit]")
    assert julia.url == julia.base + "/"
    assert "Su cuenta está activa" in julia.inner_text("ul.messages")
    mine = julia.locator("[data-testid=my-committee]")
    assert "Mi comité" in mine.inner_text() and "Miraflores" in mine.inner_text()
    installed = mine.locator("tr[data-milestone=installed]")
    assert "Instalación" in installed.inner_text() and "falta" in installed.inner_text()

    assert julia.inner_text("[data-testid=record-button]") == "Registrar un hecho"
    julia.click("[data-testid=record-button]")
    event_form = "[data-testid=event-form]"
    julia.select_option(f"{event_form} select[name=kind]", "installed")
    julia.fill(f"{event_form} input[name=date]", "2026-01-15")
    julia.fill(f"{event_form} input[name=document]", "Acta de instalación 001-2026")
    julia.click(f"{event_form} button[type=submit]")
    timeline = julia.locator("[data-testid=timeline] [data-kind=installed]")
    assert "Instalación" in timeline.inner_text() and "Acta de instalación" in timeline.inner_text()

    julia.goto(julia.base + "/")
    installed = julia.locator("[data-testid=my-committee] tr[data-milestone=installed]")
    assert "falta" not in installed.inner_text()
    assert "15 de enero de 2026" in installed.inner_text()
    event = CommitteeEvent.objects.get(kind=EventKind.INSTALLED, committee__territory="150122")
    julia_account = User.objects.get(username="julia.rojas@munimiraflores.gob.pe")
    assert (event.date, event.recorded_by_id) == (date(2026, 1, 15), julia_account.pk)
    assert errors == []


def _send_month(page: Any, month: int, executed: str) -> None:
    form = page.locator("[data-activity='1.1'] form")
    form.locator("select[name=month]").select_option(str(month))
    form.locator("input[name=executed]").fill(executed)
    form.locator("button[name=submit]").click()
    page.wait_for_selector(f"[data-activity='1.1'] [data-month='{month}'][data-status=submitted]")


def test_a_focal_point_reports_is_returned_and_corrects_from_the_start_page(
    page: Any, browser: Any, focal_point: User, admin: User, national_plan: Plan
) -> None:
    errors: list[str] = []
    _watch(page, errors)
    year, month = reporting_month(timezone.localdate())
    log_in(page, focal_point.username)
    due = page.locator("[data-testid=due]")
    assert f"Por reportar de {MESES[month - 1]} de {year}" in due.inner_text()
    rows = due.locator("[data-testid=due-row]")
    assert rows.count() == 2  # activities 1 and 2 are the PNP's; 3 is MINSA's alone
    assert "Actividad 1" in rows.nth(0).inner_text() and "sin iniciar" in rows.nth(0).inner_text()
    page.click("[data-testid=report-button]")
    page.wait_for_url(f"**/planes/{national_plan.pk}/reportar/")
    _send_month(page, month, "3")

    approver = _new_page(browser, page.base, errors)
    log_in(approver, admin.username)
    queue = approver.locator("[data-testid=queue]")
    assert "1 reporte espera su decisión" in queue.inner_text()
    assert "PNP" in queue.locator("[data-testid=queue-row]").inner_text()
    approver.click("[data-testid=queue-plan] a")
    pending = approver.locator("[data-testid=pending] tr[data-report]")
    pending.locator("input[name=reason]").fill(REASON)
    pending.locator("button[value=return]").click()
    approver.wait_for_selector("[data-testid=pending] tr[data-report]", state="detached")
    assert "Devuelto" in approver.inner_text("main")

    page.goto(page.base + "/")
    assert page.inner_text("[data-testid=unread]") == "1"
    returned = page.locator("[data-testid=returned]")
    assert "1 reporte le fue devuelto" in returned.inner_text()
    assert REASON in returned.locator("[data-testid=returned-row]").inner_text()
    page.click("[data-testid=bell]")
    notice = page.locator("[data-testid=notification]")
    assert REASON in notice.inner_text() and "devuelto" in notice.inner_text()
    page.goto(page.base + "/")
    returned = page.locator("[data-testid=returned-row]")
    assert returned.locator("a.btn").inner_text() == "Corregir"
    returned.locator("a.btn").click()  # the report page, the returned month's form open
    page.wait_for_url(re.compile(rf"/planes/{national_plan.pk}/reportar/\?corregir=\d+"))
    assert REASON in page.inner_text(f"[data-activity='1.1'] [data-month='{month}']")
    _send_month(page, month, "5")

    page.goto(page.base + "/")
    assert page.locator("[data-testid=returned]").count() == 0
    approver.goto(approver.base + "/")
    assert "1 reporte espera su decisión" in approver.inner_text("[data-testid=queue]")
    report = ExecutionReport.objects.get(part__activity__strategy__plan=national_plan)
    assert (report.status, report.executed, report.month) == ("submitted", 5, month)
    assert errors == []
