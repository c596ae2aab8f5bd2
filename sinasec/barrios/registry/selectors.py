"""Reads of the barrio registry: progress against the annual goal, overall, by territory
and month by month, the list's filter options and a barrio's status history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.db.models import QuerySet
from django.utils.dates import MONTHS_3

from sinasec.audit.models import AuditEvent
from sinasec.barrios.models import AnnualGoal, Barrio, BarrioStatus
from sinasec.territories.models import Region
from sinasec.territories.selectors import by_name

UNKNOWN_TERRITORY = "desconocido"  # the key of barrios whose territory the source lost
# A closed barrio was launched first: it counts as launched against its year's goal.
LAUNCHED_STATUSES = (BarrioStatus.LAUNCHED, BarrioStatus.CLOSED)
PLANNED_STATUSES = (BarrioStatus.PLANNED, *LAUNCHED_STATUSES)


class TerritoryCount(TypedDict):
    planned: int
    launched: int


class GoalProgress(TypedDict):
    year: int
    goal: int | None
    launched: int
    planned: int
    barrios: int
    by_territory: dict[str, TerritoryCount]  # UNKNOWN_TERRITORY: the source lost it
    cohorts: dict[str, int]  # every barrio, whatever its year
    total_all_cohorts: int
    is_demo: bool


class TerritoryRow(TypedDict):
    label: str  # blank: unknown
    planned: int
    launched: int
    total: int


class MonthlySeries(TypedDict):
    new: list[int]
    cumulative: list[int]
    before_year: int
    after_year: int
    date_unknown: int
    total: int


class MonthRow(TypedDict):
    month: int
    label: str
    planned: int
    launched: int
    planned_new: int
    launched_new: int


class MonthlyProgress(TypedDict):
    year: int
    goal: int | None
    barrios: int
    months: list[MonthRow]
    planned: MonthlySeries
    launched: MonthlySeries
    is_demo: bool


def goal_progress(year: int) -> GoalProgress:
    goal = AnnualGoal.objects.filter(year=year).first()
    barrios = list(Barrio.objects.filter(goal_year=year).select_related("region"))
    by_territory: dict[str, TerritoryCount] = defaultdict(lambda: {"planned": 0, "launched": 0})
    for barrio in barrios:
        label = barrio.territory_label or UNKNOWN_TERRITORY
        if barrio.status in LAUNCHED_STATUSES:
            by_territory[label]["launched"] += 1
        else:
            by_territory[label]["planned"] += 1
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
        "by_territory": dict(by_territory),
        "cohorts": dict(all_cohorts),
        "total_all_cohorts": sum(all_cohorts.values()),
        "is_demo": any(b.is_demo for b in barrios),
    }


def territory_rows(progress: GoalProgress) -> list[TerritoryRow]:
    """The year's barrios by territory, the most first, the unknown territory last."""
    rows: list[TerritoryRow] = [
        {
            "label": "" if label == UNKNOWN_TERRITORY else label,
            "planned": count["planned"],
            "launched": count["launched"],
            "total": count["planned"] + count["launched"],
        }
        for label, count in progress["by_territory"].items()
    ]
    return sorted(rows, key=lambda t: (t["label"] == "", -t["total"], t["label"]))


def _monthly(dates: list[date | None], year: int) -> MonthlySeries:
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


def goal_progress_by_month(year: int) -> MonthlyProgress:
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
                "label": str(MONTHS_3[m + 1]),
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


def status_history(barrio: Barrio) -> QuerySet[AuditEvent]:
    """The audited changes of a barrio's status, its creation from a targeting run
    included (demo barrios loaded from the seed have none)."""
    return AuditEvent.objects.filter(
        object_type="barrio",
        object_id=str(barrio.pk),
        action__in=("barrios.create_from_target", "barrios.change_status"),
    ).order_by("at", "id")


@dataclass(frozen=True)
class FilterOptions:
    """What the list's filter offers: every status, and the cohorts and regions of the
    barrios the user reads."""

    statuses: list[tuple[str, str]]
    cohorts: list[str]
    regions: QuerySet[Region]


def filter_options(barrios: QuerySet[Barrio]) -> FilterOptions:
    cohorts = barrios.order_by().values_list("cohort", flat=True).distinct()
    return FilterOptions(
        statuses=[(value, str(label)) for value, label in BarrioStatus.choices],
        cohorts=sorted(c for c in cohorts if c),
        regions=by_name(Region.objects.filter(pk__in=barrios.values("region_id"))),
    )
