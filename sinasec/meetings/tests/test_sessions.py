"""Sessions of a committee: recorded by its own secretary with attendance and agreements,
quorum from the members sworn in as of the date, agreements pending, done or overdue as
of any date, and the set-based figures a compliance report reads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinasec.audit.models import AuditEvent
from sinasec.committees import services as committee_services
from sinasec.committees.models import Committee
from sinasec.core.errors import AccessDenied, EditConflict
from sinasec.meetings import selectors, services
from sinasec.meetings.models import Agreement, SessionKind
from sinasec.meetings.services import AgreementIn, AttendanceIn, SessionIn

pytestmark = pytest.mark.django_db


def miraflores() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")


def magdalena() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150120")


def swear_in(actor: User, committee: Committee, on: date, names: list[str]) -> list[int]:
    event = committee_services.record_swearing_in(
        actor, committee.pk, on, [committee_services.MemberIn(n, "PNP") for n in names]
    )
    return list(event.members.values_list("pk", flat=True))


def ordinary(
    on: date, members: list[int], agreements: list[AgreementIn] | None = None
) -> SessionIn:
    return SessionIn(
        kind=SessionKind.ORDINARY,
        held_on=on,
        place="Palacio municipal",
        agenda="1. Plan local",
        attendance=[AttendanceIn(member=m) for m in members]
        + [AttendanceIn(institution="MINSA", attendees=2)],
        agreements=agreements or [],
    )


def test_it_records_a_session_with_quorum_from_the_sworn_members(secretary: User) -> None:
    members = swear_in(secretary, miraflores(), date(2025, 1, 10), ["Ana", "Beto", "Carla"])
    deadline = date(2025, 3, 31)
    session = services.record_session(
        secretary,
        miraflores().pk,
        ordinary(
            date(2025, 2, 3),
            members[:2],
            [
                AgreementIn("Patrullaje integrado", "PNP", deadline),
                AgreementIn("Alumbrado", "MINSA", deadline),
            ],
        ),
    )
    quorum = selectors.quorum_of(session)
    assert (quorum.sworn, quorum.present, quorum.needed, quorum.reached) == (3, 2, 2, True)
    assert session.agreements.count() == 2
    assert AuditEvent.objects.filter(action="meetings.record_ordinary").count() == 1


def test_it_tells_no_quorum_when_too_few_sworn_members_came(secretary: User) -> None:
    members = swear_in(secretary, miraflores(), date(2025, 1, 10), ["Ana", "Beto", "Carla"])
    session = services.record_session(
        secretary, miraflores().pk, ordinary(date(2025, 2, 3), members[:1])
    )
    assert selectors.quorum_of(session).reached is False


def test_it_refuses_a_member_not_sworn_by_the_sessions_date(secretary: User) -> None:
    members = swear_in(secretary, miraflores(), date(2025, 6, 1), ["Ana"])
    with pytest.raises(ValidationError):
        services.record_session(secretary, miraflores().pk, ordinary(date(2025, 2, 3), members))


def test_it_refuses_another_committees_secretary(secretary: User) -> None:
    with pytest.raises(AccessDenied):
        services.record_session(secretary, magdalena().pk, ordinary(date(2025, 2, 3), []))


def test_it_needs_the_public_attendance_of_a_consultation(secretary: User) -> None:
    data = SessionIn(kind=SessionKind.CONSULTATION, held_on=date(2025, 2, 3))
    with pytest.raises(ValidationError):
        services.record_session(secretary, miraflores().pk, data)
    data.public_attendance = 85
    data.citizen_topics = "Robos en el parque"
    session = services.record_consultation(secretary, miraflores().pk, data)
    assert (session.kind, session.public_attendance) == ("consultation", 85)


def test_it_computes_overdue_from_the_deadline_and_the_date_asked(secretary: User) -> None:
    session = services.record_session(
        secretary,
        miraflores().pk,
        ordinary(date(2025, 2, 3), [], [AgreementIn("Patrullaje", "PNP", date(2025, 3, 31))]),
    )
    agreement = session.agreements.get()
    assert selectors.agreement_status(agreement, date(2025, 3, 31)) == "pending"
    assert selectors.agreement_status(agreement, date(2025, 4, 1)) == "overdue"
    done = services.mark_agreement_done(secretary, agreement.pk, date(2025, 4, 10), 1)
    assert selectors.agreement_status(done, date(2025, 4, 5)) == "overdue"
    assert selectors.agreement_status(done, date(2025, 4, 10)) == "done"
    assert Agreement.objects.get(pk=agreement.pk).status == "done"  # stored: only done/pending


def test_it_refuses_marking_done_from_a_stale_version(secretary: User) -> None:
    session = services.record_session(
        secretary,
        miraflores().pk,
        ordinary(date(2025, 2, 3), [], [AgreementIn("Patrullaje", "PNP", date(2025, 3, 31))]),
    )
    agreement = session.agreements.get()
    services.mark_agreement_done(secretary, agreement.pk, date(2025, 3, 1), 1)
    with pytest.raises(EditConflict):
        services.mark_agreement_done(secretary, agreement.pk, date(2025, 3, 2), 1)


def test_it_counts_every_committee_in_a_constant_number_of_queries(
    secretary: User, admin: User
) -> None:
    for day in (date(2025, 2, 3), date(2025, 5, 5)):
        agreement = AgreementIn("A", "PNP", day + timedelta(days=30))
        services.record_session(secretary, miraflores().pk, ordinary(day, [], [agreement]))
    services.record_consultation(
        admin,
        magdalena().pk,
        SessionIn(kind="", held_on=date(2025, 8, 1), public_attendance=40),
    )
    as_of = date(2025, 6, 30)
    with CaptureQueriesContext(connection) as queries:
        held = selectors.sessions_by_quarter(as_of)
        consulted = selectors.consultations_by_quarter(date(2025, 12, 31))
        statuses = selectors.agreements_by_status(as_of)
    assert len(queries) == 3
    assert held[miraflores().pk] == {(2025, 1, "ordinary"): 1, (2025, 2, "ordinary"): 1}
    assert magdalena().pk not in held  # its consultation is after the date asked
    assert consulted == {magdalena().pk: {(2025, 3): 1}}
    assert statuses[miraflores().pk] == {"pending": 0, "done": 0, "overdue": 2}
    assert selectors.agreements_by_status(date(2025, 3, 1))[miraflores().pk] == {
        "pending": 1,
        "done": 0,
        "overdue": 0,
    }


def test_it_expects_the_consultations_the_setting_says(settings) -> None:
    assert selectors.expected_consultations() == 4
    settings.CONSULTATIONS_PER_YEAR = 2
    assert selectors.expected_consultations() == 2


def test_it_refuses_a_session_in_the_future(secretary: User) -> None:
    with pytest.raises(ValidationError):
        services.record_session(
            secretary, miraflores().pk, ordinary(date.today() + timedelta(days=1), [])
        )
