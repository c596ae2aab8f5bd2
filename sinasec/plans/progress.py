"""Progress of a plan as of a date: programmed to date against executed to date, per
activity, with a traffic light. "Executed to date" is the approved execution of the
months up to that date (the months the work was done in, not the day it was approved,
so a plan can be evaluated after the fact). Pure arithmetic in ``activity_progress``;
``plan_progress`` loads the rows with three queries."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sinasec.committees.compliance import pct
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus


def months_due(year: int, as_of: date) -> int:
    """How many months of ``year`` have ended by ``as_of`` (0 to 12)."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 12
    last_day = calendar.monthrange(year, as_of.month)[1]
    return as_of.month if as_of.day == last_day else as_of.month - 1


def _months_reportable(year: int, as_of: date) -> int:
    """Months of ``year`` that may carry a report by ``as_of`` (the current one too)."""
    if as_of.year != year:
        return 12 if as_of.year > year else 0
    return as_of.month


# The traffic light's codes in words, for exports (the pages colour them).
LIGHT_WORDS = {
    "green": gettext_lazy("green"),
    "yellow": gettext_lazy("yellow"),
    "red": gettext_lazy("red"),
    "not_due": gettext_lazy("not due yet"),
}


def light_word(code: str) -> str:
    word = LIGHT_WORDS.get(code)
    return code if word is None else str(word)


def traffic_light(programmed: int, executed: int) -> str:
    """green / yellow / red by executed ÷ programmed to date (thresholds from settings:
    ``SINASEC_PROGRESS_GREEN`` 0.9, ``SINASEC_PROGRESS_YELLOW`` 0.6); ``not_due`` when
    nothing was programmed yet."""
    if programmed == 0:
        return "not_due" if executed == 0 else "green"
    ratio = executed / programmed
    if ratio >= settings.PROGRESS_GREEN:
        return "green"
    if ratio >= settings.PROGRESS_YELLOW:
        return "yellow"
    return "red"


@dataclass(frozen=True)
class ActivityProgress:
    activity: str
    description: str
    unit: str
    goal: int | None
    programmed_to_date: int
    programmed_unknown: bool
    executed_to_date: int
    pct_of_goal: float | None
    status: str

    def as_dict(self) -> dict[str, object]:
        return {
            "activity": self.activity,
            "description": self.description,
            "unit": self.unit,
            "goal": self.goal,
            "programmed_to_date": self.programmed_to_date,
            "programmed_unknown": self.programmed_unknown,
            "executed_to_date": self.executed_to_date,
            "pct_of_goal": self.pct_of_goal,
            "status": self.status,
        }


def default_as_of(plan: Plan, today: date | None = None) -> date:
    """Progress is shown as of today, or as of the plan's year end once it is over."""
    return min(today or timezone.localdate(), date(plan.year, 12, 31))


def plan_progress(plan: Plan, as_of: date) -> list[ActivityProgress]:
    due = months_due(plan.year, as_of)
    parts = list(
        ActivityPart.objects.filter(activity__strategy__plan=plan)
        .select_related("activity__strategy")
        .order_by("activity__strategy__number", "activity__number", "order")
    )
    executed = dict(
        ExecutionReport.objects.filter(
            part__activity__strategy__plan=plan,
            status=ReportStatus.APPROVED,
            month__lte=_months_reportable(plan.year, as_of),
        )
        .values_list("part__activity_id")
        .annotate(total=Sum("executed"))
        .order_by()
    )
    by_activity: dict[int, list[ActivityPart]] = defaultdict(list)
    for part in parts:
        by_activity[part.activity_id].append(part)
    result = []
    for activity_parts in by_activity.values():
        activity = activity_parts[0].activity
        goals = [p.goal for p in activity_parts]
        goal = None if any(g is None for g in goals) else sum(g or 0 for g in goals)
        months = [v for p in activity_parts for v in p.programmed[:due]]
        programmed = sum(v or 0 for v in months)
        done = executed.get(activity.pk, 0)
        result.append(
            ActivityProgress(
                activity=f"{activity.strategy.number}.{activity.number}",
                description=activity.description,
                unit=activity.unit,
                goal=goal,
                programmed_to_date=programmed,
                programmed_unknown=any(v is None for v in months),
                executed_to_date=done,
                pct_of_goal=pct(done, goal) if goal else None,
                status=traffic_light(programmed, done),
            )
        )
    return result


@dataclass(frozen=True)
class StatusCounts:
    """How many activities are at each traffic light."""

    green: int
    yellow: int
    red: int
    not_due: int


def status_counts(rows: list[ActivityProgress]) -> StatusCounts:
    statuses = [r.status for r in rows]
    return StatusCounts(
        green=statuses.count("green"),
        yellow=statuses.count("yellow"),
        red=statuses.count("red"),
        not_due=statuses.count("not_due"),
    )
