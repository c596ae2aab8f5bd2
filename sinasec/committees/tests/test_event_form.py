"""The committee event form (issue 13, item 3): a refused event comes back with what was
typed, each error beside its field and summarised at the top; only the fields of the
chosen kind are shown; member rows are a formset (rows removed, rows added without
JavaScript)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.committees.forms import EventForm, member_formset
from sinasec.committees.models import Committee, CommitteeEvent
from sinasec.conftest import login

pytestmark = pytest.mark.django_db
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
MEMBERS = [("Ana Pérez", "PNP", "Comisaria"), ("Luis Soto", "GL", ""), ("Eva Ramos", "MINSA", "")]


def miraflores() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")


def body(kind: str, day: str, rows: list[tuple[str, str, str]], **extra: str) -> dict[str, str]:
    data = {
        "kind": kind,
        "date": day,
        "document": "Acta 001-2026",
        "member-TOTAL_FORMS": str(len(rows)),
        "member-INITIAL_FORMS": "0",
    }
    for i, (name, institution, role) in enumerate(rows):
        data |= {f"member-{i}-name": name, f"member-{i}-institution": institution}
        data[f"member-{i}-role"] = role
    return data | extra


def post(client: Client, data: dict[str, str]) -> str:
    response = client.post(f"/comites/{miraflores().pk}/registrar/", data)
    assert response.status_code == 200, response.status_code  # the form again, not saved
    return response.content.decode()


def field_block(page: str, name: str) -> str:
    """The paragraph of one field (core/_field.html): label, control, errors."""
    match = re.search(rf'<p class="field[^"]*" data-field="{name}">.*?</p>', page, re.S)
    assert match, name
    return match.group(0)


def fieldset_of(page: str, field: str) -> str:
    """The opening tag of the fieldset holding ``field`` (hidden or shown)."""
    start = page.index(f'data-field="{field}"')
    return page[page.rindex("<fieldset", 0, start) : start].split(">")[0]


def test_it_keeps_the_three_members_typed_and_puts_the_date_error_beside_the_date(
    client: Client, secretary: User
) -> None:
    login(client, secretary)
    page = post(client, body("sworn", TOMORROW, MEMBERS))
    assert not CommitteeEvent.objects.exists()
    for i, (name, institution, _role) in enumerate(MEMBERS):
        assert f'name="member-{i}-name" value="{name}"' in page
        assert re.search(rf'<option value="{institution}" selected>', page)
    assert 'value="Comisaria"' in page and 'value="Acta 001-2026"' in page
    date_field = field_block(page, "date")
    assert f'value="{TOMORROW}"' in date_field and 'aria-invalid="true"' in date_field
    assert "La fecha no puede ser futura." in date_field
    summary = page[page.index('data-testid="error-summary"') : page.index("</ul>")]
    assert 'href="#id_date"' in summary and "La fecha no puede ser futura." in summary
    assert "La fecha no puede ser futura." not in field_block(page, "document")


def test_it_shows_only_the_fields_the_chosen_kind_needs(client: Client, secretary: User) -> None:
    login(client, secretary)
    url = f"/comites/{miraflores().pk}/"
    sworn = client.get(url).content.decode()  # a swearing-in when no kind is named
    assert "hidden" in fieldset_of(sworn, "year") and "hidden" in fieldset_of(sworn, "person")
    assert "hidden" not in sworn[sworn.index('data-testid="members"') - 80 :].split(">")[0]
    plan = client.get(url + "?hecho=plan").content.decode()
    assert "hidden" not in fieldset_of(plan, "year")
    assert "hidden" in fieldset_of(plan, "person") and "disabled" in fieldset_of(plan, "person")
    members = plan[: plan.index('data-testid="members"') + 60]
    assert "hidden disabled" in members[members.rindex("<fieldset") :]
    secretary_page = client.get(url + "?hecho=secretary").content.decode()
    assert "hidden" not in fieldset_of(secretary_page, "person")


def test_it_asks_each_kind_for_its_own_field_and_drops_the_others() -> None:
    plan = EventForm({"kind": "plan", "date": "2026-01-10", "person": "Olvidado"})
    assert not plan.is_valid() and list(plan.errors) == ["year"]
    secretary = EventForm({"kind": "secretary", "date": "2026-01-10", "year": "2026"})
    assert not secretary.is_valid() and list(secretary.errors) == ["person"]
    sworn = EventForm({"kind": "sworn", "date": "2026-01-10", "year": "2026", "person": "X"})
    assert sworn.is_valid()
    assert (sworn.cleaned_data["year"], sworn.cleaned_data["person"]) == (None, "")


def test_a_swearing_in_needs_a_member_and_a_row_needs_a_name() -> None:
    empty = member_formset(["PNP"], "sworn", body("sworn", "2026-01-10", [("", "", "")]))
    assert not empty.is_valid() and "al menos un miembro" in str(empty.non_form_errors())
    installed = member_formset(["PNP"], "installed", body("installed", "2026-01-10", []))
    assert installed.is_valid() and installed.members() == []
    nameless = member_formset(["PNP"], "sworn", body("sworn", "2026-01-10", [("", "PNP", "")]))
    assert not nameless.is_valid() and list(nameless.forms[0].errors) == ["name"]


def test_it_records_the_members_left_after_one_row_is_removed(
    client: Client, secretary: User
) -> None:
    login(client, secretary)
    data = body("sworn", "2026-01-10", MEMBERS, **{"member-1-DELETE": "on"})
    response = client.post(f"/comites/{miraflores().pk}/registrar/", data)
    assert response.status_code == 302
    event = CommitteeEvent.objects.get()
    assert [
        (m.name, m.institution.acronym if m.institution else "") for m in event.members.all()
    ] == [
        ("Ana Pérez", "PNP"),
        ("Eva Ramos", "MINSA"),
    ]


def test_without_javascript_the_page_shows_another_kinds_fields_keeping_what_was_typed(
    client: Client, secretary: User
) -> None:
    login(client, secretary)
    page = post(client, body("plan", "2026-01-10", MEMBERS[:1], paso="campos"))
    assert not CommitteeEvent.objects.exists()
    assert 'data-testid="error-summary"' not in page  # a step, not a refusal
    assert "hidden" not in fieldset_of(page, "year")
    assert 'value="2026-01-10"' in field_block(page, "date")
    assert 'value="Acta 001-2026"' in page
    more = post(client, body("sworn", "2026-01-10", MEMBERS[:1], paso="filas"))
    assert 'value="Ana Pérez"' in more and 'name="member-3-name"' in more  # 1 kept + 3 empty


def test_a_post_without_the_formset_fields_still_records_its_members(
    client: Client, secretary: User
) -> None:
    """A script (or a page opened before the formset) sends no TOTAL_FORMS."""
    login(client, secretary)
    data = {"kind": "sworn", "date": "2026-01-10", "member-0-name": "Ana Pérez"}
    data |= {"member-0-institution": "PNP", "member-1-name": "Luis Soto"}
    assert client.post(f"/comites/{miraflores().pk}/registrar/", data).status_code == 302
    assert [m.name for m in CommitteeEvent.objects.get().members.all()] == [
        "Ana Pérez",
        "Luis Soto",
    ]


def test_member_rows_sent_with_a_plan_are_dropped_not_judged(
    client: Client, secretary: User
) -> None:
    """A browser without the script sends the swearing-in's rows with a plan too."""
    login(client, secretary)
    data = body("plan", "2026-01-10", [*MEMBERS, ("", "PNP", "")], year="2026")
    assert client.post(f"/comites/{miraflores().pk}/registrar/", data).status_code == 302
    event = CommitteeEvent.objects.get()
    assert (event.kind, event.year, event.members.count()) == ("plan", 2026, 0)
