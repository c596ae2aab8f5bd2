"""A committee's timeline: the latest events on its page with a link to the whole
history, page by page; each event as the page always showed it; the blank event form
rendered once and the same for everyone, the CSRF token each user's own."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sinasec.audit.models import AuditEvent
from sinasec.committees import timeline
from sinasec.committees.models import Committee, CommitteeEvent, EventKind, Member
from sinasec.committees.services import MemberIn, record_event
from sinasec.conftest import login
from sinasec.institutions.models import Institution

pytestmark = pytest.mark.django_db


def miraflores() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")


def add_events(committee: Committee, n: int) -> None:
    start = date(2020, 1, 1)
    CommitteeEvent.objects.bulk_create(
        CommitteeEvent(
            committee=committee,
            kind=EventKind.SECRETARY,
            date=start + timedelta(days=i),
            person=f"Secretaria {i}",
        )
        for i in range(n)
    )


def test_it_writes_each_event_with_its_members_as_the_page_showed_it(secretary: User) -> None:
    own = miraflores()
    record_event(
        secretary,
        own.pk,
        EventKind.SWORN,
        date(2026, 1, 10),
        document="Acta <1>",
        members=[MemberIn("Ana Pérez", "pnp", "Comisaria"), MemberIn("Luis & Co")],
    )
    record_event(secretary, own.pk, EventKind.PLAN, date(2026, 2, 1), year=2026)
    items = timeline.latest(own).items
    assert items == [
        '<li data-kind="plan"><strong>2026-02-01</strong> — Plan formulado 2026</li>',
        '<li data-kind="sworn"><strong>2026-01-10</strong> — Juramentación'
        ' <span class="muted">(Acta &lt;1&gt;)</span><ul class="members">'
        "<li>Ana Pérez (PNP) — Comisaria</li><li>Luis &amp; Co</li></ul></li>",
    ]


def test_it_audits_the_members_with_their_institution_found_in_any_case(
    secretary: User,
) -> None:
    event = record_event(
        secretary,
        miraflores().pk,
        EventKind.SWORN,
        date(2026, 1, 10),
        members=[MemberIn("Ana", " pnp "), MemberIn("Luis", "NADA")],
    )
    pnp = Institution.objects.get(acronym="PNP")
    assert [(m.name, m.institution_id) for m in Member.objects.filter(event=event)] == [
        ("Ana", pnp.pk),
        ("Luis", None),
    ]
    audit = AuditEvent.objects.get(action="committees.record_sworn")
    assert audit.after and audit.after["members"] == [
        {"name": "Ana", "institution": pnp.pk, "role": ""},
        {"name": "Luis", "institution": None, "role": ""},
    ]


def test_the_page_shows_the_latest_events_and_links_to_all_of_them(
    client: Client, secretary: User
) -> None:
    own = miraflores()
    add_events(own, timeline.LATEST + timeline.PER_PAGE + 5)
    login(client, secretary)
    page = client.get(f"/comites/{own.pk}/").content.decode()
    shown = re.findall(r"Secretaria (\d+)", page)
    newest = timeline.LATEST + timeline.PER_PAGE + 4
    assert shown == [str(newest - i) for i in range(timeline.LATEST)]
    assert 'data-testid="history-link"' in page and f'start="{newest + 1}"' in page
    assert f"Los últimos {timeline.LATEST} de {newest + 1} hechos" in page
    first = client.get(f"/comites/{own.pk}/historial/").content.decode()
    second = client.get(f"/comites/{own.pk}/historial/", {"page": 2}).content.decode()
    on_pages = re.findall(r"Secretaria (\d+)", first) + re.findall(r"Secretaria (\d+)", second)
    assert on_pages == [str(newest - i) for i in range(newest + 1)]  # every one, once
    assert f'start="{newest + 1 - timeline.PER_PAGE}"' in second


def test_a_short_timeline_has_no_link_and_the_history_keeps_the_committees_scope(
    client: Client, secretary: User, focal_point: User
) -> None:
    own = miraflores()
    add_events(own, 3)
    login(client, secretary)
    page = client.get(f"/comites/{own.pk}/").content.decode()
    assert len(re.findall(r"Secretaria \d+", page)) == 3 and "history-link" not in page
    assert client.get(f"/comites/{own.pk}/historial/").status_code == 200
    other = Committee.objects.get(level="district", ubigeo="150120")
    assert client.get(f"/comites/{other.pk}/historial/").status_code == 403
    login(client, focal_point)
    assert client.get(f"/comites/{own.pk}/historial/").status_code == 403


def test_the_blank_form_is_the_same_for_everyone_but_the_csrf_token(
    client: Client, secretary: User, admin: User
) -> None:
    own = miraflores()

    def form_of(user: User, **query: str) -> tuple[str, str]:
        client.logout()
        login(client, user)
        page = client.get(f"/comites/{own.pk}/", query).content.decode()
        start = page.index('data-testid="event-form"')
        form = page[start : page.index("</form>", start)]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token
        return form.replace(token.group(1), "TOKEN"), token.group(1)

    (first, token), (second, other_token) = form_of(secretary), form_of(admin)
    assert first == second and token != other_token
    assert 'name="member-0-name"' in first and 'value="sworn" selected' in first
    plan, _ = form_of(admin, hecho="plan")
    assert 'value="plan" selected' in plan and plan != first
    Institution.objects.create(acronym="NUEVA", name="Nueva institución")
    renewed, _ = form_of(secretary)
    assert '<option value="NUEVA">NUEVA</option>' in renewed


def test_recording_reads_the_committee_once_and_checks_it_twice(
    client: Client, secretary: User
) -> None:
    own = miraflores()
    login(client, secretary)
    post = {
        "kind": "sworn",
        "date": "2026-01-10",
        "member-0-name": "Ana",
        "member-0-institution": "PNP",
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/comites/{own.pk}/registrar/", post)
    assert response.status_code == 302
    reads = [q for q in queries.captured_queries if 'FROM "committees_committee"' in q["sql"]]
    assert len(reads) == 1
    other = Committee.objects.get(level="district", ubigeo="150120")
    assert client.post(f"/comites/{other.pk}/registrar/", post).status_code == 403
    assert not CommitteeEvent.objects.filter(committee=other).exists()
