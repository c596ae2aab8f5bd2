"""The compliance indicators of sessions, public consultations and agreements, registered
with the committees' compliance engine in ``MeetingsConfig.ready()``.

Each answers for every committee (or those given) as of a date with one grouped query,
never one per committee. The rules, stated once (the README "Compliance" section and
the page's notes say the same):

- *sessions*: the ordinary and extraordinary sessions a committee held from 1 January of
  the date's year up to the date are at least those expected to date, that is
  ``SINASEC_SESSIONS_PER_YEAR`` x (months of that year ended by the date) / 12, rounded
  down (a month ends on its last day; before 31 January nothing is expected yet).
  Public consultations are not counted here: they have their own indicator.
- *consultations*: in the last quarter ended by the date (on 31 December, the fourth
  quarter of that year; on 15 February, the fourth quarter of the year before) the
  committee held at least ``SINASEC_CONSULTATIONS_PER_YEAR`` / 4 public consultations,
  rounded up (one by default).
- *agreements*: none of the agreements of its sessions held by the date is overdue on it
  (deadline before the date, not done by then); a committee with no agreements meets it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from datetime import date
from functools import partial

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sinasec.committees.compliance import LEVELS, Indicator, per_run, register
from sinasec.committees.models import Committee
from sinasec.meetings.models import Agreement, AgreementStatus, Body, Session, SessionKind
from sinasec.plans.progress import months_due

Ids = Collection[int] | None


def sessions_expected(as_of: date) -> int:
    """Ordinary and extraordinary sessions expected from 1 January to the date."""
    per_year = max(0, int(settings.SESSIONS_PER_YEAR))
    return per_year * months_due(as_of.year, as_of) // 12


def last_quarter(as_of: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter ended by the date."""
    ended = months_due(as_of.year, as_of) // 3
    return (as_of.year, ended) if ended else (as_of.year - 1, 4)


def consultations_expected() -> int:
    return math.ceil(max(0, int(settings.CONSULTATIONS_PER_YEAR)) / 4)


def _sessions(committee_ids: Ids) -> QuerySet[Session]:
    found = Session.objects.filter(body=Body.COMMITTEE)
    if committee_ids is not None:
        found = found.filter(committee_id__in=list(committee_ids))
    return found


def sessions_held(as_of: date, committee_ids: Ids = None) -> dict[int, int]:
    """Committee id -> ordinary and extraordinary sessions held this year up to the date."""
    return per_run(("sessions_held", as_of), committee_ids, partial(_sessions_held, as_of))


def _sessions_held(as_of: date, committee_ids: Ids) -> dict[int, int]:
    rows = (
        _sessions(committee_ids)
        .filter(
            held_on__range=(date(as_of.year, 1, 1), as_of),
            kind__in=[SessionKind.ORDINARY, SessionKind.EXTRAORDINARY],
        )
        .values_list("committee_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    return dict(rows)


def _all_of(committee_ids: Ids) -> set[int]:
    if committee_ids is not None:
        return set(committee_ids)
    return set(Committee.objects.values_list("id", flat=True))


def sessions_done(as_of: date, plan_year: int, committee_ids: Ids) -> set[int]:
    expected = sessions_expected(as_of)
    if expected == 0:
        return _all_of(committee_ids)
    return {cid for cid, n in sessions_held(as_of, committee_ids).items() if n >= expected}


def sessions_detail(as_of: date, plan_year: int, committee_ids: Ids) -> dict[int, str]:
    held = sessions_held(as_of, committee_ids)
    expected = sessions_expected(as_of)
    figure = _("%(held)d of %(expected)d sessions")  # translated once, not per committee
    return {
        cid: figure % {"held": held.get(cid, 0), "expected": expected}
        for cid in committee_ids or held
    }


def consultations_held(as_of: date, committee_ids: Ids = None) -> dict[int, int]:
    """Committee id -> public consultations held in the last quarter ended by the date."""
    key = ("consultations_held", as_of)
    return per_run(key, committee_ids, partial(_consultations_held, as_of))


def _consultations_held(as_of: date, committee_ids: Ids) -> dict[int, int]:
    year, quarter = last_quarter(as_of)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    rows = (
        _sessions(committee_ids)
        .filter(kind=SessionKind.CONSULTATION, held_on__gte=first, held_on__lt=last)
        .values_list("committee_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    return dict(rows)


def consultations_done(as_of: date, plan_year: int, committee_ids: Ids) -> set[int]:
    expected = consultations_expected()
    if expected == 0:
        return _all_of(committee_ids)
    return {cid for cid, n in consultations_held(as_of, committee_ids).items() if n >= expected}


def consultations_detail(as_of: date, plan_year: int, committee_ids: Ids) -> dict[int, str]:
    held = consultations_held(as_of, committee_ids)
    year, quarter = last_quarter(as_of)
    figure = _("%(held)d of %(expected)d in quarter %(q)d of %(year)d")
    expected = consultations_expected()
    return {
        cid: figure
        % {
            "held": held.get(cid, 0),
            "expected": expected,
            "q": quarter,
            "year": year,
        }
        for cid in committee_ids or held
    }


def overdue_agreements(as_of: date, committee_ids: Ids = None) -> dict[int, int]:
    return per_run(("overdue", as_of), committee_ids, partial(_overdue_agreements, as_of))


# Sessions looked up by key per query (under SQLite's smallest host-parameter limit).
_CHUNK = 900


def _overdue_agreements(as_of: date, committee_ids: Ids) -> dict[int, int]:
    """Committee id -> its agreements overdue on the date (committees with none absent).
    The agreements not done by the date whose deadline has passed are few: read them
    through the (status, deadline) and (status, done_on, deadline) indexes, then look
    their sessions up by key. Joining instead makes PostgreSQL hash-join a scan of every
    session of 15 years (and, as a correlated subquery, JIT-compile it: 14 ms)."""
    # Not done by the date: still pending, or done after it (two index ranges).
    still_open = Q(status=AgreementStatus.PENDING, deadline__lt=as_of) | Q(
        status=AgreementStatus.DONE, done_on__gt=as_of, deadline__lt=as_of
    )
    per_session = Counter(
        Agreement.objects.filter(still_open).values_list("session_id", flat=True).order_by()
    )
    # Only the key in SQL: with the body or date there too, SQLite may range over the
    # (body, held_on) index instead (40 ms a chunk). The rest is checked here.
    scope = None if committee_ids is None else set(committee_ids)
    overdue: Counter[int] = Counter()
    keys = list(per_session)
    for start in range(0, len(keys), _CHUNK):
        found = Session.objects.filter(pk__in=keys[start : start + _CHUNK]).values_list(
            "pk", "committee_id", "body", "held_on"
        )
        for pk, committee_id, body, held_on in found.order_by():
            if (
                body == Body.COMMITTEE
                and held_on <= as_of
                and (scope is None or committee_id in scope)
            ):
                overdue[committee_id] += per_session[pk]
    return dict(overdue)


def agreements_done(as_of: date, plan_year: int, committee_ids: Ids) -> set[int]:
    return _all_of(committee_ids) - set(overdue_agreements(as_of, committee_ids))


def agreements_detail(as_of: date, plan_year: int, committee_ids: Ids) -> dict[int, str]:
    return {
        cid: ngettext("%(n)d agreement overdue", "%(n)d agreements overdue", n) % {"n": n}
        for cid, n in overdue_agreements(as_of, committee_ids).items()
    }


def register_indicators() -> None:
    register(
        Indicator(
            "sessions",
            gettext_lazy("Sessions held as expected"),
            LEVELS,
            sessions_done,
            sessions_detail,
            gettext_lazy(
                "Ordinary and extraordinary sessions held from 1 January of the date's year "
                "up to the date, at least the sessions expected a year "
                "(SINASEC_SESSIONS_PER_YEAR) times the months of that year ended by the "
                "date, divided by 12 and rounded down. Before the end of January nothing "
                "is expected yet."
            ),
        )
    )
    register(
        Indicator(
            "consultations",
            gettext_lazy("Public consultation in the last quarter"),
            LEVELS,
            consultations_done,
            consultations_detail,
            gettext_lazy(
                "At least a quarter of the public consultations expected a year "
                "(SINASEC_CONSULTATIONS_PER_YEAR, rounded up: one by default) held in the "
                "last quarter ended by the date."
            ),
        )
    )
    register(
        Indicator(
            "agreements",
            gettext_lazy("No agreements overdue"),
            LEVELS,
            agreements_done,
            agreements_detail,
            gettext_lazy(
                "None of the agreements of its sessions held by the date is overdue on it "
                "(deadline passed, not done by then); a committee with no agreements "
                "meets it."
            ),
        )
    )
