"""Reads of Barrio Seguro: progress against the annual goal, overall and month by month,
and what a barrio's page shows (commitments with their deliveries, table sessions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from sinasec.audit.models import AuditEvent
from sinasec.barrios.articulation.services import MatrixCell, agreement_status, coverage_matrix
from sinasec.barrios.models import (
    AnnualGoal,
    Barrio,
    BarrioStatus,
    Commitment,
    TableSession,
)
from sinasec.barrios.registry.reference import COMMISSION_SECTORS
from sinasec.institutions.models import Institution

UNKNOWN_TERRITORY = "desconocido"  # the key of barrios whose territory the source lost
# A closed barrio was launched first: it counts as launched against its year's goal.
LAUNCHED_STATUSES = (BarrioStatus.LAUNCHED, BarrioStatus.CLOSED)
PLANNED_STATUSES = (BarrioStatus.PLANNED, *LAUNCHED_STATUSES)


def goal_progress(year: int) -> dict[str, Any]:
    goal = AnnualGoal.objects.filter(year=year).first()
    barrios = list(Barrio.objects.filter(goal_year=year).select_related("region"))
    by_territory: dict[str, dict[str, int]] = defaultdict(lambda: {"planned": 0, "launched": 0})
    for barrio in barrios:
        label = barrio.territory_label or UNKNOWN_TERRITORY
        key = "launched" if barrio.status in LAUNCHED_STATUSES else "planned"
        by_territory[label][key] += 1
    launched = sum(1 for b in barrios if b.status in LAUNCHED_STATUSES)
    all_cohorts: dict[str, int] = defaultdict(int)
    for cohort in Barrio.objects.values_list("cohort", flat=True):
        all_cohorts[cohort] += 1
    return {
        "year": year,
        "goal": goal.goal if goal else None,
        "launched": launched,
        "planned": len(barrios) - launched,
        "barrios": len(barrios),
        "by_territory": {k: dict(v) for k, v in by_territory.items()},
        "cohorts": dict(all_cohorts),
        "total_all_cohorts": sum(all_cohorts.values()),
        "is_demo": any(b.is_demo for b in barrios),
    }


def _monthly(dates: list[date | None], year: int) -> dict[str, Any]:
    """Cumulative counts at the end of each month of ``year``. A date before the year
    counts from January; one after it is counted apart; a missing date is counted in
    ``date_unknown`` and never spread over the months."""
    new = [0] * 12
    before = after = unknown = 0
    for day in dates:
        if day is None:
            unknown += 1
        elif day.year < year:
            before += 1
        elif day.year > year:
            after += 1
        else:
            new[day.month - 1] += 1
    cumulative, running = [], before
    for n in new:
        running += n
        cumulative.append(running)
    return {
        "new": new,
        "cumulative": cumulative,
        "before_year": before,
        "after_year": after,
        "date_unknown": unknown,
        "total": len(dates),
    }


def goal_progress_by_month(year: int) -> dict[str, Any]:
    """The barrios of a year's goal, planned and launched by the end of each month,
    from their planned_on and launched_on dates. A barrio counts as planned once its
    status reached "planned" (launched and closed ones included) and as launched once
    it reached "launched"."""
    goal = AnnualGoal.objects.filter(year=year).first()
    rows = list(
        Barrio.objects.filter(goal_year=year).values_list(
            "status", "planned_on", "launched_on", "is_demo"
        )
    )
    planned = _monthly([p for status, p, _l, _d in rows if status in PLANNED_STATUSES], year)
    launched = _monthly([ln for status, _p, ln, _d in rows if status in LAUNCHED_STATUSES], year)
    return {
        "year": year,
        "goal": goal.goal if goal else None,
        "barrios": len(rows),
        "months": [
            {
                "month": m + 1,
                "planned": planned["cumulative"][m],
                "launched": launched["cumulative"][m],
                "planned_new": planned["new"][m],
                "launched_new": launched["new"][m],
            }
            for m in range(12)
        ],
        "planned": planned,
        "launched": launched,
        "is_demo": any(is_demo for *_rest, is_demo in rows),
    }


def goal_years() -> list[int]:
    """Years with a goal or with barrios assigned to one, newest first."""
    years = set(AnnualGoal.objects.values_list("year", flat=True))
    years |= {y for y in Barrio.objects.values_list("goal_year", flat=True).distinct() if y}
    return sorted(years, reverse=True)


def default_goal_year() -> int:
    latest = AnnualGoal.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is not None:
        return latest
    years = goal_years()
    return years[0] if years else date.today().year


@dataclass
class CommitmentRow:
    commitment: Commitment
    deliveries: list[Any] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(d.quantity for d in self.deliveries)

    @property
    def coverage_pct(self) -> float | None:
        target = self.commitment.target
        return round(self.delivered * 100 / target, 1) if target else None


def commitments_of(barrio: Barrio) -> list[CommitmentRow]:
    commitments = (
        Commitment.objects.filter(barrio=barrio)
        .select_related("sector")
        .prefetch_related("deliveries__reported_by")
        .order_by("sector__acronym", "starts_on", "id")
    )
    return [CommitmentRow(c, list(c.deliveries.all())) for c in commitments]


def sessions_of(barrio: Barrio, today: date) -> list[dict[str, Any]]:
    """Table sessions, newest first, with attendance and each agreement's status
    (done, pending, overdue) as of ``today``."""
    sessions = (
        TableSession.objects.filter(barrio=barrio)
        .select_related("committee", "recorded_by")
        .prefetch_related("attendance__institution", "agreements__owner")
        .order_by("-held_on", "-id")
    )
    return [
        {
            "session": s,
            "attendance": sorted(s.attendance.all(), key=lambda a: a.institution.acronym),
            "attendees": sum(a.attendees for a in s.attendance.all()),
            "agreements": [(a, agreement_status(a, today)) for a in s.agreements.all()],
        }
        for s in sessions
    ]


def status_history(barrio: Barrio) -> QuerySet[AuditEvent]:
    """The audited changes of a barrio's status, its creation from a targeting run
    included (demo barrios loaded from the seed have none)."""
    return AuditEvent.objects.filter(
        object_type="barrio",
        object_id=str(barrio.pk),
        action__in=("barrios.create_from_target", "barrios.change_status"),
    ).order_by("at", "id")


def sector_choices() -> list[tuple[str, str]]:
    """The institutions that can commit or attend (current bodies, not renamed ones):
    the commission's sectors first, then the rest by acronym."""
    current = dict(
        Institution.objects.filter(successor__isnull=True).values_list("acronym", "name")
    )
    order = [a for a in COMMISSION_SECTORS if a in current]
    order += sorted(a for a in current if a not in COMMISSION_SECTORS)
    return [(a, f"{a} — {current[a]}") for a in order]


def matrix_sectors(barrios: list[Barrio]) -> list[str]:
    """The commission's sectors, then any other sector that committed to these barrios."""
    others = (
        Commitment.objects.filter(barrio__in=barrios)
        .exclude(sector__acronym__in=COMMISSION_SECTORS)
        .values_list("sector__acronym", flat=True)
        .distinct()
        .order_by("sector__acronym")
    )
    return [*COMMISSION_SECTORS, *others]


def sector_matrix(barrios: list[Barrio]) -> dict[str, Any]:
    """The barrio x sector matrix with a line of cells per barrio (in column order),
    the totals per sector and the sectors' names; a constant number of queries."""
    sectors = matrix_sectors(barrios)
    matrix = coverage_matrix(barrios, sectors)
    for row in matrix["rows"]:
        row["line"] = [(s, row["cells"][s]) for s in sectors]
    totals = []
    for sector in sectors:
        cells = [r["cells"][sector] for r in matrix["rows"] if r["cells"][sector] is not None]
        totals.append(
            (
                sector,
                MatrixCell(sum(c.target for c in cells), sum(c.delivered for c in cells))
                if cells
                else None,
            )
        )
    matrix["totals"] = totals
    matrix["names"] = dict(
        Institution.objects.filter(acronym__in=sectors).values_list("acronym", "name")
    )
    matrix["gaps"] = sum(len(r["gaps"]) for r in matrix["rows"])
    return matrix
