"""Reads of sessions: an agreement's status as of a date, the quorum of a session (from
the members sworn in as of its date), a committee's sessions with their details, and
the figures a compliance report needs for every committee at once.

The compliance figures are set-based: one grouped query for all committees (or those
given), never a loop over committees. Access is decided before (``meetings.access``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from sinasec.committees.models import Committee, CommitteeEvent, EventKind, Member
from sinasec.meetings.models import (
    OVERDUE,
    Agreement,
    AgreementStatus,
    Attendance,
    Body,
    Session,
    SessionKind,
)

PENDING, DONE = str(AgreementStatus.PENDING), str(AgreementStatus.DONE)


def agreement_status(agreement: Agreement, as_of: date) -> str:
    """done (by ``as_of``), overdue (deadline passed, not done by then) or pending."""
    if agreement.status == AgreementStatus.DONE and (
        agreement.done_on is None or agreement.done_on <= as_of
    ):
        return DONE
    return OVERDUE if agreement.deadline < as_of else PENDING


def expected_consultations(year: int | None = None) -> int:
    """Public consultations a committee is expected to hold a year (a setting)."""
    return max(0, int(getattr(settings, "CONSULTATIONS_PER_YEAR", 4)))


# --- quorum --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    sworn: int  # members sworn in as of the session's date (the last swearing-in)
    present: int  # of them, those who attended

    @property
    def needed(self) -> int:
        return self.sworn // 2 + 1 if self.sworn else 0

    @property
    def reached(self) -> bool | None:
        """None: nobody sworn in by then, the quorum cannot be told."""
        return self.present >= self.needed if self.sworn else None


class SwornRoll:
    """A committee's swearing-in events, oldest first, to tell who was sworn as of a day
    (the members of the last swearing-in on or before it) without a query per day."""

    def __init__(self, committee_id: int) -> None:
        events = (
            CommitteeEvent.objects.filter(committee_id=committee_id, kind=EventKind.SWORN)
            .prefetch_related("members__institution")
            .order_by("date", "id")
        )
        self._events = list(events)
        self._dates = [e.date for e in self._events]

    def members_on(self, day: date) -> list[Member]:
        at = bisect_right(self._dates, day)
        return list(self._events[at - 1].members.all()) if at else []


def sworn_members(committee_id: int, day: date) -> list[Member]:
    return SwornRoll(committee_id).members_on(day)


def quorum_of(session: Session, roll: SwornRoll | None = None) -> Quorum:
    if session.committee_id is None:
        return Quorum(0, 0)
    roll = roll or SwornRoll(session.committee_id)
    sworn = {m.pk for m in roll.members_on(session.held_on)}
    present = sum(1 for a in session.attendance.all() if a.member_id in sworn)
    return Quorum(len(sworn), present)


# --- a committee's sessions ----------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    session: Session
    attendance: list[Attendance]
    attendees: int
    quorum: Quorum
    agreements: list[tuple[Agreement, str]]  # each with its status as of a day


def with_details(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with what a row shows, in a constant number of queries."""
    return sessions.select_related("committee", "recorded_by").prefetch_related(
        "attendance__institution", "attendance__member__institution", "agreements__owner"
    )


def session_rows(sessions: Iterable[Session], as_of: date) -> list[SessionRow]:
    rolls: dict[int, SwornRoll] = {}
    rows = []
    for s in sessions:
        roll = None
        if s.committee_id is not None and s.body == Body.COMMITTEE:
            roll = rolls.setdefault(s.committee_id, SwornRoll(s.committee_id))
        attendance = list(s.attendance.all())
        rows.append(
            SessionRow(
                session=s,
                attendance=attendance,
                attendees=sum(a.attendees for a in attendance),
                quorum=quorum_of(s, roll) if roll else Quorum(0, 0),
                agreements=[(a, agreement_status(a, as_of)) for a in s.agreements.all()],
            )
        )
    return rows


def sessions_of(committee: Committee, as_of: date) -> list[SessionRow]:
    """A committee's own sessions (not its technical tables'), newest first."""
    found = Session.objects.filter(body=Body.COMMITTEE, committee=committee)
    return session_rows(with_details(found).order_by("-held_on", "-id"), as_of)


# --- figures for compliance, all committees at once ---------------------------------

Quarter = tuple[int, int]  # (year, quarter 1-4)


def _committee_sessions(as_of: date, committee_ids: Iterable[int] | None) -> QuerySet[Session]:
    found = Session.objects.filter(body=Body.COMMITTEE, held_on__lte=as_of)
    if committee_ids is not None:
        found = found.filter(committee_id__in=list(committee_ids))
    return found


def sessions_by_quarter(
    as_of: date, committee_ids: Iterable[int] | None = None
) -> dict[int, dict[tuple[int, int, str], int]]:
    """Per committee: sessions held up to ``as_of`` by (year, quarter, kind). One query."""
    rows = (
        _committee_sessions(as_of, committee_ids)
        .annotate(y=ExtractYear("held_on"), q=ExtractQuarter("held_on"))
        .values_list("committee_id", "y", "q", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[int, dict[tuple[int, int, str], int]] = defaultdict(dict)
    for committee_id, year, quarter, kind, n in rows:
        found[committee_id][(year, quarter, kind)] = n
    return dict(found)


def consultations_by_quarter(
    as_of: date, committee_ids: Iterable[int] | None = None
) -> dict[int, dict[Quarter, int]]:
    """Per committee: public consultations held up to ``as_of`` by (year, quarter)."""
    rows = (
        _committee_sessions(as_of, committee_ids)
        .filter(kind=SessionKind.CONSULTATION)
        .annotate(y=ExtractYear("held_on"), q=ExtractQuarter("held_on"))
        .values_list("committee_id", "y", "q")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[int, dict[Quarter, int]] = defaultdict(dict)
    for committee_id, year, quarter, n in rows:
        found[committee_id][(year, quarter)] = n
    return dict(found)


def agreements_by_status(
    as_of: date, committee_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Per committee: the agreements of its sessions held up to ``as_of`` that are
    pending, done (by ``as_of``) or overdue (deadline before ``as_of``, not done by then).
    One query; the status as of the date is computed, not read."""
    found = Agreement.objects.filter(session__body=Body.COMMITTEE, session__held_on__lte=as_of)
    if committee_ids is not None:
        found = found.filter(session__committee_id__in=list(committee_ids))
    done = Q(status=AgreementStatus.DONE) & (Q(done_on__isnull=True) | Q(done_on__lte=as_of))
    rows = (
        found.values_list("session__committee_id")
        .annotate(
            done=Count("id", filter=done),
            overdue=Count("id", filter=~done & Q(deadline__lt=as_of)),
            pending=Count("id", filter=~done & Q(deadline__gte=as_of)),
        )
        .order_by()
    )
    return {
        committee_id: {PENDING: pending, DONE: n_done, OVERDUE: overdue}
        for committee_id, n_done, overdue, pending in rows
    }
