"""The compliance indicators of sessions, public consultations and agreements, as the
engine reports them as of a date, and the cached compliance page seeing a new session."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User

from sinasec.committees.compliance import compliance_as_of
from sinasec.core.cache import generation
from sinasec.meetings import services
from sinasec.meetings.indicators import last_quarter, sessions_expected
from sinasec.meetings.models import SessionKind
from sinasec.meetings.services import AgreementIn, SessionIn
from sinasec.meetings.tests.test_sessions import miraflores, ordinary, swear_in
from sinasec.territories.reference import region_code_for

pytestmark = pytest.mark.django_db


def test_it_expects_sessions_by_the_months_ended(settings) -> None:
    settings.SESSIONS_PER_YEAR = 4
    assert sessions_expected(date(2025, 1, 30)) == 0
    assert sessions_expected(date(2025, 3, 30)) == 0
    assert sessions_expected(date(2025, 3, 31)) == 1
    assert sessions_expected(date(2025, 12, 31)) == 4
    settings.SESSIONS_PER_YEAR = 12
    assert sessions_expected(date(2025, 7, 15)) == 6
    assert last_quarter(date(2025, 12, 31)) == (2025, 4)
    assert last_quarter(date(2025, 12, 30)) == (2025, 3)
    assert last_quarter(date(2025, 2, 15)) == (2024, 4)


def test_it_reports_sessions_consultations_and_overdue_agreements(
    secretary: User, settings
) -> None:
    settings.SESSIONS_PER_YEAR = 4
    settings.CONSULTATIONS_PER_YEAR = 4
    own = miraflores()
    members = swear_in(secretary, own, date(2025, 1, 10), ["Ana", "Beto", "Carla"])
    late = AgreementIn("Patrullaje integrado", "PNP", date(2025, 3, 31))
    services.record_session(secretary, own.pk, ordinary(date(2025, 2, 5), members, [late]))
    consultation = SessionIn(
        kind=SessionKind.CONSULTATION, held_on=date(2025, 2, 20), public_attendance=40
    )
    services.record_consultation(secretary, own.pk, consultation)

    def pending(as_of: date, code: str) -> dict[int, str]:
        report = compliance_as_of(as_of, only=[code])
        return {r.id: report.details[code].get(r.id, "") for r in report.pending[code]}

    # 31 March: one session expected and held; a consultation in the first quarter;
    # the agreement not yet overdue (its deadline is that day).
    assert own.pk not in pending(date(2025, 3, 31), "sessions")
    assert own.pk not in pending(date(2025, 3, 31), "consultations")
    assert own.pk not in pending(date(2025, 3, 31), "agreements")
    # 30 June: two expected, one held; no consultation in the second quarter; overdue.
    assert pending(date(2025, 6, 30), "sessions")[own.pk] == "1 de 2 sesiones"
    assert pending(date(2025, 6, 30), "consultations")[own.pk] == "0 de 1 en el trimestre 2 de 2025"
    assert pending(date(2025, 6, 30), "agreements")[own.pk] == "1 acuerdo vencido"
    counts = compliance_as_of(date(2025, 6, 30)).counts["agreements"]
    assert counts["district"]["done"] == counts["district"]["total"] - 1


def test_it_bumps_the_compliance_page_generation_on_every_session_write(
    secretary: User,
) -> None:
    own = miraflores()
    members = swear_in(secretary, own, date(2025, 1, 10), ["Ana"])
    before = generation("committees")
    agreed = AgreementIn("Patrullaje", "PNP", date(2025, 3, 31))
    session = services.record_session(
        secretary, own.pk, ordinary(date(2025, 2, 5), members, [agreed])
    )
    assert generation("committees") == before + 1
    services.mark_agreement_done(secretary, session.agreements.get().pk, date(2025, 4, 2))
    assert generation("committees") == before + 2


def test_it_counts_an_agreement_done_late_as_overdue_only_until_done(
    secretary: User, barrio_team: User
) -> None:
    own = miraflores()
    members = swear_in(secretary, own, date(2025, 1, 10), ["Ana", "Beto", "Carla"])
    late = AgreementIn("Patrullaje integrado", "PNP", date(2025, 3, 31))
    session = services.record_session(
        secretary, own.pk, ordinary(date(2025, 2, 5), members, [late])
    )
    services.mark_agreement_done(secretary, session.agreements.get().pk, date(2025, 5, 10))
    # The commission's overdue agreement is no committee's.
    commission = SessionIn(
        kind=SessionKind.ORDINARY,
        held_on=date(2025, 2, 6),
        agreements=[AgreementIn("Mesa de trabajo", "PNP", date(2025, 3, 1))],
    )
    services.record_commission_session(barrio_team, commission)
    region = own.region_id or region_code_for(own.ubigeo)

    def pending(as_of: date, in_region: str | None = None) -> dict[int, str]:
        report = compliance_as_of(as_of, region=in_region, only=["agreements"])
        return {r.id: report.details["agreements"][r.id] for r in report.pending["agreements"]}

    # Overdue from its deadline until done (also asked for the region only).
    assert pending(date(2025, 4, 30)) == {own.pk: "1 acuerdo vencido"}
    assert pending(date(2025, 4, 30), region) == {own.pk: "1 acuerdo vencido"}
    assert pending(date(2025, 5, 10)) == {}
    assert pending(date(2025, 3, 31)) == {}
