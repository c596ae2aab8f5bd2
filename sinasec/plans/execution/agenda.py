"""What monthly execution asks of someone today: the months due, the reports returned,
the approver's queue, and the national count of overdue months. Every read is a fixed
number of queries, whatever the number of plans (the start page shows them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Prefetch, QuerySet

from sinasec.accounts.scope import AnyUser
from sinasec.institutions.models import Institution
from sinasec.plans.access import decidable_plans_for_user, reportable_parts_for_user
from sinasec.plans.execution.selectors import due_date
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus

# Sent and accepted: nothing more is asked of the reporter for that month.
DONE = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
LISTED = 50  # rows a start-page list shows; counts are always whole


def reporting_month(today: date) -> tuple[int, int]:
    """The month being reported now: the one that just ended (due a few days later)."""
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


@dataclass(frozen=True)
class DueRow:
    plan: Plan
    part: ActivityPart
    institution: str  # acronym
    programmed: int
    status: str | None  # the month's report status, None: not started


@dataclass(frozen=True)
class DueMonth:
    year: int
    month: int
    due: date
    to_report: list[DueRow]  # not submitted yet (returned ones first)
    done: int  # submitted or approved

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def plans(self) -> list[Plan]:
        """The plans with something to report, each once, in order (one button each)."""
        return list({row.plan.pk: row.plan for row in self.to_report}.values())


def _programmed(part: ActivityPart, month: int) -> int:
    values = part.programmed or []
    value = values[month - 1] if len(values) >= month else None
    return value or 0


def due_this_month(user: AnyUser | None, today: date) -> DueMonth:
    """The parts a reporter answers for that have something programmed in the month
    being reported, with that month's report status. Three queries."""
    year, month = reporting_month(today)
    reporting = reportable_parts_for_user(user)
    institutions = Institution.objects.order_by("acronym")
    if reporting.institution_id is not None:
        institutions = institutions.filter(pk=reporting.institution_id)
    parts = (
        reporting.parts.filter(activity__strategy__plan__year=year)
        .select_related("activity__strategy__plan")
        .prefetch_related(
            Prefetch("institutions", queryset=institutions),
            Prefetch("reports", queryset=ExecutionReport.objects.filter(month=month)),
        )
        .order_by("activity__strategy__plan_id", "activity__strategy__number", "activity__number")
    )
    rows: list[DueRow] = []
    for part in parts:
        programmed = _programmed(part, month)
        if not programmed:
            continue
        status = {r.institution_id: r.status for r in part.reports.all()}
        for institution in part.institutions.all():
            plan = part.activity.strategy.plan
            rows.append(
                DueRow(plan, part, institution.acronym, programmed, status.get(institution.pk))
            )
    pending = [r for r in rows if r.status not in DONE]
    pending.sort(key=lambda r: r.status != ReportStatus.RETURNED)  # stable: plan order kept
    return DueMonth(year, month, due_date(year, month), pending, len(rows) - len(pending))


def returned_reports(user: AnyUser | None) -> list[ExecutionReport]:
    """Reports sent back to this reporter, with the reason, latest first. One query."""
    reporting = reportable_parts_for_user(user)
    reports = ExecutionReport.objects.filter(
        status=ReportStatus.RETURNED, part__in=reporting.parts.values("pk")
    )
    if reporting.institution_id is not None:
        reports = reports.filter(institution_id=reporting.institution_id)
    return list(
        reports.select_related("part__activity__strategy__plan", "institution").order_by(
            "-decided_at", "-pk"
        )[:LISTED]
    )


@dataclass(frozen=True)
class PlanQueue:
    plan_id: int
    title: str
    waiting: int
    oldest: object  # the submission time of the oldest waiting report


@dataclass(frozen=True)
class ApprovalQueue:
    total: int
    plans: list[PlanQueue]  # the plan with the oldest waiting report first
    oldest: list[ExecutionReport]  # the first reports to decide, oldest first


def approval_queue(user: AnyUser | None) -> ApprovalQueue:
    """Submitted reports waiting on this approver: counts per plan and the oldest
    reports. Two queries (plus the one finding a secretary's committee)."""
    plans = decidable_plans_for_user(user)
    waiting = ExecutionReport.objects.filter(
        status=ReportStatus.SUBMITTED, part__activity__strategy__plan__in=plans.values("pk")
    )
    per_plan = (
        waiting.values("part__activity__strategy__plan_id", "part__activity__strategy__plan__title")
        .annotate(n=Count("pk"), oldest=Min("submitted_at"))
        .order_by("oldest")
    )
    queues = [
        PlanQueue(
            row["part__activity__strategy__plan_id"],
            row["part__activity__strategy__plan__title"],
            row["n"],
            row["oldest"],
        )
        for row in per_plan
    ]
    oldest = list(
        waiting.select_related("part__activity__strategy__plan", "institution").order_by(
            "submitted_at", "pk"
        )[:LISTED]
    )
    return ApprovalQueue(sum(q.waiting for q in queues), queues, oldest)


def _expected(
    parts: Iterable[tuple[int, list[int | None]]], links: Iterable[tuple[int, int]], months: int
) -> set[tuple[int, int, int]]:
    """(part, institution, month) for every programmed month up to ``months``."""
    programmed = {
        pk: [m for m in range(1, months + 1) if len(values or []) >= m and (values or [])[m - 1]]
        for pk, values in parts
    }
    return {(p, i, m) for p, i in links for m in programmed.get(p, [])}


def overdue_months(today: date, plans: QuerySet[Plan] | None = None) -> int:
    """Months of the current reporting year's plans past their due date and not sent:
    every responsible institution of every programmed month. Three queries."""
    year, _month = reporting_month(today)
    plans = (plans if plans is not None else Plan.objects.all()).filter(year=year)
    months = sum(1 for m in range(1, 13) if due_date(year, m) < today)
    if not months:
        return 0
    parts = ActivityPart.objects.filter(activity__strategy__plan__in=plans.values("pk"))
    links = ActivityPart.institutions.through.objects.filter(
        activitypart__in=parts.values("pk")
    ).values_list("activitypart_id", "institution_id")
    expected = _expected(parts.values_list("pk", "programmed"), links, months)
    sent = set(
        ExecutionReport.objects.filter(part__in=parts.values("pk"), status__in=DONE).values_list(
            "part_id", "institution_id", "month"
        )
    )
    return len(expected - sent)
