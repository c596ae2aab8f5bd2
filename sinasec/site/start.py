"""The start page of each reader, gathered from the apps' selectors: nothing on it is
typed in, every figure is computed from the records as of today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.dates import MONTHS

from sinasec.accounts.scope import AnyUser
from sinasec.committees.access import can_record_events, own_committee_for_user
from sinasec.committees.compliance import INDICATORS, Report, compliance_as_of, plan_deadline
from sinasec.committees.models import Committee, EventKind
from sinasec.committees.selectors import Milestones, milestones
from sinasec.observatory.dashboard import highlights
from sinasec.people.access import can_manage_accounts
from sinasec.people.selectors import not_activated_count
from sinasec.plans.access import can_import_plans, can_report_on_plan
from sinasec.plans.execution.agenda import (
    approval_queue,
    due_this_month,
    overdue_months,
    reporting_month,
    returned_reports,
)
from sinasec.plans.models import Plan, ReportStatus
from sinasec.site.access import start_sections_for_user


@dataclass(frozen=True)
class MyCommittee:
    committee: Committee
    milestones: Milestones
    plan: Plan | None  # the committee's plan for the reporting year
    can_record: bool
    can_report: bool
    can_import_plan: bool


def my_committee(user: AnyUser | None, today: date) -> MyCommittee | None:
    committee = own_committee_for_user(user)
    if committee is None:
        return None
    year, _month = reporting_month(today)
    plan = Plan.objects.filter(committee=committee, year=year).first()
    return MyCommittee(
        committee,
        milestones(committee, today),
        plan,
        can_record_events(user, committee),
        plan is not None and can_report_on_plan(user, plan),
        can_import_plans(user),
    )


@dataclass(frozen=True)
class ComplianceLine:
    key: str
    label: str
    done: int
    total: int
    pct: float | None


def compliance_lines(report: Report) -> list[ComplianceLine]:
    lines = []
    for key, kind in INDICATORS.items():
        total = report.counts[key]["total"]
        label = str(EventKind(kind).label)
        lines.append(ComplianceLine(key, label, total["done"], total["total"], total["pct"]))
    return lines


@dataclass(frozen=True)
class Alerts:
    plan_year: int
    plan_deadline: date
    without_plan: int
    overdue_months: int


def alerts(report: Report, today: date) -> Alerts:
    plan = report.counts["plan"]["total"]
    return Alerts(
        report.plan_year,
        plan_deadline(report.plan_year),
        plan["total"] - plan["done"],
        overdue_months(today),
    )


def start_page(user: AnyUser | None, today: date) -> dict[str, Any]:
    """The context of the start page: only the sections this reader gets."""
    sections = start_sections_for_user(user)
    context: dict[str, Any] = {
        "sections": sections,
        "today": today,
        "report_statuses": dict(ReportStatus.choices),
        "month_names": MONTHS,  # 1..12, translated
    }
    if sections.committee:
        context["mine"] = my_committee(user, today)
    if sections.reporting:
        context["due"] = due_this_month(user, today)
        context["returned"] = returned_reports(user)
    if sections.queue:
        context["queue"] = approval_queue(user)
    if sections.national or sections.public:
        # The start page sums up the four milestones; the compliance page has the rest.
        report = compliance_as_of(today, only=list(INDICATORS))
        context["compliance"] = compliance_lines(report)
        context["compliance_as_of"] = report.as_of
        if sections.national:
            context["alerts"] = alerts(report, today)
            if can_manage_accounts(user):
                context["not_activated"] = not_activated_count(user)
    if sections.public:
        context["highlights"] = highlights()
    return context
