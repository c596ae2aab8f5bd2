"""The focal point's execution report: per activity, its twelve months (programmed and
executed, named by the locale), each month's reports with status, reason and deadline,
and a form to report a month. "Corregir" on a returned month opens the form with the
month's values (``?corregir=<report>``); a saved month brings the page back to its row
(``#actividad-2.7-mes-1``) with a message naming the activity and the month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.core.concurrency import keep_typed, take_typed
from sinasec.core.errors import EditConflict
from sinasec.core.uploads import not_kept
from sinasec.plans.access import (
    can_decide_reports,
    get_part_for_user,
    get_plan_for_user,
)
from sinasec.plans.execution import services as execution
from sinasec.plans.execution.forms import (
    CORRECTING,
    FormHtml,
    ReportForm,
    blank_form_html,
    form_html,
    month_anchor,
    month_name,
    part_anchor,
)
from sinasec.plans.execution.grid import CORRECTABLE, Words, month_rows, version_inputs
from sinasec.plans.execution.selectors import (
    ReportPage,
    month_report,
    report_page,
    reporting_part,
)
from sinasec.plans.models import MONTHS, ActivityPart, ExecutionReport, Plan

REPORT_FIELDS = ("part", "institution", "month", "executed", "comment")


@dataclass
class PartView:
    part: ActivityPart
    anchor: str
    rows: SafeString  # the months table's rows (grid.month_rows)
    versions: SafeString  # the months' versions as shown (the lost-write check)
    form: ReportForm | None  # None: the blank form (its HTML from blank_form_html)
    html: FormHtml
    focus: bool  # the form being corrected, kept after a conflict or refused: #corregir
    kept: bool  # it shows what was typed into a month refused by a conflict
    correcting: ExecutionReport | None  # the month "Corregir" opened


def _report_key(plan: Plan) -> str:
    return f"plan-report-{plan.pk}"


def _choices(part: ActivityPart, institution_id: int | None) -> list[tuple[int, str]]:
    """The institutions the user reports this part for (a focal point: its own)."""
    return [
        (i.pk, i.acronym)
        for i in part.institutions.all()
        if not institution_id or i.pk == institution_id
    ]


def _next_month(part: ActivityPart, year: int, institutions: list[tuple[int, str]]) -> int:
    """The month the form offers first: the earliest begun month the user's institution
    has not reported yet (January when all are)."""
    today = timezone.localdate()
    mine = {i for i, _acronym in institutions[:1]}
    done = {r.month for r in part.reports.all() if r.institution_id in mine}
    for month in range(1, MONTHS + 1):
        if date(year, month, 1) <= today and month not in done:
            return month
    return 1


def _part_view(
    part: ActivityPart,
    plan: Plan,
    page: ReportPage,
    bound: ReportForm | None,
    typed: dict[str, str],
    correcting_id: int | None,
    words: Words,
) -> PartView:
    institutions = _choices(part, page.institution_id)

    def unbound(initial: dict[str, object]) -> ReportForm:
        return ReportForm(initial=initial, part=part, year=plan.year, institutions=institutions)

    correcting = next(
        (r for r in part.reports.all() if r.pk == correcting_id and r.status in CORRECTABLE),
        None,
    )
    kept = typed.get("part") == str(part.pk)
    if bound is not None and bound.activity_part.pk == part.pk:
        form = bound
    elif kept:
        form = unbound({k: v for k, v in typed.items() if k != "part"})
    elif correcting is not None:
        initial = {
            "institution": correcting.institution_id,
            "month": correcting.month,
            "executed": correcting.executed,
            "comment": correcting.comment,
        }
        form = unbound(initial)
    else:
        form = None
    if form is None:
        html = blank_form_html(
            part, plan.year, institutions, _next_month(part, plan.year, institutions)
        )
    else:
        html = form_html(form)
    focus = form is not None
    rows = month_rows(part, page.institution_id, correcting.month if correcting else None, words)
    return PartView(
        part, part_anchor(part), rows, version_inputs(part), form, html, focus, kept, correcting
    )


def _page(
    request: HttpRequest,
    plan: Plan,
    bound: ReportForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    page = report_page(request.user, plan)
    typed = take_typed(request, _report_key(plan)) if bound is None else {}
    wanted = request.GET.get(CORRECTING, "")
    correcting_id = int(wanted) if wanted.isdigit() else None
    words = Words(plan.pk, plan.year, page.timely)
    parts = [_part_view(p, plan, page, bound, typed, correcting_id, words) for p in page.parts]
    return render(
        request,
        "plans/report.html",
        {
            "plan": plan,
            "parts": parts,
            "problems": problems or [],
            "words": words,
            "save_url": reverse("plans:save_report", args=[plan.pk]),
            # The nav's links: this page's parts are the ones the user reports on.
            "can_report": bool(page.parts),
            "can_review": can_decide_reports(request.user, plan),
        },
    )


@login_required
def report(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The focal point's page: the months of the activities its institution answers for."""
    plan = get_plan_for_user(request.user, plan_id)
    return _page(request, plan)


def _posted_part(request: HttpRequest, plan: Plan) -> tuple[ActivityPart, int | None]:
    """The part the form was for, among those the user reports on; another part, or an
    institution not responsible for it, is refused as the service would refuse it
    (403: not the user's institution's; 404: unknown)."""
    posted = request.POST.get("part", "")
    part, institution_id = reporting_part(request.user, plan, posted)
    institution = request.POST.get("institution", "")
    if part is not None and (
        not institution.isdigit() or int(institution) in dict(_choices(part, institution_id))
    ):
        return part, institution_id  # (no institution or a bad one: the form says so beside it)
    get_part_for_user(
        request.user,
        int(posted) if posted.isdigit() else 0,
        int(institution) if institution.isdigit() else 0,
        plan_id=plan.pk,
    )
    raise Http404(_("There is no activity part %s.") % posted)


@login_required
@require_POST
def save_report(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Save (or submit) one month. A refused month comes back in its form with each
    error beside its field; a conflict keeps what was typed (core.concurrency)."""
    plan = get_plan_for_user(request.user, plan_id)
    part, institution_id = _posted_part(request, plan)
    choices = _choices(part, institution_id)
    form = ReportForm(request.POST, request.FILES, part=part, year=plan.year, institutions=choices)
    if not form.is_valid():
        return _page(request, plan, form, not_kept(request))
    data = form.cleaned_data
    institution_id, month = data["institution"], data["month"]
    evidence = data["evidence"]
    # The version of the month as the page showed it (none: it had no report then).
    opened = request.POST.get(f"version-{institution_id}-{month}", "")
    submit, attached = bool(request.POST.get("submit")), isinstance(evidence, UploadedFile)
    try:
        saved = execution.save_report(
            request.user,
            part.pk,
            institution_id,
            month,
            data["executed"],
            data["comment"],
            int(opened) if opened.isdigit() else 0,
            plan_id=plan.pk,
            submit=submit and not attached,  # with a file: submitted once the file is kept
        )
        if attached:
            execution.add_evidence(request.user, saved.pk, evidence)
            if submit:
                execution.submit_report(request.user, saved.pk, saved.version, plan_id=plan.pk)
    except ValidationError as exc:
        return _page(request, plan, form, form.add_service_errors(exc) + not_kept(request))
    except EditConflict as exc:
        _keep_report(request, plan, exc, part.pk, institution_id, month)
        return redirect(reverse("plans:report", args=[plan.pk]) + f"#{CORRECTING}")
    names = {"activity": part.activity.code, "month": month_name(plan.year, month)}
    if submit:
        messages.success(request, _("Activity %(activity)s, %(month)s: sent for approval.") % names)
    else:
        messages.success(request, _("Activity %(activity)s, %(month)s: draft saved.") % names)
    return redirect(reverse("plans:report", args=[plan.pk]) + f"#{month_anchor(part, month)}")


def _keep_report(
    request: HttpRequest,
    plan: Plan,
    conflict: EditConflict,
    part_id: int,
    institution_id: int,
    month: int,
) -> None:
    """The month refused by ``conflict``: what the user typed kept for the page, and
    where it differs from the month as saved now."""
    now = month_report(request.user, plan, part_id, institution_id, month)
    keep_typed(
        request,
        _report_key(plan),
        {name: request.POST.get(name, "") for name in REPORT_FIELDS},
        {
            "executed": (_("Executed"), now.executed if now else None),
            "comment": (_("Comment"), now.comment if now else None),
        },
        conflict,
    )
    if request.FILES.get("evidence"):
        messages.warning(request, _("The evidence file was not kept: attach it again."))
