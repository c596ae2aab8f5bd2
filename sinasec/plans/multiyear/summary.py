"""The committee x year x month summary of programmed and approved quantities that the
execution rates read (``models.ExecutionMonth``).

Why a summary: at national scale (1,918 committees, 10 parts each, a year of approved
months: 230,160 reports) summing the programmes' JSON months and the approved reports
through four joins took ~0.7 s per rate; the summary holds ~12 rows per committee and
year for the programme plus one per month and approval day, so a semester's rates are
one grouped query over ~25,000 rows.

It is kept by signals on the parts and reports (any write path: the services, an import,
a test's ``objects.create``), in the writer's transaction: a change of a part, or of a
report that is or was approved, rebuilds that committee's year from the source (a
handful of rows, three queries). Bulk loads that bypass signals (``bulk_create`` in
``copy_forward``, benchmarks) call :func:`refresh` or :func:`rebuild` after.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from sinasec.plans.models import ActivityPart, ExecutionMonth, ExecutionReport, Plan, ReportStatus


def _quantity(value: Any) -> int:
    """A programmed month as a number: unknown ('?') or empty counts 0."""
    if isinstance(value, bool):
        return 0
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def summary_rows(
    committee_id: int,
    year: int,
    parts: list[tuple[int, Any]],
    reports: list[tuple],
    model: Any = ExecutionMonth,
) -> list[Any]:
    """The summary rows of one committee's year from its parts (pk, programmed) and
    approved reports (month, decided_at, executed); ``model``: the data migration's."""
    programmed: dict[int, int] = defaultdict(int)
    for _pk, months in parts:
        for index, value in enumerate(months if isinstance(months, list) else []):
            if index < 12:
                programmed[index + 1] += _quantity(value)
    executed: dict[tuple[int, Any], int] = defaultdict(int)
    for month, decided_at, quantity in reports:
        if decided_at is not None:
            executed[(month, timezone.localdate(decided_at))] += quantity
    return [
        model(committee_id=committee_id, year=year, month=m, programmed=n)
        for m, n in sorted(programmed.items())
    ] + [
        model(committee_id=committee_id, year=year, month=m, approved_on=day, executed=n)
        for (m, day), n in sorted(executed.items())
    ]


def refresh(committee_id: int, year: int) -> None:
    """Rebuild one committee's year from its parts and approved reports."""
    plans = {"activity__strategy__plan__committee_id": committee_id}
    plans["activity__strategy__plan__year"] = year
    parts = list(ActivityPart.objects.filter(**plans).values_list("pk", "programmed"))
    reports = list(
        ExecutionReport.objects.filter(
            **{f"part__{k}": v for k, v in plans.items()}, status=ReportStatus.APPROVED
        ).values_list("month", "decided_at", "executed")
    )
    ExecutionMonth.objects.filter(committee_id=committee_id, year=year).delete()
    ExecutionMonth.objects.bulk_create(summary_rows(committee_id, year, parts, reports))


def rebuild(year: int | None = None) -> int:
    """Rebuild every committee's summary (of ``year``, or all): after bulk loads."""
    scope = Plan.objects.filter(committee__isnull=False)
    if year is not None:
        scope = scope.filter(year=year)
    keys = set(scope.values_list("committee_id", "year"))
    for committee_id, plan_year in sorted(keys):
        refresh(committee_id, plan_year)
    return len(keys)


def _plan_of_part(part_id: int) -> tuple[int | None, int] | None:
    return (
        Plan.objects.filter(strategies__activities__parts__pk=part_id)
        .values_list("committee_id", "year")
        .first()
    )


def _loaded_plan(report: ExecutionReport) -> tuple[int | None, int] | None:
    """The report's plan (committee, year) when its writer loaded the part up to the
    plan (the approval services do): no query."""
    if not ExecutionReport.part.is_cached(report):
        return None
    part = report.part
    if not (ActivityPart.activity.is_cached(part) and part.activity.strategy_id):
        return None
    activity = part.activity
    if not type(activity).strategy.is_cached(activity):
        return None
    strategy = activity.strategy
    if not type(strategy).plan.is_cached(strategy):
        return None
    return strategy.plan.committee_id, strategy.plan.year


def _on_part(sender: Any, instance: ActivityPart, **kwargs: Any) -> None:
    found = (
        Plan.objects.filter(strategies__activities__pk=instance.activity_id)
        .values_list("committee_id", "year")
        .first()
    )
    if found and found[0] is not None:
        refresh(found[0], found[1])


def _on_report(sender: Any, instance: ExecutionReport, **kwargs: Any) -> None:
    # Drafts and submissions do not count: only a report approved, or that was (a
    # reopened or returned one carries its decision's date), can change the summary.
    if instance.status != ReportStatus.APPROVED and instance.decided_at is None:
        return
    found = _loaded_plan(instance) or _plan_of_part(instance.part_id)
    if found and found[0] is not None:
        refresh(found[0], found[1])


def connect() -> None:
    post_save.connect(_on_part, sender=ActivityPart, dispatch_uid="execution_month_part")
    post_delete.connect(_on_part, sender=ActivityPart, dispatch_uid="execution_month_part_del")
    post_save.connect(_on_report, sender=ExecutionReport, dispatch_uid="execution_month_report")
    post_delete.connect(
        _on_report, sender=ExecutionReport, dispatch_uid="execution_month_report_del"
    )
