"""The one access check for plans and their monthly execution.

- Plans are public management documents: anyone reads them (the list, a plan, its
  activities, findings and progress).
- Writing a plan: the national plan, national administrators; a committee's plan, its
  committee secretary or a national administrator. Importing plans from the template:
  national administrators and committee secretaries.
- Reporting a month of an activity: a focal point of one of its responsible
  institutions (for that institution), the secretary of the plan's committee, or a
  national administrator. Importing execution from a file: those same roles.
- Approving, returning or reopening: ST-CONASEC (national administrators) for the
  national plan; the committee (its secretary) for its own plan.

Every getter raises ``Http404`` for an unknown object (or one that is not part of the
plan named by ``plan_id``) and ``AccessDenied`` outside the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.committees.access import is_own_committee, own_committee_for_user
from sinasec.core.errors import AccessDenied
from sinasec.plans.models import (
    Activity,
    ActivityPart,
    Evidence,
    ExecutionReport,
    Plan,
    PlanStatus,
)

REPORTERS = (Role.COMMITTEE_SECRETARY, Role.FOCAL_POINT)


def can_write_plan(scope: Scope, plan: Plan) -> bool:
    if scope.is_admin:
        return True
    return plan.committee is not None and is_own_committee(scope, plan.committee)


def can_submit_plan(user: AnyUser | None, plan: Plan) -> bool:
    """A draft plan, and a user who may write it."""
    return plan.status == PlanStatus.DRAFT and can_write_plan(scope_for(user), plan)


def can_decide_reports(user: AnyUser | None, plan: Plan) -> bool:
    """Approve, return and reopen the plan's monthly reports: the plan's owner."""
    return can_write_plan(scope_for(user), plan)


def can_import_plans(user: AnyUser | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.role == Role.COMMITTEE_SECRETARY


def can_write_national_plans(user: AnyUser | None) -> bool:
    return scope_for(user).is_admin


def can_import_execution(user: AnyUser | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.role in REPORTERS


def is_responsible(part: ActivityPart, institution_id: int) -> bool:
    """The institution is one of the part's responsibles: the only ones a month is
    reported for, whoever reports it (its focal point or the plan's owner). Institutions
    prefetched on the part (asking for several people at once) are read, not queried."""
    prefetched = getattr(part, "_prefetched_objects_cache", {}).get("institutions")
    if prefetched is not None:
        return any(institution.pk == institution_id for institution in prefetched)
    return part.institutions.filter(pk=institution_id).exists()


def can_report(scope: Scope, part: ActivityPart, institution_id: int) -> bool:
    return is_responsible(part, institution_id) and _may_report(scope, part, institution_id)


def _may_report(scope: Scope, part: ActivityPart, institution_id: int) -> bool:
    """``can_report`` for an institution known to be responsible for the part."""
    if can_write_plan(scope, part.activity.strategy.plan):
        return True
    return scope.role == Role.FOCAL_POINT and scope.institution_id == institution_id


def can_report_for(user: AnyUser | None, part: ActivityPart, institution_id: int) -> bool:
    return can_report(scope_for(user), part, institution_id)


@dataclass(frozen=True)
class ReportingParts:
    """The parts of a plan a user reports on; ``institution_id`` is set when the user
    reports for one institution only (a focal point)."""

    parts: QuerySet[ActivityPart]
    institution_id: int | None


def reporting_parts_for_user(user: AnyUser | None, plan: Plan) -> ReportingParts:
    """A focal point: the parts its institution answers for; the plan's owner: every
    part; anybody else: none."""
    scope = scope_for(user)
    parts = ActivityPart.objects.filter(activity__strategy__plan=plan)
    if scope.role == Role.FOCAL_POINT:
        return ReportingParts(parts.filter(institutions=scope.institution_id), scope.institution_id)
    if can_write_plan(scope, plan):
        return ReportingParts(parts, None)
    return ReportingParts(parts.none(), None)


def can_report_on_plan(user: AnyUser | None, plan: Plan) -> bool:
    """The user reports some part of the plan (the "Report execution" page has rows)."""
    return reporting_parts_for_user(user, plan).parts.exists()


def reportable_parts_for_user(user: AnyUser | None) -> ReportingParts:
    """Across every plan, the parts a reporter answers for: a focal point's institution's
    parts, a secretary's committee plans' parts. National administrators may report any
    part but have nothing *due*: none."""
    scope = scope_for(user)
    parts = ActivityPart.objects.all()
    if scope.role == Role.FOCAL_POINT:
        return ReportingParts(parts.filter(institutions=scope.institution_id), scope.institution_id)
    committee = own_committee_for_user(user)
    if committee is None:
        return ReportingParts(parts.none(), None)
    return ReportingParts(parts.filter(activity__strategy__plan__committee=committee), None)


def decidable_plans_for_user(user: AnyUser | None) -> QuerySet[Plan]:
    """The plans whose reports wait on this user: ST-CONASEC (national administrators)
    approves the national plans, a committee (its secretary) its own plans. A national
    administrator may also decide a committee's plan, but it is not their queue."""
    scope = scope_for(user)
    if scope.is_admin:
        return Plan.objects.filter(committee__isnull=True)
    committee = own_committee_for_user(user)
    if committee is None:
        return Plan.objects.none()
    return Plan.objects.filter(committee=committee)


def can_read_report(scope: Scope, report: ExecutionReport) -> bool:
    """The rule of ``reporting_parts_for_user`` for one report: the plan's owner, or a
    focal point of an institution responsible for the report's part."""
    if can_write_plan(scope, report.part.activity.strategy.plan):
        return True
    return scope.role == Role.FOCAL_POINT and is_responsible(report.part, scope.institution_id or 0)


def reports_for_user(user: AnyUser | None, plan: Plan) -> QuerySet[ExecutionReport]:
    """The monthly reports of a plan a user may read: those of the parts they report on."""
    parts = reporting_parts_for_user(user, plan).parts
    return ExecutionReport.objects.filter(part__in=parts.values("pk"))


def _not_in_plan(obj_plan_id: int, plan_id: int | None) -> bool:
    return plan_id is not None and obj_plan_id != plan_id


def get_plan_for_user(user: AnyUser | None, plan_id: int, *, write: bool = False) -> Plan:
    plan = Plan.objects.select_related("committee").filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("There is no plan %s.") % plan_id)
    if write and not can_write_plan(scope_for(user), plan):
        raise AccessDenied(_("You cannot change this plan."))
    return plan


def get_activity_for_user(
    user: AnyUser | None, activity_id: int, *, plan_id: int | None = None
) -> Activity:
    """An activity, for reading (plans are public)."""
    activity = Activity.objects.select_related("strategy__plan").filter(pk=activity_id).first()
    if activity is None or _not_in_plan(activity.strategy.plan_id, plan_id):
        raise Http404(_("There is no activity %s.") % activity_id)
    return activity


def get_part_for_user(
    user: AnyUser | None, part_id: int, institution_id: int, *, plan_id: int | None = None
) -> ActivityPart:
    """The activity part a user reports on, for an institution."""
    part = (
        ActivityPart.objects.select_related("activity__strategy__plan__committee")
        .filter(pk=part_id)
        .first()
    )
    if part is None or _not_in_plan(part.activity.strategy.plan_id, plan_id):
        raise Http404(_("There is no activity part %s.") % part_id)
    if not is_responsible(part, institution_id):
        raise AccessDenied(
            _("That institution is not responsible for this activity: it reports nothing of it.")
        )
    if not _may_report(scope_for(user), part, institution_id):  # (responsible: checked above)
        raise AccessDenied(
            _("You can only report the activities your institution is responsible for.")
        )
    return part


def get_report_for_user(
    user: AnyUser | None,
    report_id: int,
    *,
    write: bool = False,
    decide: bool = False,
    plan_id: int | None = None,
) -> ExecutionReport:
    report = (
        ExecutionReport.objects.select_related(
            "part__activity__strategy__plan__committee", "institution"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or _not_in_plan(report.part.activity.strategy.plan_id, plan_id):
        raise Http404(_("There is no report %s.") % report_id)
    scope = scope_for(user)
    if decide and not can_write_plan(scope, report.part.activity.strategy.plan):
        raise AccessDenied(_("Only the plan's owner approves or returns its reports."))
    if write and not can_report(scope, report.part, report.institution_id):
        raise AccessDenied(
            _("You can only report the activities your institution is responsible for.")
        )
    return report


def get_evidence_for_user(
    user: AnyUser | None, evidence_id: int, *, plan_id: int | None = None
) -> Evidence:
    """An evidence file of a monthly report the user may read (``reports_for_user``)."""
    evidence = (
        Evidence.objects.select_related("report__part__activity__strategy__plan__committee")
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None or _not_in_plan(evidence.report.part.activity.strategy.plan_id, plan_id):
        raise Http404(_("There is no evidence file %s.") % evidence_id)
    if not can_read_report(scope_for(user), evidence.report):
        raise AccessDenied(_("You do not have access to this report's evidence."))
    return evidence
