"""Pages of multi-year plans: a plan's years (with "copy forward") and its execution per
quarter and semester; starting a multi-year plan; the national execution ranking with
its downloads. Thin: services write, selectors read."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.accounts.scope import scope_for
from sinasec.committees.access import own_committee_for_user
from sinasec.committees.models import ACRONYM, Committee, CommitteeLevel
from sinasec.core.exports import CSV_TYPE, XLSX_TYPE, attachment_response, csv_bytes, xlsx_bytes
from sinasec.core.filters import valid_query
from sinasec.plans.access import (
    can_decide_reports,
    can_report_on_plan,
    can_write_plan,
    get_plan_for_user,
)
from sinasec.plans.filters import RankingQuery
from sinasec.plans.models import Plan
from sinasec.plans.multiyear import services
from sinasec.plans.multiyear.rates import (
    HEADER,
    QUARTER,
    SEMESTER,
    Period,
    execution_rates,
    national_ranking,
    table_rows,
    threshold_pct,
)


def _committee_periods(plan: Plan, as_of: date) -> list[dict[str, object]]:
    """The plan's committee's execution per quarter and semester of the plan's year."""
    if plan.committee_id is None:
        return []
    periods = [Period(plan.year, QUARTER, n) for n in range(1, 5)]
    periods += [Period(plan.year, SEMESTER, n) for n in (1, 2)]
    return [
        {
            "period": period,
            "rate": execution_rates(period, as_of, committees=[plan.committee_id])[
                plan.committee_id
            ],
        }
        for period in periods
    ]


def years(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's span, its programme of each year, and the execution of this year's."""
    plan = get_plan_for_user(request.user, plan_id)
    siblings = Plan.objects.filter(start_year=plan.start_year, end_year=plan.end_year)
    siblings = (
        siblings.filter(committee_id=plan.committee_id)
        if plan.committee_id
        else siblings.filter(committee__isnull=True, year=plan.year)
    )
    by_year = {p.year: p for p in siblings}
    try:
        as_of = date.fromisoformat(request.GET.get("fecha", ""))
    except ValueError:
        # Today: what is approved now (an approval dated after the year still counts).
        as_of = timezone.localdate()
    can_copy = (
        plan.year < plan.end_year
        and plan.year + 1 not in by_year
        and can_write_plan(scope_for(request.user), plan)
    )
    return render(
        request,
        "plans/multiyear.html",
        {
            "plan": plan,
            "programmes": [
                (year, by_year.get(year)) for year in range(plan.start_year, plan.end_year + 1)
            ],
            "can_copy": can_copy,
            "as_of": as_of,
            "periods": _committee_periods(plan, as_of),
            "threshold": threshold_pct(),
            "can_report": can_report_on_plan(request.user, plan),
            "can_review": can_decide_reports(request.user, plan),
        },
    )


@login_required
@require_POST
def copy_forward(request: HttpRequest, plan_id: int) -> HttpResponse:
    try:
        new = services.copy_forward(request.user, plan_id)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plans:years", plan_id=plan_id)
    messages.success(
        request,
        _("The %(year)d programme was copied to %(next)d as a draft: adjust it and submit it.")
        % {"year": new.year - 1, "next": new.year},
    )
    return redirect("plans:detail", plan_id=new.pk)


def _committee_from(post: dict[str, str]) -> Committee | None:
    level, ubigeo = post.get("nivel", ""), post.get("ubigeo", "").strip()
    if level not in CommitteeLevel.values or not ubigeo.isdigit():
        return None
    return Committee.objects.filter(level=level, ubigeo=ubigeo).first()


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Start a committee's multi-year plan: its first year's programme."""
    own = own_committee_for_user(request.user)
    values = {
        "nivel": own.level if own else CommitteeLevel.DISTRICT.value,
        "ubigeo": own.ubigeo if own else "",
        "desde": str(timezone.localdate().year),
        "hasta": str(timezone.localdate().year + 3),
    }
    errors: list[str] = []
    if request.method == "POST":
        values.update({k: request.POST.get(k, "").strip() for k in values})
        committee = _committee_from(values)
        if committee is None:
            errors.append(_("There is no committee of that level and ubigeo."))
        elif not (values["desde"].isdigit() and values["hasta"].isdigit()):
            errors.append(_("Give the first and last year as numbers (2024, 2027)."))
        else:
            try:
                plan = services.start_multiyear_plan(
                    request.user, committee.pk, int(values["desde"]), int(values["hasta"])
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("Multi-year plan started."))
                return redirect("plans:years", plan_id=plan.pk)
    levels = [(level.value, ACRONYM[level]) for level in CommitteeLevel]
    return render(
        request,
        "plans/multiyear_start.html",
        {"values": values, "errors": errors, "levels": levels},
        status=400 if errors else 200,
    )


def ranking(request: HttpRequest) -> HttpResponse:
    """Public: committees are public bodies, and their plans public documents."""
    query = valid_query(RankingQuery, request.GET)
    result = national_ranking(query.period, query.as_of)
    return render(
        request,
        "plans/ranking.html",
        {
            "ranking": result,
            "query": query,
            "years": range(result.period.year - 3, result.period.year + 2),
        },
    )


def ranking_download(request: HttpRequest, ext: str) -> HttpResponse:
    if ext not in ("csv", "xlsx"):
        raise Http404
    query = valid_query(RankingQuery, request.GET)
    result = national_ranking(query.period, query.as_of)
    name = f"ranking-ejecucion-{result.period.slug}-{result.as_of.isoformat()}"
    rows = table_rows(result)
    if ext == "csv":
        return attachment_response(csv_bytes([HEADER, *rows]), f"{name}.csv", CSV_TYPE)
    return attachment_response(xlsx_bytes([("ranking", HEADER, rows)]), f"{name}.xlsx", XLSX_TYPE)
