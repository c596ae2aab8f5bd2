"""The Miraflores secretary, in real Chromium, records an ordinary session with the
attendance of its sworn members and two agreements, then marks one done a month later;
the other, past its deadline and not done, shows overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from sinasec.committees import services as committee_services
from sinasec.committees.models import Committee
from sinasec.conftest import log_in
from sinasec.meetings.models import Agreement, Session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def record_session_and_mark_one_done(page, secretary: User, held: date) -> Session:
    """The journey through the pages (the scorecard's browser test walks it too): the
    Miraflores secretary records an ordinary session with the attendance of two of three
    sworn members, an institution's and two agreements, then marks the PNP's done a month
    later. Returns the session."""
    miraflores = Committee.objects.get(level="district", ubigeo="150122")
    committee_services.record_swearing_in(
        secretary,
        miraflores.pk,
        held - timedelta(days=30),
        [
            committee_services.MemberIn("Ana Pérez", "PNP"),
            committee_services.MemberIn("Luis Soto", "GL"),
            committee_services.MemberIn("Rosa Díaz", "MINSA"),
        ],
    )
    log_in(page, secretary.username)
    page.goto(page.base + f"/comites/{miraflores.pk}/")
    page.click("[data-testid=sessions-link]")
    form = "[data-testid=session-form]"
    page.select_option(f"{form} select[name=kind]", "ordinary")
    page.fill(f"{form} input[name=held_on]", held.isoformat())
    page.fill(f"{form} input[name=place]", "Palacio municipal")
    page.fill(f"{form} textarea[name=agenda]", "Avance del plan local")
    page.check(f"{form} label:has-text('Ana Pérez') input")
    page.check(f"{form} label:has-text('Luis Soto') input")
    page.select_option("select[name=attendance-0-institution]", "MINEDU")
    page.fill("input[name=attendance-0-attendees]", "2")
    page.fill("input[name=agreement-0-text]", "Patrullaje integrado en el malecón")
    page.select_option("select[name=agreement-0-owner]", "PNP")
    page.fill("input[name=agreement-0-deadline]", (held + timedelta(days=20)).isoformat())
    page.fill("input[name=agreement-1-text]", "Alumbrado del parque Kennedy")
    page.select_option("select[name=agreement-1-owner]", "GL")
    page.fill("input[name=agreement-1-deadline]", (held + timedelta(days=40)).isoformat())
    page.click("[data-testid=record-session]")
    page.wait_for_selector("[data-testid=sessions] [data-kind=ordinary]")
    assert "2 de 3" in page.inner_text("[data-testid=quorum]")  # 2 of 3 sworn: quorum

    session = Session.objects.get(committee=miraflores)
    first = session.agreements.get(owner__acronym="PNP")
    row = f"[data-agreement-id='{first.pk}']"
    page.fill(f"{row} input[name=done_on]", (held + timedelta(days=30)).isoformat())
    page.click(f"{row} button[type=submit]")
    page.wait_for_selector(f"{row}[data-agreement-status=done]")
    return session


def test_it_lets_the_secretary_record_a_session_and_mark_an_agreement_done(
    page, secretary: User
) -> None:
    held = date.today() - timedelta(days=60)
    session = record_session_and_mark_one_done(page, secretary, held)
    assert session.attendance.count() == 3 and session.recorded_by == secretary
    first = Agreement.objects.get(session=session, owner__acronym="PNP")
    other = Agreement.objects.get(session=session, owner__acronym="GL")
    assert page.get_attribute(f"[data-agreement-id='{other.pk}']", "data-agreement-status") == (
        "overdue"
    )
    assert first.done_on == held + timedelta(days=30)  # a month after the session
