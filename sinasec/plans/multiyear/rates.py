"""The execution rate of committees' plans per quarter or semester, as of a date: the
selector the national ranking, its downloads, API and CLI read, and that the compliance
engine can call (:func:`execution_rates`, :func:`semester_rates`).

The rule, stated once:

- *Programmed*: the quantities the committee's programme for that year schedules in the
  period's months that have ended by the date (a month not ended yet is not due). An
  unknown month ('?') counts as 0.
- *Executed*: the execution reports of those months that are approved, and were approved
  (``decided_at``) by the end of that date; a month reported but not approved, or
  approved later, does not count. A month approved by then and reopened since counts
  no more (its current state is what is recorded).
- *Rate*: executed ÷ programmed, a percentage to one decimal; none when nothing was
  programmed (the committee is listed, never flagged, and ranked last).
- *Flagged*: a rate below ``SINASEC_EXECUTION_THRESHOLD_PCT`` (default 75).

Two queries whatever the number of committees: the committees with a programme that
year, and one grouped query over the committee x month summary (``summary.py``: the
programmed months and the approved quantities by approval day) for both sums.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from sinasec.committees.compliance import pct
from sinasec.committees.models import ACRONYM, Committee, CommitteeLevel
from sinasec.plans.models import ExecutionMonth, Plan
from sinasec.plans.progress import months_due

QUARTER, SEMESTER = "quarter", "semester"


@dataclass(frozen=True)
class Period:
    """A quarter (1-4) or semester (1-2) of a year."""

    year: int
    kind: str
    number: int

    def __post_init__(self) -> None:
        most = {QUARTER: 4, SEMESTER: 2}.get(self.kind)
        if most is None or not 1 <= self.number <= most:
            raise ValueError(f"no {self.kind} {self.number}")

    @property
    def months(self) -> range:
        size = 3 if self.kind == QUARTER else 6
        return range(size * (self.number - 1) + 1, size * self.number + 1)

    def months_due(self, as_of: date) -> list[int]:
        """The period's months that have ended by ``as_of``."""
        due = months_due(self.year, as_of)
        return [m for m in self.months if m <= due]

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return _("quarter %(n)d of %(year)d") % {"n": self.number, "year": self.year}
        return _("semester %(n)d of %(year)d") % {"n": self.number, "year": self.year}

    @property
    def slug(self) -> str:
        return f"{self.year}-{'t' if self.kind == QUARTER else 's'}{self.number}"


@dataclass(frozen=True)
class PeriodRate:
    """One committee's execution of one period, as of a date."""

    committee_id: int
    programmed: int
    executed: int
    rate: float | None
    flagged: bool


def threshold_pct() -> int:
    return int(settings.EXECUTION_THRESHOLD_PCT)


def execution_rates(
    period: Period,
    as_of: date,
    threshold: float | None = None,
    committees: Collection[int] | None = None,
) -> dict[int, PeriodRate]:
    """Every committee with a programme (a plan) for the period's year, or those of
    ``committees``: its rate, by committee id."""
    limit = threshold_pct() if threshold is None else threshold
    months = period.months_due(as_of)
    plans: dict[str, object] = {"year": period.year, "committee__isnull": False}
    if committees is not None:
        plans["committee_id__in"] = list(committees)
    programmed: dict[int, int] = dict.fromkeys(
        Plan.objects.filter(**plans).values_list("committee_id", flat=True), 0
    )
    executed: dict[int, int] = {}
    if months:
        # The summary (plans.multiyear.summary): programme rows have no approval day;
        # approved rows count when approved by the end of the date.
        summary = ExecutionMonth.objects.filter(year=period.year, month__in=months)
        if committees is not None:
            summary = summary.filter(committee_id__in=list(committees))
        rows = (
            summary.values_list("committee_id")
            .annotate(
                planned=Sum("programmed"),
                done=Sum("executed", filter=Q(approved_on__lte=as_of)),
            )
            .order_by()
        )
        for committee_id, planned, done in rows:
            if committee_id in programmed:
                programmed[committee_id] = planned or 0
                executed[committee_id] = done or 0
    result = {}
    for committee_id, planned in programmed.items():
        done = executed.get(committee_id) or 0
        rate = pct(done, planned or 0)
        result[committee_id] = PeriodRate(
            committee_id, planned or 0, done, rate, rate is not None and rate < limit
        )
    return result


def semester_rates(
    as_of: date, year: int, semester: int, committees: Collection[int] | None = None
) -> dict[int, PeriodRate]:
    """The compliance engine's entry: each committee's execution rate for a semester of
    ``year`` as of ``as_of`` (committees without a programme that year are absent)."""
    return execution_rates(Period(year, SEMESTER, semester), as_of, committees=committees)


@dataclass(frozen=True)
class RankRow:
    rank: int
    committee_id: int
    committee: str
    level: str
    ubigeo: str
    programmed: int
    executed: int
    rate: float | None
    flagged: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "committee_id": self.committee_id,
            "committee": self.committee,
            "level": self.level,
            "ubigeo": self.ubigeo,
            "programmed": self.programmed,
            "executed": self.executed,
            "rate_pct": self.rate,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class Ranking:
    period: Period
    as_of: date
    threshold: float
    rows: list[RankRow]

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r.flagged)

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.period.year,
            "period": self.period.kind,
            "number": self.period.number,
            "as_of": self.as_of.isoformat(),
            "threshold_pct": self.threshold,
            "committees": len(self.rows),
            "flagged": self.flagged,
            "rows": [r.as_dict() for r in self.rows],
        }


HEADER = [
    "puesto",
    "comite",
    "nivel",
    "ubigeo",
    "programado",
    "ejecutado",
    "tasa_pct",
    "bajo_umbral",
]


def table_rows(ranking: Ranking) -> list[list[object]]:
    """The ranking as download rows (CSV and XLSX), under ``HEADER``."""
    return [
        [r.rank, r.committee, r.level, r.ubigeo, r.programmed, r.executed, r.rate, r.flagged]
        for r in ranking.rows
    ]


def national_ranking(period: Period, as_of: date, threshold: float | None = None) -> Ranking:
    """Committees by execution rate, highest first. Equal rates share a rank (1, 2, 2, 4)
    and are listed by committee name; committees with nothing programmed come last,
    unranked on rate (they share the last rank)."""
    limit = threshold_pct() if threshold is None else threshold
    rates = execution_rates(period, as_of, limit)
    names = {
        c["id"]: c
        for c in Committee.objects.filter(pk__in=rates).values("id", "name", "level", "ubigeo")
    }
    ordered = sorted(
        rates.values(),
        key=lambda r: (
            r.rate is None,
            -(r.rate or 0),
            names[r.committee_id]["name"],
            r.committee_id,
        ),
    )
    rows: list[RankRow] = []
    for position, rate in enumerate(ordered, start=1):
        previous = rows[-1] if rows else None
        rank = previous.rank if previous and previous.rate == rate.rate else position
        info = names[rate.committee_id]
        rows.append(
            RankRow(
                rank,
                rate.committee_id,
                info["name"],
                ACRONYM[CommitteeLevel(info["level"])],
                info["ubigeo"],
                rate.programmed,
                rate.executed,
                rate.rate,
                rate.flagged,
            )
        )
    return Ranking(period, as_of, limit, rows)
