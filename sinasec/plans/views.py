"""Plan pages: the plan with its findings, the focal point's monthly report, the
approver's queue and the progress dashboard."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinasec.core.errors import AccessDenied, EditConflict, ImportRejected
from sinasec.core.exports import CSV_TYPE, PDF_TYPE, XLSX_TYPE, attachment_response
from sinasec.core.filters import read_filter
from sinasec.core.uploads import evidence_response
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job, runs_in_background
from sinasec.plans import evaluation, services, template
from sinasec.plans.access import (
    can_decide_reports,
    can_import_plans,
    can_report_on_plan,
    can_submit_plan,
    get_evidence_for_user,
    get_plan_for_user,
)
from sinasec.plans.charts import month_chart
from sinasec.plans.execution import services as execution
from sinasec.plans.execution.review import review_queue
from sinasec.plans.filters import PlanFilter, PlanLevel
from sinasec.plans.models import Plan, PlanStatus
from sinasec.plans.progress import default_as_of, plan_progress, status_counts
from sinasec.plans.selectors import activities_of, plans, validate_plan


def _links(request: HttpRequest, plan: Plan) -> dict[str, bool]:
    """What the plan's navigation offers: only the pages this reader can use."""
    return {
        "can_report": can_report_on_plan(request.user, plan),
        "can_review": can_decide_reports(request.user, plan),
    }


# Short month names in the reader's language, from Django's locale (es "ene"…"dic",
# en "jan"…"dec"): one spelling everywhere, never a hard-coded Spanish "Set".
MONTH_NAMES = tuple(capfirst(MONTHS_3[m]) for m in range(1, 13))


def index(request: HttpRequest) -> HttpResponse:
    filters, invalid = read_filter(PlanFilter, request.GET)
    for name in invalid:
        messages.error(request, _("The filter “%s” was not valid and was ignored.") % name)
    return render(
        request,
        "plans/index.html",
        {
            "plans": filters.filter(plans())[:200],
            "filters": filters,
            "levels": PlanLevel.choices,
            "statuses": PlanStatus.choices,
            "can_import": can_import_plans(request.user),
        },
    )


def detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    findings = validate_plan(plan)
    by_activity: dict[str, list] = {}
    for finding in findings:
        by_activity.setdefault(finding.activity, []).append(finding)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "strategies": plan.strategies.all(),
            "activities": activities_of(plan),
            "findings": findings,
            "findings_by_activity": by_activity,
            "months": MONTH_NAMES,
            "errors": sum(1 for f in findings if f.severity == "error"),
            "can_submit": can_submit_plan(request.user, plan),
            **_links(request, plan),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = services.submit_plan(request.user, plan_id)
    messages.success(request, _("Plan submitted."))
    return redirect("plans:detail", plan_id=plan.pk)


def download(request: HttpRequest, plan_id: int, ext: str) -> HttpResponse:
    """The plan in the template (Excel or CSV), ready to be edited and imported again."""
    if ext not in ("xlsx", "csv"):
        raise Http404
    plan = get_plan_for_user(request.user, plan_id)
    if ext == "xlsx":
        content, kind = template.export_plan(plan), XLSX_TYPE
    else:
        content, kind = template.export_plan_csv(plan), CSV_TYPE
    return attachment_response(content, template.file_name_for(plan, ext), kind)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    problems = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if isinstance(upload, UploadedFile) and runs_in_background(upload.size or 0):
        if not can_import_plans(request.user):
            raise AccessDenied(
                _("Only national administrators and committee secretaries can import plans.")
            )
        job = enqueue_job(
            request.user, Job.Kind.PLAN_IMPORT, {"file_name": upload.name or "plan"}, file=upload
        )
        return redirect("jobs:detail", job.pk)
    if isinstance(upload, UploadedFile):
        try:
            plan = services.import_plan(request.user, upload.name or "plan", upload.read())
        except ImportRejected as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Plan imported. Its findings are shown beside it."))
            return redirect("plans:detail", plan_id=plan.pk)
    return render(request, "plans/upload.html", {"problems": problems})


def _as_of(request: HttpRequest, plan: Plan) -> date:
    try:
        return date.fromisoformat(request.GET.get("fecha", ""))
    except ValueError:
        return default_as_of(plan)


def progress(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    as_of = _as_of(request, plan)
    rows = plan_progress(plan, as_of)
    months = evaluation.by_month(plan, as_of)
    return render(
        request,
        "plans/progress.html",
        {
            "plan": plan,
            "rows": rows,
            "as_of": as_of,
            "counts": status_counts(rows),
            "labels": STATUS_LABELS,
            "strategies": evaluation.by_strategy(plan, rows),
            "institutions": evaluation.by_institution(plan),
            "chart": month_chart(plan.pk, plan.year, months),
            **_links(request, plan),
        },
    )


def evaluation_xlsx(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    as_of = _as_of(request, plan)
    return attachment_response(
        evaluation.evaluation_workbook(plan, as_of),
        f"evaluacion_{plan.year}_{plan.pk}.xlsx",
        XLSX_TYPE,
    )


def evaluation_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    from django.template.loader import render_to_string
    from weasyprint import HTML  # imported here: it needs the system's pango

    plan = get_plan_for_user(request.user, plan_id)
    as_of = _as_of(request, plan)
    rows = plan_progress(plan, as_of)
    html = render_to_string(
        "plans/evaluation_pdf.html",
        {
            "plan": plan,
            "as_of": as_of,
            "rows": rows,
            "labels": STATUS_LABELS,
            "strategies": evaluation.by_strategy(plan, rows),
            "institutions": evaluation.by_institution(plan),
            "months": evaluation.by_month(plan, as_of),
        },
        request=request,
    )
    return attachment_response(
        HTML(string=html).write_pdf(), f"evaluacion_{plan.year}_{plan.pk}.pdf", PDF_TYPE
    )


STATUS_LABELS = {
    "green": gettext_lazy("on track"),
    "yellow": gettext_lazy("behind"),
    "red": gettext_lazy("far behind"),
    "not_due": gettext_lazy("not yet due"),
}


@login_required
def evidence(request: HttpRequest, plan_id: int, evidence_id: int) -> HttpResponseBase:
    """A month's evidence file, to those who may read the month (the getter decides)."""
    item = get_evidence_for_user(request.user, evidence_id, plan_id=plan_id)
    return evidence_response(item.file, item.original_name, f"evidencia-{item.pk}")


@login_required
def review(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The approver's queue: a page of the reports waiting, oldest first, and the last
    decisions (rows built in ``execution.review``)."""
    plan = get_plan_for_user(request.user, plan_id, write=True)
    queue = review_queue(plan, request.GET.get("page"), get_token(request))
    return render(
        request,
        "plans/review.html",
        {"plan": plan, "queue": queue, "page": queue.page, **_links(request, plan)},
    )


@login_required
@require_POST
def decide(request: HttpRequest, plan_id: int, report_id: int) -> HttpResponse:
    """Approve, return or reopen a month. The services check the report, its plan
    (``plan_id``) and the user's right to decide it: the plan is not read here too."""
    action = request.POST.get("action")
    if action not in ("approve", "return", "reopen"):
        get_plan_for_user(request.user, plan_id, write=True)  # 404/403 all the same
    reason = request.POST.get("reason", "")
    # The version of the month as the page showed it: a decision on a month changed
    # since is refused (none sent: 0, which no month has, so refused too).
    seen = request.POST.get("version", "")
    version = int(seen) if seen.isdigit() else 0
    try:
        if action == "approve":
            execution.approve_report(request.user, report_id, version, plan_id=plan_id)
            messages.success(request, _("Report approved."))
        elif action == "return":
            execution.return_report(request.user, report_id, reason, version, plan_id=plan_id)
            messages.success(request, _("Report returned."))
        elif action == "reopen":
            execution.reopen_report(request.user, report_id, reason, version, plan_id=plan_id)
            messages.success(request, _("Month reopened."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    except EditConflict as exc:
        messages.error(request, str(exc))
    return redirect("plans:review", plan_id=plan_id)
