"""After a conflict (someone saved the record since the page was opened), the page says
both versions and every field where the user's value differs from the saved one, and
its form holds what the user typed at the version now: saving it once more applies it.
The execution month, the barrio's data and an institution's contact."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from sinasec.barrios.models import Barrio
from sinasec.barrios.registry.services import update_barrio_details
from sinasec.conftest import login
from sinasec.institutions.models import Institution
from sinasec.institutions.services import update_institution_contact
from sinasec.plans.execution.services import save_report
from sinasec.plans.models import ExecutionReport
from sinasec.plans.services import load_national_plan_2010
from sinasec.plans.tests.test_hardening import institution, pnp_part

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def said(response: Any) -> list[str]:  # a test client's response
    return [str(m) for m in get_messages(response.wsgi_request)]


def value_of(page: str, name: str) -> str | None:
    """The value of the input ``name`` as the page renders it."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    found = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return found.group(1) if found else None


def test_a_barrio_form_refused_by_a_conflict_keeps_what_was_typed(
    client: Client, admin: User, analyst: User
) -> None:
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2024", status="targeted"
    )
    login(client, admin)
    assert value_of(client.get(f"/barrios/{barrio.pk}/").content.decode(), "version") == "1"
    update_barrio_details(
        admin,
        barrio.pk,
        name="Santa Cruz",
        articulator="",
        population=5200,
        goal_year=None,
        expected_version=1,
    )  # fmt: skip  (another administrator, meanwhile)
    typed = {"version": "1", "name": "Santa Cruz Baja", "articulator": "Ana", "population": "5400"}

    refused = client.post(f"/barrios/{barrio.pk}/datos/", typed, headers=EN)

    messages = said(refused)
    assert any("version 1" in m and "version 2" in m for m in messages)
    assert "Population: you typed “5400”; version 2 holds “5200”." in messages
    assert "Name: you typed “Santa Cruz Baja”; version 2 holds “Santa Cruz”." in messages
    barrio.refresh_from_db()
    assert (barrio.name, barrio.population, barrio.version) == ("Santa Cruz", 5200, 2)
    page = client.get(f"/barrios/{barrio.pk}/").content.decode()
    kept = {name: value_of(page, name) for name in typed}
    assert kept == {**typed, "version": "2"}  # the values typed, at the version now
    client.post(f"/barrios/{barrio.pk}/datos/", kept)  # one click: save again
    barrio.refresh_from_db()
    assert (barrio.name, barrio.population, barrio.version) == ("Santa Cruz Baja", 5400, 3)
    page = client.get(f"/barrios/{barrio.pk}/").content.decode()
    assert value_of(page, "articulator") == "Ana"  # shown once: now the saved values


def test_a_contact_form_refused_by_a_conflict_keeps_what_was_typed(
    client: Client, focal_point: User
) -> None:
    login(client, focal_point)
    url = "/instituciones/PNP/"
    assert value_of(client.get(url).content.decode(), "version") == "1"
    update_institution_contact(focal_point, "PNP", 1, phone="111")  # a colleague, meanwhile
    typed = {"version": "1", "phone": "222", "email": "mesa@pnp.gob.pe"}

    refused = client.post(f"{url}contacto/", typed, headers=EN)

    messages = said(refused)
    assert any("version 1" in m and "version 2" in m for m in messages)
    assert "Phone: you typed “222”; version 2 holds “111”." in messages
    assert Institution.objects.get(acronym="PNP").phone == "111"
    page = client.get(url).content.decode()
    kept = {name: value_of(page, name) for name in typed}
    assert kept == {**typed, "version": "2"}
    client.post(f"{url}contacto/", kept)
    pnp = Institution.objects.get(acronym="PNP")
    assert (pnp.phone, pnp.email, pnp.version) == ("222", "mesa@pnp.gob.pe", 3)


def test_a_month_refused_by_a_conflict_keeps_what_was_typed(
    client: Client, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    part, pnp = pnp_part(), institution("PNP")
    save_report(focal_point, part.pk, pnp, 1, 18, "", 0, plan_id=plan.pk)
    login(client, focal_point)
    opened = client.get(f"/planes/{plan.pk}/reportar/").content.decode()
    assert value_of(opened, f"version-{pnp}-1") == "1"
    save_report(focal_point, part.pk, pnp, 1, 19, "otro turno", 1, plan_id=plan.pk)
    typed = {"part": part.pk, "institution": pnp, "month": 1, "executed": 20, "comment": "ronda"}

    refused = client.post(
        f"/planes/{plan.pk}/reportar/guardar/", {**typed, f"version-{pnp}-1": 1}, headers=EN
    )

    messages = said(refused)
    assert any("version 1" in m and "version 2" in m for m in messages)
    assert "Executed: you typed “20”; version 2 holds “19”." in messages
    assert "Comment: you typed “ronda”; version 2 holds “otro turno”." in messages
    assert ExecutionReport.objects.get().executed == 19
    page = client.get(f"/planes/{plan.pk}/reportar/", headers=EN).content.decode()
    page = page[page.index('data-testid="kept"') :]  # the form of the part refused
    assert (value_of(page, "executed"), value_of(page, "comment")) == ("20", "ronda")
    assert value_of(page, f"version-{pnp}-1") == "2"
    assert re.search(r'<option value="1" selected>', page)
    client.post(f"/planes/{plan.pk}/reportar/guardar/", {**typed, f"version-{pnp}-1": 2})
    report = ExecutionReport.objects.get()
    assert (report.executed, report.comment, report.version) == (20, "ronda", 3)
