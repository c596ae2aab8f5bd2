"""Issue 13's forms in Chromium, in the Spanish the user reads.

1. The Miraflores secretary's swearing-in with a future date comes back with the three
   members typed and the error beside the date (and summarised at the top, focused);
   the kind shows only its fields, member rows are added and removed by the page's
   script; corrected, the event is recorded with its three members.
2. The PNP focal point corrects a returned month from the report page: "Corregir" in
   the month's row opens the form with the month's values and the reason, and after
   saving the page comes back to that activity and month, naming both.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from sinasec.committees.models import Committee, CommitteeEvent
from sinasec.conftest import log_in
from sinasec.institutions.models import Institution
from sinasec.plans.execution.agenda import reporting_month
from sinasec.plans.execution.services import return_report, save_report, submit_report
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
# As Django's Spanish catalogue spells them (it says "septiembre", not Peru's "setiembre").
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
MESES += ["septiembre", "octubre", "noviembre", "diciembre"]
MEMBERS = [
    ("Ana Pérez", "PNP", "Comisaria"),
    ("Luis Soto", "GL", "Alcalde"),
    ("Eva Ramos", "MINSA", ""),
]
REASON = "Adjunte el acta de los operativos"


def _watch(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_a_future_swearing_in_keeps_the_three_members_and_marks_the_date(
    page: Any, secretary: User
) -> None:
    errors = _watch(page)
    log_in(page, secretary.username)
    committee = Committee.objects.get(level="district", ubigeo="150122")
    page.goto(page.base + f"/comites/{committee.pk}/")
    form = page.locator("[data-testid=event-form]")
    assert form.locator("[data-testid=members]").is_visible()  # a swearing-in by default
    assert not form.locator("[data-field=year]").is_visible()
    assert not form.locator("[data-field=person]").is_visible()
    assert not form.locator("button[value=campos]").is_visible()  # the script does it
    form.locator("select[name=kind]").select_option("plan")
    assert form.locator("[data-field=year]").is_visible()
    assert not form.locator("[data-testid=members]").is_visible()
    form.locator("select[name=kind]").select_option("sworn")

    rows = form.locator("tr[data-row]")
    assert rows.count() == 3
    form.locator("[data-add-row]").click()  # a fourth row, then removed again
    assert rows.count() == 4 and form.locator("input[name=member-TOTAL_FORMS]").input_value() == "4"
    rows.nth(3).locator("[data-remove-row]").click()
    assert not rows.nth(3).is_visible()
    assert rows.nth(3).locator("input[name=member-3-DELETE]").is_checked()

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    form.locator("input[name=date]").fill(tomorrow)
    form.locator("input[name=document]").fill("Acta 001-2026")
    for i, (name, institution, role) in enumerate(MEMBERS):
        form.locator(f"input[name=member-{i}-name]").fill(name)
        form.locator(f"select[name=member-{i}-institution]").select_option(institution)
        form.locator(f"input[name=member-{i}-role]").fill(role)
    with page.expect_navigation():
        form.locator("button.btn[type=submit]").click()

    summary = page.locator("[data-testid=error-summary]")
    assert "No se guardó el formulario" in summary.inner_text()
    page.wait_for_function(  # focused, so a screen reader reads it first
        "document.activeElement && document.activeElement.dataset.testid === 'error-summary'"
    )
    beside = page.locator("[data-field=date] [data-testid=field-error]")
    assert beside.inner_text() == "La fecha no puede ser futura."
    assert page.locator("input[name=date]").input_value() == tomorrow
    assert page.locator("input[name=date]").get_attribute("aria-invalid") == "true"
    for i, (name, institution, role) in enumerate(MEMBERS):
        assert page.locator(f"input[name=member-{i}-name]").input_value() == name
        assert page.locator(f"select[name=member-{i}-institution]").input_value() == institution
        assert page.locator(f"input[name=member-{i}-role]").input_value() == role
    assert page.locator("input[name=document]").input_value() == "Acta 001-2026"
    assert not CommitteeEvent.objects.exists()

    page.locator("input[name=date]").fill(date.today().isoformat())
    with page.expect_navigation():
        page.locator("[data-testid=event-form] button.btn[type=submit]").click()
    assert "Hecho registrado: Juramentación" in page.inner_text("ul.messages")
    event = CommitteeEvent.objects.get()
    assert [m.name for m in event.members.all()] == [name for name, _i, _r in MEMBERS]
    assert errors == []


def test_the_focal_point_corrects_a_returned_month_from_the_report_page(
    page: Any, focal_point: User, admin: User, national_plan: Plan
) -> None:
    errors = _watch(page)
    year, month = reporting_month(timezone.localdate())
    part = ActivityPart.objects.get(activity__strategy__plan=national_plan, activity__number=1)
    pnp = Institution.objects.get(acronym="PNP").pk
    saved = save_report(focal_point, part.pk, pnp, month, 3, "dos operativos", 0)
    submitted = submit_report(focal_point, saved.pk, saved.version)
    return_report(admin, saved.pk, REASON, submitted.version)
    name = f"{MESES[month - 1]} de {year}"

    log_in(page, focal_point.username)
    page.goto(page.base + f"/planes/{national_plan.pk}/reportar/")
    row = page.locator(f"#actividad-1\\.1-mes-{month}")
    assert row.locator("th").inner_text() == name.capitalize()
    assert REASON in row.inner_text() and "Devuelto" in row.inner_text()
    assert not re.search(r"Mes \d", page.inner_text("main"))  # months by name, never number
    row.locator("[data-testid=correct]").click()
    page.wait_for_url(re.compile(rf"/planes/{national_plan.pk}/reportar/\?corregir=\d+#corregir$"))
    form = page.locator("#corregir")
    assert f"Corregir {name}" in form.inner_text() and REASON in form.inner_text()
    assert form.locator("input[name=executed]").input_value() == "3"
    assert form.locator("input[name=comment]").input_value() == "dos operativos"
    assert form.locator("select[name=month]").input_value() == str(month)

    form.locator("input[name=executed]").fill("5")
    with page.expect_navigation():
        form.locator("button[name=submit]").click()
    assert page.url.endswith(f"/planes/{national_plan.pk}/reportar/#actividad-1.1-mes-{month}")
    said = page.inner_text("ul.messages")
    assert f"Actividad 1.1, {name}: enviado para aprobación." in said
    row = page.locator(f"#actividad-1\\.1-mes-{month}")
    assert row.locator("[data-status=submitted]").count() == 1
    assert row.evaluate("element => element.matches(':target')")
    report = ExecutionReport.objects.get()
    assert (report.status, report.executed, report.comment) == ("submitted", 5, "dos operativos")
    assert errors == []


def test_without_javascript_the_event_form_shows_the_kinds_fields_and_more_rows(
    browser: Any, live_server: Any, secretary: User
) -> None:
    context = browser.new_context(locale="es-PE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    log_in(page, secretary.username)
    committee = Committee.objects.get(level="district", ubigeo="150122")
    page.goto(page.base + f"/comites/{committee.pk}/")
    form = page.locator("[data-testid=event-form]")
    form.locator("input[name=document]").fill("Acta 002-2026")
    form.locator("input[name=member-0-name]").fill("Ana Pérez")
    with page.expect_navigation():
        form.locator("button[value=filas]").click()  # three more empty rows
    assert page.locator("tr[data-row]").count() == 4
    assert page.locator("input[name=member-0-name]").input_value() == "Ana Pérez"
    page.locator("select[name=kind]").select_option("plan")
    with page.expect_navigation():
        page.locator("button[value=campos]").click()
    assert page.locator("[data-field=year]").is_visible()
    assert not page.locator("[data-testid=members]").is_visible()
    assert page.locator("input[name=document]").input_value() == "Acta 002-2026"
    page.locator("input[name=year]").fill("2026")
    page.locator("input[name=date]").fill("2026-01-10")
    with page.expect_navigation():
        page.locator("[data-testid=event-form] button.btn[type=submit]").click()
    event = CommitteeEvent.objects.get()
    assert (event.kind, event.year, event.document) == ("plan", 2026, "Acta 002-2026")
    context.close()
