"""The one access check for plans and their monthly execution.

- Plans are public management documents: anyone reads them.
- Writing a plan: the national plan, national administrators; a committee's plan, its
  committee secretary or a national administrator.
- Reporting a month of an activity: a focal point of one of its responsible
  institutions (for that institution), the secretary of the plan's committee, or a
  national administrator.
- Approving, returning or reopening: ST-CONASEC (national administrators) for the
  national plan; the committee (its secretary) for its own plan.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.committees.access import is_own_committee
from sinasec.core.errors import AccessDenied
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan


def can_write_plan(scope: Scope, plan: Plan) -> bool:
    if scope.is_admin:
        return True
    return plan.committee is not None and is_own_committee(scope, plan.committee)


def can_report(scope: Scope, part: ActivityPart, institution_id: int) -> bool:
    plan = part.activity.strategy.plan
    if can_write_plan(scope, plan):
        return True
    if scope.role != Role.FOCAL_POINT or scope.institution_id != institution_id:
        return False
    return part.institutions.filter(pk=institution_id).exists()


def get_plan_for_user(user: AnyUser | None, plan_id: int, *, write: bool = False) -> Plan:
    plan = Plan.objects.select_related("committee").filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("There is no plan %s.") % plan_id)
    if write and not can_write_plan(scope_for(user), plan):
        raise AccessDenied(_("You cannot change this plan."))
    return plan


def get_part_for_user(user: AnyUser | None, part_id: int, institution_id: int) -> ActivityPart:
    """The activity part a user reports on, for an institution."""
    part = (
        ActivityPart.objects.select_related("activity__strategy__plan__committee")
        .filter(pk=part_id)
        .first()
    )
    if part is None:
        raise Http404(_("There is no activity part %s.") % part_id)
    if not can_report(scope_for(user), part, institution_id):
        raise AccessDenied(
            _("You can only report the activities your institution is responsible for.")
        )
    return part


def get_report_for_user(
    user: AnyUser | None, report_id: int, *, write: bool = False, decide: bool = False
) -> ExecutionReport:
    report = (
        ExecutionReport.objects.select_related(
            "part__activity__strategy__plan__committee", "institution"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404(_("There is no report %s.") % report_id)
    scope = scope_for(user)
    if decide and not can_write_plan(scope, report.part.activity.strategy.plan):
        raise AccessDenied(_("Only the plan's owner approves or returns its reports."))
    if write and not can_report(scope, report.part, report.institution_id):
        raise AccessDenied(
            _("You can only report the activities your institution is responsible for.")
        )
    return report
