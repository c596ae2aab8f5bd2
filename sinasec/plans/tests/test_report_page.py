"""The execution report page (issue 13, item 3): months named by the locale with what was
programmed and executed, a returned month's reason and its "Corregir" that opens the
form with the month's values, errors beside their field, and the page coming back to
the activity and month just saved."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from sinasec.conftest import login
from sinasec.institutions.models import Institution
from sinasec.plans.execution.forms import ReportForm
from sinasec.plans.execution.services import return_report, save_report, submit_report
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan

pytestmark = pytest.mark.django_db
REASON = "Adjunte las actas de los operativos"


def part_2_7() -> ActivityPart:
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)


def pnp() -> int:
    return Institution.objects.get(acronym="PNP").pk


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]


def returned_month(plan: Plan, focal_point: User, admin: User) -> ExecutionReport:
    saved = save_report(focal_point, part_2_7().pk, pnp(), 1, 18, "dos operativos", 0)
    submitted = submit_report(focal_point, saved.pk, saved.version, plan_id=plan.pk)
    return return_report(admin, saved.pk, REASON, submitted.version, plan_id=plan.pk)


def test_it_names_the_months_and_shows_programmed_and_executed(
    client: Client, focal_point: User, plan_2010: Plan
) -> None:
    save_report(focal_point, part_2_7().pk, pnp(), 1, 18, "", 0)
    login(client, focal_point)
    page = section(
        client.get(f"/planes/{plan_2010.pk}/reportar/").content.decode(), "actividad-2.7"
    )
    january = page[page.index('id="actividad-2.7-mes-1"') : page.index('id="actividad-2.7-mes-2"')]
    assert "Enero de 2010" in january and "Mes 1" not in january
    cells = re.findall(r'<td class="num[^"]*">\s*(?:<div>)?([^<]*)', january)
    programmed = part_2_7().programmed[0]
    assert cells[:2] == [str(programmed), "18"]
    assert '<option value="12">diciembre de 2010</option>' in page
    assert 'id="actividad-2.7-mes-12"' in page


def test_corregir_opens_the_returned_month_with_its_values_and_reason(
    client: Client, focal_point: User, admin: User, plan_2010: Plan
) -> None:
    report = returned_month(plan_2010, focal_point, admin)
    login(client, focal_point)
    page = client.get(f"/planes/{plan_2010.pk}/reportar/").content.decode()
    row = section(page, "actividad-2.7")
    assert REASON in row and f'href="?corregir={report.pk}#corregir"' in row
    opened = client.get(f"/planes/{plan_2010.pk}/reportar/?corregir={report.pk}").content.decode()
    form = opened[opened.index('id="corregir"') :]
    form = form[: form.index("</form>")]
    assert REASON in form and "Corregir enero de 2010" in form
    assert 'name="executed" value="18"' in form and 'value="dos operativos"' in form
    assert re.search(r'<option value="1" selected>enero de 2010</option>', form)
    assert f'name="version-{pnp()}-1" value="{report.version}"' in form


def test_it_comes_back_to_the_month_saved_naming_activity_and_month(
    client: Client, focal_point: User, admin: User, plan_2010: Plan
) -> None:
    report = returned_month(plan_2010, focal_point, admin)
    login(client, focal_point)
    data: dict[str, object] = {"part": part_2_7().pk, "institution": pnp(), "month": 1}
    data |= {"executed": 20}
    data |= {"comment": "con actas", f"version-{pnp()}-1": report.version, "submit": "1"}
    response = client.post(f"/planes/{plan_2010.pk}/reportar/guardar/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/planes/{plan_2010.pk}/reportar/#actividad-2.7-mes-1"
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["Actividad 2.7, enero de 2010: enviado para aprobación."]
    report.refresh_from_db()
    assert (report.status, report.executed, report.comment) == ("submitted", 20, "con actas")


def test_a_refused_month_keeps_what_was_typed_with_the_error_beside_its_field(
    client: Client, focal_point: User, plan_2010: Plan
) -> None:
    login(client, focal_point)
    data = {"part": part_2_7().pk, "institution": pnp(), "month": 3, "executed": "-4"}
    data["comment"] = "ronda nocturna"
    response = client.post(f"/planes/{plan_2010.pk}/reportar/guardar/", data)
    assert response.status_code == 200 and not ExecutionReport.objects.exists()
    page = response.content.decode()
    form = page[page.index('id="corregir"') : page.index("</form>", page.index('id="corregir"'))]
    assert 'data-testid="error-summary"' in form and 'href="#p' in form
    executed = form[form.index('data-field="executed"') :]
    executed = executed[: executed.index("</p>")]
    assert 'value="-4"' in executed and 'data-testid="field-error"' in executed
    assert 'value="ronda nocturna"' in form
    assert re.search(r'<option value="3" selected>marzo de 2010</option>', form)


def test_the_form_offers_only_the_institutions_reported_for_and_named_months(
    plan_2010: Plan,
) -> None:
    form = ReportForm(part=part_2_7(), year=2010, institutions=[(pnp(), "PNP")])
    assert list(form.fields["institution"].choices) == [(pnp(), "PNP")]  # type: ignore[attr-defined]
    bad = ReportForm(
        {"part": part_2_7().pk, "institution": 999999, "month": 13, "executed": "x"},
        part=part_2_7(),
        year=2010,
        institutions=[(pnp(), "PNP")],
    )
    assert not bad.is_valid() and set(bad.errors) == {"institution", "month", "executed"}


def test_it_names_months_in_the_language_of_the_request() -> None:
    from django.utils import translation

    from sinasec.plans.execution.forms import month_name

    with translation.override("es"):
        assert month_name(2010, 1) == "enero de 2010"
    with translation.override("en"):  # remembered per language, never across them
        assert month_name(2010, 1) == "January 2010"
    with translation.override("es"):
        assert month_name(2010, 12) == "diciembre de 2010"


def test_the_blank_form_kept_per_process_follows_language_and_acronyms(
    client: Client, focal_point: User, plan_2010: Plan
) -> None:
    from django.utils import translation

    from sinasec.plans.execution.forms import blank_form_html, form_html

    part = part_2_7()
    with translation.override("en"):
        english = blank_form_html(part, 2010, [(pnp(), "PNP")], 3)
        fresh = ReportForm(
            initial={"month": 3}, part=part, year=2010, institutions=[(pnp(), "PNP")]
        )
        assert english == form_html(fresh)
    assert '<option value="3" selected>March 2010</option>' in english.fields
    login(client, focal_point)
    url = f"/planes/{plan_2010.pk}/reportar/"
    assert "diciembre de 2010</option>" in section(
        client.get(url).content.decode(), "actividad-2.7"
    )
    pnp_id = pnp()
    Institution.objects.filter(pk=pnp_id).update(acronym="PNP-X")
    form = section(client.get(url).content.decode(), "actividad-2.7")
    assert f'<option value="{pnp_id}">PNP-X</option>' in form


def test_the_owner_sees_whose_month_it_is_and_the_focal_point_only_its_own_figures(
    client: Client, focal_point: User, admin: User, plan_2010: Plan
) -> None:
    save_report(focal_point, part_2_7().pk, pnp(), 1, 18, "", 0)
    url = f"/planes/{plan_2010.pk}/reportar/"
    for user, executed in ((admin, "<div>PNP: 18</div>"), (focal_point, "<div>18</div>")):
        login(client, user)
        january = section(client.get(url).content.decode(), "actividad-2.7-mes-1")
        assert executed in january[: january.index("</tr>")]
