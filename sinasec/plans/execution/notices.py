"""What monthly execution tells people (``sinasec.notifications``).

- At once, when the approver decides: the focal points of the report's institution
  learn that it was returned (with the reason) or approved (``notify_decision``, called
  by the services on commit).
- Daily (``sinasec notify``, the ``plans`` source): a month whose report is due within
  ``SINASEC_NOTIFY_DUE_DAYS`` days or overdue, and not submitted, for each activity with
  something programmed that month; one notification per person, plan and month, to the
  focal points of the responsible institution and to the committee's secretary for a
  committee's plan. On digest days, each approver's queue of submitted reports.

Everyone told can open the page linked: the recipients are filtered by the plans'
own access rules (``can_read_report``, ``can_decide_reports``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Min, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from sinasec.accounts.scope import scope_for
from sinasec.notifications.access import (
    committee_secretaries,
    focal_points_by_institution,
    focal_points_of,
    national_admins,
)
from sinasec.notifications.models import Kind
from sinasec.notifications.services import Draft
from sinasec.notifications.sources import Day
from sinasec.plans.access import can_decide_reports, can_read_report
from sinasec.plans.execution.selectors import due_date
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus

DONE = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
REPORT = "plans.executionreport"
PLAN = "plans.plan"


def _month(year: int, month: int) -> str:
    return f"{month:02d}/{year}"


def decision_drafts(report: ExecutionReport) -> list[Draft]:
    """A returned or approved report, told to the focal points of its institution.

    ``report`` is the decision as committed, with its part's activity, strategy, plan
    and committee and its institution loaded (the service has them: nothing is read
    again)."""
    if report.status not in (ReportStatus.RETURNED, ReportStatus.APPROVED):
        return []
    plan = report.part.activity.strategy.plan
    activity = report.part.activity
    kind = Kind.REPORT_RETURNED if report.status == ReportStatus.RETURNED else Kind.REPORT_APPROVED
    with override("es-pe"):
        facts = {
            "activity": f"{activity.code} {activity.description[:80]}",
            "month": _month(plan.year, report.month),
            "plan": plan.title,
            "institution": report.institution.acronym,
            "reason": report.reason,
        }
        if kind == Kind.REPORT_RETURNED:
            title = _("Report returned: %(activity)s, %(month)s") % facts
            body = (
                _(
                    "The report of %(institution)s for activity %(activity)s (%(plan)s), month "
                    "%(month)s, was returned for correction.\nReason: %(reason)s"
                )
                % facts
            )
        else:
            title = _("Report approved: %(activity)s, %(month)s") % facts
            body = (
                _(
                    "The report of %(institution)s for activity %(activity)s (%(plan)s), month "
                    "%(month)s, was approved."
                )
                % facts
            )
    # One notification per decision: a report returned twice is told twice.
    recipients = focal_points_of([report.institution_id])
    if len(recipients) > 1:  # each asks whether the institution is responsible: once
        prefetch_related_objects([report.part], "institutions")
    period = timezone.localtime(report.decided_at).isoformat() if report.decided_at else ""
    link = reverse("plans:report", kwargs={"plan_id": plan.pk})
    return [
        Draft(user, kind, REPORT, report.pk, period, title, body, link)
        for user in recipients
        if user.pk != report.decided_by_id and can_read_report(scope_for(user), report)
    ]


def _programmed(part: ActivityPart, month: int) -> int:
    values = part.programmed or []
    return (values[month - 1] or 0) if len(values) >= month else 0


def _months_to_check(day: date) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(due soon, overdue) months of this year's and last year's plans."""
    horizon = day + timedelta(days=settings.NOTIFY_DUE_DAYS)
    soon, late = [], []
    for year in (day.year - 1, day.year):
        for month in range(1, 13):
            due = due_date(year, month)
            if day < due <= horizon:
                soon.append((year, month))
            elif due < day:
                late.append((year, month))
    return soon, late


Pending = dict[tuple[int, int], dict[int, set[int]]]  # (plan, institution) -> month -> parts


def _pending(months: list[tuple[int, int]]) -> tuple[Pending, dict[int, Plan]]:
    """Per plan and responsible institution, the months (of ``months``) with something
    programmed and no report submitted or approved, and the activity parts concerned."""
    years = {y for y, _m in months}
    wanted = defaultdict(set)
    for y, m in months:
        wanted[y].add(m)
    parts = (
        ActivityPart.objects.filter(activity__strategy__plan__year__in=years)
        .select_related("activity__strategy__plan__committee")
        .prefetch_related("institutions")
    )
    done = set(
        ExecutionReport.objects.filter(
            part__activity__strategy__plan__year__in=years, status__in=DONE
        ).values_list("part_id", "institution_id", "month")
    )
    pending: Pending = defaultdict(lambda: defaultdict(set))
    plans: dict[int, Plan] = {}
    for part in parts.iterator(chunk_size=2000):
        plan = part.activity.strategy.plan
        for month in wanted[plan.year]:
            if not _programmed(part, month):
                continue
            for institution in part.institutions.all():
                if (part.pk, institution.pk, month) not in done:
                    pending[(plan.pk, institution.pk)][month].add(part.pk)
                    plans[plan.pk] = plan
    return pending, plans


PlanMonths = list[tuple[Plan, dict[int, set[int]]]]
LISTED = 20  # plans named in one notification; the rest are counted


def _reporters(pending: Pending, plans: dict[int, Plan]) -> Iterator[tuple[User, PlanMonths]]:
    """Each person who reports, with every plan they have something pending in and its
    months (the institutions they report for merged): one notification per person."""
    by_institution = focal_points_by_institution({inst for _plan, inst in pending})
    committees = [p.committee for p in plans.values() if p.committee is not None]
    secretaries = committee_secretaries(
        [c.territory_id for c in committees if c.territory_id],
        [c.region_id for c in committees if c.region_id],
    )
    merged: dict[int, dict[int, dict[int, set[int]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    people: dict[int, User] = {}
    for (plan_id, institution_id), months in pending.items():
        plan = plans[plan_id]
        tell = list(by_institution[institution_id])
        if plan.committee is not None:
            tell += [s for s in secretaries if can_decide_reports(s, plan)]
        for user in tell:
            people[user.pk] = user
            for month, parts in months.items():
                merged[user.pk][plan_id][month] |= parts
    for user_id, by_plan in merged.items():
        ordered = sorted(
            by_plan.items(), key=lambda item: (plans[item[0]].committee_id or 0, item[0])
        )
        yield people[user_id], [(plans[pid], months) for pid, months in ordered]


def _due_draft(user: User, pending: PlanMonths, late: bool) -> Draft:
    """One notification for a person: the plans and months still to report."""
    last = max((plan.year, max(months)) for plan, months in pending)
    activities = sum(len(set().union(*months.values())) for _plan, months in pending)
    first, first_months = pending[0]
    facts: dict[str, object] = {
        "plan": first.title,
        "months": ", ".join(_month(first.year, m) for m in sorted(first_months)),
        "n": activities,
        "plans": len(pending),
        "due": due_date(*last).strftime("%d/%m/%Y"),
    }
    with override("es-pe"):
        title, body = _due_texts(late, facts, len(pending) > 1)
        if len(pending) > 1:
            lines = [
                f"- {plan.title}: " + ", ".join(_month(plan.year, m) for m in sorted(months))
                for plan, months in pending[:LISTED]
            ]
            if len(pending) > LISTED:
                lines.append(_("… and %(n)d more plans.") % {"n": len(pending) - LISTED})
            body += "\n" + "\n".join(lines)
    if len(pending) == 1:
        object_id, link = first.pk, reverse("plans:report", kwargs={"plan_id": first.pk})
    else:
        object_id, link = None, reverse("plans:index")
    kind = Kind.REPORT_OVERDUE if late else Kind.REPORT_DUE
    return Draft(user, kind, PLAN, object_id, f"{last[0]}-{last[1]:02d}", title, body, link)


def _due_texts(late: bool, facts: dict[str, object], several: bool) -> tuple[str, str]:
    n = int(str(facts["n"]))
    facts = {**facts, "activities": ngettext("%(n)d activity", "%(n)d activities", n) % {"n": n}}
    if late and several:
        title = _("Reports overdue in %(plans)d plans") % facts
        body = _("The monthly execution of %(activities)s is overdue (not submitted):") % facts
    elif late:
        title = _("Reports overdue: %(plan)s") % facts
        body = (
            _(
                "The monthly execution of %(activities)s of %(plan)s is overdue "
                "(not submitted) for: %(months)s."
            )
            % facts
        )
    elif several:
        title = _("Reports due on %(due)s in %(plans)d plans") % facts
        body = (
            _(
                "The monthly execution of %(activities)s is due on %(due)s and has not "
                "been submitted:"
            )
            % facts
        )
    else:
        title = _("Report due on %(due)s: %(plan)s") % facts
        body = (
            _(
                "The monthly execution of %(activities)s of %(plan)s for %(months)s is due "
                "on %(due)s and has not been submitted."
            )
            % facts
        )
    return title, body


def due_drafts(day: date) -> list[Draft]:
    soon, late = _months_to_check(day)
    drafts = []
    for months, is_late in ((soon, False), (late, True)):
        if not months:
            continue
        pending, plans = _pending(months)
        drafts += [_due_draft(user, mine, is_late) for user, mine in _reporters(pending, plans)]
    return drafts


def digest_drafts(day: date) -> list[Draft]:
    """Each approver's queue: the plans they decide with reports waiting, oldest first."""
    waiting = (
        ExecutionReport.objects.filter(status=ReportStatus.SUBMITTED)
        .values("part__activity__strategy__plan_id")
        .annotate(n=Count("pk"), oldest=Min("submitted_at"))
        .order_by("oldest")
    )
    queue = {row["part__activity__strategy__plan_id"]: row for row in waiting}
    plans = Plan.objects.select_related("committee").filter(pk__in=queue).in_bulk()
    committees = [p.committee for p in plans.values() if p.committee is not None]
    candidates = national_admins() + committee_secretaries(
        [c.territory_id for c in committees if c.territory_id],
        [c.region_id for c in committees if c.region_id],
    )
    iso = day.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    drafts = []
    for user in candidates:
        mine = [plans[pid] for pid in queue if can_decide_reports(user, plans[pid])]
        if mine:
            drafts.append(_digest_draft(user, mine, queue, week))
    return drafts


def _digest_draft(user: User, plans: list[Plan], queue: dict, week: str) -> Draft:
    total = sum(queue[p.pk]["n"] for p in plans)
    with override("es-pe"):
        lines = [
            _("%(plan)s: %(n)d waiting, the oldest submitted on %(since)s")
            % {
                "plan": p.title,
                "n": queue[p.pk]["n"],
                "since": timezone.localtime(queue[p.pk]["oldest"]).strftime("%d/%m/%Y"),
            }
            for p in plans
        ]
        title = _("Weekly digest: %(n)d reports waiting for your review") % {"n": total}
        body = _("Reports submitted and waiting for your decision:") + "\n" + "\n".join(lines)
    link = reverse("plans:review", kwargs={"plan_id": plans[0].pk})
    return Draft(user, Kind.WEEKLY_DIGEST, "", None, week, title, body, link)


def plans_source(day: Day) -> Iterable[Draft]:
    yield from due_drafts(day.today)
    if day.digest:
        yield from digest_drafts(day.today)
