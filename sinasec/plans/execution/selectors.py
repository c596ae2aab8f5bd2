"""Reads of monthly execution: due dates and timeliness, the focal point's parts and the
approver's queue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sinasec.accounts.scope import AnyUser
from sinasec.plans.access import reporting_parts_for_user, reports_for_user
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan

TIMELINESS_LABELS = {
    "on_time": gettext_lazy("on time"),
    "late": gettext_lazy("late"),
    "pending": gettext_lazy("pending"),
}


def due_date(year: int, month: int) -> date:
    """A month's report is due ``SINASEC_EXECUTION_DUE_DAYS`` days after it ends."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1) + timedelta(days=settings.EXECUTION_DUE_DAYS)


def timeliness(
    report: ExecutionReport, *, year: int | None = None, today: date | None = None
) -> str:
    """``on_time`` / ``late`` / ``pending`` against the month's ``due_date``: submitted
    (``submitted_at`` set, whatever was decided since) by the due date or after it; not
    submitted yet, with the due date still ahead (``pending``) or passed (``late``).

    ``year`` (the plan's) and ``today`` default to the report's plan and the local date.
    """
    if year is None:
        year = report.part.activity.strategy.plan.year
    return timeliness_by_due(due_date(year, report.month), report.submitted_at, today)


def timeliness_by_due(due: date, submitted_at: datetime | None, today: date | None) -> str:
    """``timeliness`` of a month due on ``due`` (for callers holding plain values)."""
    if submitted_at is not None:
        return "late" if timezone.localdate(submitted_at) > due else "on_time"
    return "late" if (today or timezone.localdate()) > due else "pending"


@dataclass(frozen=True)
class Timely:
    due: date
    status: str  # on_time / late / pending


def timely_by_report(year: int, reports: Iterable[ExecutionReport]) -> dict[int, Timely]:
    """Per report id: its due date and whether it came on time (pages read it with
    ``get_item``)."""
    today = timezone.localdate()
    return {
        r.pk: Timely(due_date(year, r.month), timeliness(r, year=year, today=today))
        for r in reports
    }


@dataclass(frozen=True)
class ReportPage:
    parts: list[ActivityPart]
    institution_id: int | None  # set when the user reports for one institution only
    timely: dict[int, Timely]


def report_page(user: AnyUser | None, plan: Plan) -> ReportPage:
    """The parts a user reports on, with their months' reports and evidence."""
    reporting = reporting_parts_for_user(user, plan)
    reports = ExecutionReport.objects.order_by("month").prefetch_related("evidence")
    if reporting.institution_id is None:
        # Each month names whose report it is; a focal point's page (one institution)
        # does not: no institution read per report there.
        reports = reports.select_related("institution")
    parts = list(
        reporting.parts.select_related("activity__strategy")
        .prefetch_related("institutions", Prefetch("reports", queryset=reports))
        .order_by("activity__strategy__number", "activity__number", "order")
    )
    months = [r for p in parts for r in p.reports.all()]
    return ReportPage(parts, reporting.institution_id, timely_by_report(plan.year, months))


def reporting_part(
    user: AnyUser | None, plan: Plan, part_id: str
) -> tuple[ActivityPart | None, int | None]:
    """One of the parts ``report_page`` shows the user (None: not one of them), with its
    institutions, without the others' months: what a save of a month needs; and the
    institution the user reports for (``ReportPage.institution_id``)."""
    reporting = reporting_parts_for_user(user, plan)
    if not part_id.isdigit():
        return None, reporting.institution_id
    part = (
        reporting.parts.filter(pk=int(part_id))
        .select_related("activity__strategy")
        .prefetch_related("institutions")
        .first()
    )
    return part, reporting.institution_id


def execution_reports(user: AnyUser | None, plan: Plan) -> QuerySet[ExecutionReport]:
    """The months a user may read of a plan (the API list), in the plan's order."""
    return (
        reports_for_user(user, plan)
        .select_related("part__activity__strategy__plan", "institution")
        .prefetch_related("evidence")
        .order_by(
            "part__activity__strategy__number",
            "part__activity__number",
            "part__order",
            "institution__acronym",
            "month",
        )
    )


def month_report(
    user: AnyUser | None, plan: Plan, part_id: int, institution_id: int, month: int
) -> ExecutionReport | None:
    """One month of a part for an institution as saved now, if the user may read it."""
    return (
        reports_for_user(user, plan)
        .filter(part_id=part_id, institution_id=institution_id, month=month)
        .first()
    )
