"""The plans API: plans, activities, schedule, validation findings, progress and the
monthly execution reports.

Plans are public, as their pages are; execution reports need a signed-in user and follow
the report and review pages' scope. Every write calls the page's service, through the
same access getter."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from ninja import Query, Router
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.core.params import SupportedDate
from sinasec.core.schemas import EVIDENCE_DOWNLOAD
from sinasec.core.uploads import evidence_response
from sinasec.plans import selectors
from sinasec.plans.access import get_evidence_for_user, get_plan_for_user
from sinasec.plans.execution import services as execution
from sinasec.plans.execution.selectors import execution_reports
from sinasec.plans.filters import ExecutionFilter, PlanFilter, RankingQuery
from sinasec.plans.models import Activity, ExecutionReport, Plan
from sinasec.plans.multiyear import services as multiyear
from sinasec.plans.multiyear.rates import national_ranking
from sinasec.plans.progress import default_as_of, plan_progress, status_counts
from sinasec.plans.schemas import (
    ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ActivityOut,
    ExecutionIn,
    ExecutionReportOut,
    InvalidOut,
    PlanDetailOut,
    PlanOut,
    ProgressOut,
    RankingOut,
    ReasonIn,
    TransitionIn,
)
from sinasec.plans.validation import Finding

router = Router(tags=["plans"])


@router.get(
    "",
    response={200: list[PlanOut], 422: InvalidOut},
    summary="List plans (filtered as the plans page)",
)
@paginate
def plans(request: HttpRequest, filters: Query[PlanFilter]) -> QuerySet[Plan]:
    return filters.filter(selectors.plans())


@router.get(
    "/execution-ranking",
    response={200: RankingOut, 422: InvalidOut},
    summary="Committees ranked by execution rate for a semester or quarter, as of a date",
    description=(
        "Executed ÷ programmed of each committee's programme for the year, over the months "
        "of the period ended by `fecha`; only months approved by then count. Flagged below "
        "SINASEC_EXECUTION_THRESHOLD_PCT (default 75). Equal rates share a rank; committees "
        "with nothing programmed yet come last. `semestre` wins over `trimestre`."
    ),
)
def execution_ranking(request: HttpRequest, query: Query[RankingQuery]) -> dict[str, object]:
    return national_ranking(query.period, query.as_of).as_dict()


@router.post(
    "/{plan_id}/copy-forward",
    response={200: PlanOut, **WRITE_ERRORS},
    auth=user_auth,
    summary="Copy a year's programme of a multi-year plan to the next year (a new draft)",
)
def copy_forward(request: HttpRequest, plan_id: int) -> Plan:
    return multiyear.copy_forward(request.user, plan_id)


@router.get("/{plan_id}", response={200: PlanDetailOut, **READ_ERRORS}, summary="A plan")
def plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_plan_for_user(request.user, plan_id)


@router.get(
    "/{plan_id}/activities",
    response={200: list[ActivityOut], **READ_ERRORS},
    summary="A plan's activities: responsibles, annual goal and monthly schedule",
)
@paginate
def activities(request: HttpRequest, plan_id: int) -> QuerySet[Activity]:
    return selectors.activities(get_plan_for_user(request.user, plan_id))


@router.get(
    "/{plan_id}/progress",
    response={200: ProgressOut, **READ_ERRORS},
    summary="Programmed vs approved execution to a date, per activity",
)
def progress(
    request: HttpRequest, plan_id: int, as_of: SupportedDate | None = None
) -> dict[str, object]:
    plan = get_plan_for_user(request.user, plan_id)
    as_of = as_of or default_as_of(plan)
    rows = plan_progress(plan, as_of)
    return {"plan": plan.pk, "as_of": as_of, "counts": status_counts(rows), "activities": rows}


@router.get(
    "/{plan_id}/validation",
    response={200: list[Finding], **READ_ERRORS},
    summary="The plan's validation findings",
)
@paginate
def validation(request: HttpRequest, plan_id: int) -> list[Finding]:
    return selectors.validate_plan(get_plan_for_user(request.user, plan_id))


@router.get(
    "/{plan_id}/execution",
    response={200: list[ExecutionReportOut], **ERRORS},
    auth=user_auth,
    summary="Monthly execution reports the user may read (reporter or approver)",
)
@paginate
def execution_list(
    request: HttpRequest, plan_id: int, filters: Query[ExecutionFilter]
) -> QuerySet[ExecutionReport]:
    plan = get_plan_for_user(request.user, plan_id)
    return filters.filter(execution_reports(request.user, plan))


@router.put(
    "/{plan_id}/execution",
    response={200: ExecutionReportOut, **WRITE_ERRORS},
    auth=user_auth,
    summary="Save a month's execution of an activity part as a draft",
)
def save_execution(request: HttpRequest, plan_id: int, data: ExecutionIn) -> ExecutionReport:
    return execution.save_report(
        request.user,
        data.part,
        data.institution,
        data.month,
        data.executed,
        data.comment,
        data.version,  # 0: the client saw no report of that month
        plan_id=plan_id,
    )


@router.post(
    "/{plan_id}/execution/{report_id}/submit",
    response={200: ExecutionReportOut, **WRITE_ERRORS},
    auth=user_auth,
    summary="Submit a month for approval",
)
def submit_execution(
    request: HttpRequest, plan_id: int, report_id: int, data: TransitionIn
) -> ExecutionReport:
    return execution.submit_report(request.user, report_id, data.version, plan_id=plan_id)


@router.post(
    "/{plan_id}/execution/{report_id}/approve",
    response={200: ExecutionReportOut, **WRITE_ERRORS},
    auth=user_auth,
    summary="Approve a submitted month (the plan's owner)",
)
def approve_execution(
    request: HttpRequest, plan_id: int, report_id: int, data: TransitionIn
) -> ExecutionReport:
    return execution.approve_report(request.user, report_id, data.version, plan_id=plan_id)


@router.post(
    "/{plan_id}/execution/{report_id}/return",
    response={200: ExecutionReportOut, **WRITE_ERRORS},
    auth=user_auth,
    summary="Return a submitted month with a reason (the plan's owner)",
)
def return_execution(
    request: HttpRequest, plan_id: int, report_id: int, data: ReasonIn
) -> ExecutionReport:
    return execution.return_report(
        request.user, report_id, data.reason, data.version, plan_id=plan_id
    )


@router.post(
    "/{plan_id}/execution/{report_id}/reopen",
    response={200: ExecutionReportOut, **WRITE_ERRORS},
    auth=user_auth,
    summary="Reopen an approved month with a reason (the plan's owner)",
)
def reopen_execution(
    request: HttpRequest, plan_id: int, report_id: int, data: ReasonIn
) -> ExecutionReport:
    return execution.reopen_report(
        request.user, report_id, data.reason, data.version, plan_id=plan_id
    )


@router.get(
    "/{plan_id}/execution/evidence/{evidence_id}",
    response=ERRORS,
    auth=user_auth,
    url_name="plan_evidence",
    summary="A month's evidence file, to those who may read the month",
    openapi_extra=EVIDENCE_DOWNLOAD,
)
def execution_evidence(request: HttpRequest, plan_id: int, evidence_id: int) -> HttpResponseBase:
    item = get_evidence_for_user(request.user, evidence_id, plan_id=plan_id)
    return evidence_response(item.file, item.original_name, f"evidencia-{item.pk}")
