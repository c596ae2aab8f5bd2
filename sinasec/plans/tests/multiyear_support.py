"""Helpers the multi-year plan tests share: a committee's programme and its approved months."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from sinasec.committees.models import Committee
from sinasec.institutions.models import Institution
from sinasec.plans.execution.services import approve_report, save_report, submit_report
from sinasec.plans.models import (
    Activity,
    ActivityPart,
    ExecutionReport,
    Plan,
    ReportStatus,
    Strategy,
)
from sinasec.plans.template import COLUMNS
from sinasec.plans.tests.template_support import to_csv


def programme_csv(year: int, per_month: int = 10) -> bytes:
    """Miraflores' programme: one PNP activity, ``per_month`` patrols every month."""
    return to_csv(
        [
            list(COLUMNS),
            [str(year), "150122", "district", "1", "Patrullaje integrado", "1"]
            + ["Patrullaje con serenazgo", "Patrullajes", str(per_month * 12), "PNP"]
            + [str(per_month)] * 12,
        ]
    )


def report_months(actor: User, plan: Plan, executed: dict[int, int]) -> None:
    """Report, submit and approve ``executed`` (month: quantity) through the services."""
    part = ActivityPart.objects.get(activity__strategy__plan=plan)
    pnp = Institution.objects.get(acronym="PNP").pk
    for month, quantity in executed.items():
        report = save_report(actor, part.pk, pnp, month, quantity)
        report = submit_report(actor, report.pk)
        approve_report(actor, report.pk)


def committee(ubigeo: str, level: str = "district") -> Committee:
    return Committee.objects.get(level=level, ubigeo=ubigeo)


def plan_with_months(
    owner: Committee,
    year: int,
    programmed: list[int | None],
    approved: dict[int, tuple[int, datetime]],
    status: str = ReportStatus.APPROVED,
) -> Plan:
    """A committee's programme of one part, with reports recorded as they stand (the
    decision's date set, as the as-of tests need approvals in the past)."""
    plan = Plan.objects.create(year=year, committee=owner, title=f"Plan {owner.name} {year}")
    strategy = Strategy.objects.create(plan=plan, number=1, name="Patrullaje")
    activity = Activity.objects.create(strategy=strategy, number=1, description="Patrullaje")
    part = ActivityPart.objects.create(activity=activity, goal=None, programmed=programmed)
    pnp = Institution.objects.get(acronym="PNP")
    part.institutions.add(pnp)
    for month, (executed, decided) in approved.items():
        ExecutionReport.objects.create(
            part=part,
            institution=pnp,
            month=month,
            executed=executed,
            status=status,
            decided_at=timezone.make_aware(decided) if timezone.is_naive(decided) else decided,
        )
    return plan
