"""The barrio registry: goal progress and the list, one barrio's page with its forms,
and the barrio x sector matrix with its CSV. Views are thin: the getters in ``access``
decide who reads, the services decide who writes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.accounts.scope import scope_for
from sinasec.barrios.access import (
    can_record_table,
    can_report_delivery,
    check_delivery_access,
    check_table_access,
    get_barrio_for_user,
    get_barrios_for_user,
)
from sinasec.barrios.articulation import services as articulation
from sinasec.barrios.models import Agreement, Barrio, BarrioStatus, Commitment
from sinasec.barrios.registry import selectors, services
from sinasec.barrios.registry.forms import (
    AGREEMENT_ROWS,
    ATTENDANCE_ROWS,
    AgreementDoneForm,
    BoundaryForm,
    CommitmentForm,
    DeliveryForm,
    DetailsForm,
    SessionForm,
    StatusForm,
    parse_session_rows,
)
from sinasec.barrios.registry.services import STATUS_DATE_FIELD, STATUS_ORDER
from sinasec.committees.access import can_read_committee
from sinasec.core.errors import ImportRejected
from sinasec.territories.models import Boundary, Region

PAGE_SIZE = 50


def _filter(request: HttpRequest, barrios: QuerySet[Barrio]) -> tuple[QuerySet[Barrio], dict]:
    """The list filters (status, cohort, region) shared by the registry and the matrix."""
    chosen = {k: request.GET.get(k, "").strip() for k in ("status", "cohort", "region")}
    options = {
        "statuses": BarrioStatus.choices,
        "cohorts": sorted(
            c for c in barrios.order_by().values_list("cohort", flat=True).distinct() if c
        ),
        "regions": Region.objects.filter(pk__in=barrios.values("region_id")).order_by("name"),
    }
    if chosen["status"] in BarrioStatus.values:
        barrios = barrios.filter(status=chosen["status"])
    if chosen["cohort"]:
        barrios = barrios.filter(cohort=chosen["cohort"])
    if chosen["region"]:
        barrios = barrios.filter(region_id=chosen["region"])
    query = urlencode({k: v for k, v in chosen.items() if v})
    return barrios, {"chosen": chosen, "query": query, **options}


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() else selectors.default_goal_year()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    barrios, filters = _filter(request, get_barrios_for_user(request.user))
    year = _year(request)
    progress = selectors.goal_progress(year)
    unknown = selectors.UNKNOWN_TERRITORY
    territories = sorted(
        (
            {"label": "" if k == unknown else k, **v, "total": v["planned"] + v["launched"]}
            for k, v in progress["by_territory"].items()
        ),
        key=lambda t: (t["label"] == "", -t["total"], t["label"]),
    )
    goal = progress["goal"]
    monthly = selectors.goal_progress_by_month(year)
    for month in monthly["months"]:
        month["label"] = MONTHS_3[month["month"]]
    return render(
        request,
        "barrios/index.html",
        {
            "page": Paginator(barrios, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "year": year,
            "years": selectors.goal_years() or [year],
            "progress": progress,
            "to_goal": None if goal is None else max(goal - progress["launched"], 0),
            "territories": territories,
            "monthly": monthly,
        },
    )


def _geometry(text: str) -> Any:
    return json.loads(text) if text else None


@login_required
def detail(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    scope = scope_for(request.user)
    today = date.today()
    commitments = selectors.commitments_of(barrio)
    reportable = [r.commitment for r in commitments if can_report_delivery(scope, r.commitment)]
    committee = articulation.district_committee(barrio)
    district_boundary = (
        Boundary.objects.filter(territory_id=barrio.district_id)
        .values_list("geometry", flat=True)
        .first()
        if barrio.district_id and (barrio.boundary or scope.is_admin)
        else None
    )
    current = STATUS_ORDER.index(BarrioStatus(barrio.status))
    sectors = selectors.sector_choices()
    return render(
        request,
        "barrios/detail.html",
        {
            "barrio": barrio,
            "can_edit": scope.is_admin,
            "can_table": can_record_table(scope, barrio),
            "commitments": commitments,
            "sessions": selectors.sessions_of(barrio, today),
            "history": selectors.status_history(barrio),
            "committee": committee,
            "can_read_committee": committee is not None and can_read_committee(scope, committee),
            "boundary": _geometry(barrio.boundary),
            "district_boundary": _geometry(district_boundary or ""),
            "steps": [
                (
                    step.value,
                    step.label,
                    {
                        "date": getattr(barrio, field),
                        "reached": current >= STATUS_ORDER.index(step),
                    },
                )
                for step, field in STATUS_DATE_FIELD.items()
            ],
            "next_statuses": [(s.value, s.label) for s in STATUS_ORDER[current + 1 :]],
            "details_form": DetailsForm(
                initial={
                    "name": barrio.name,
                    "articulator": barrio.articulator,
                    "population": barrio.population,
                    "goal_year": barrio.goal_year,
                }
            ),
            "boundary_form": BoundaryForm(),
            "commitment_form": CommitmentForm(sectors=sectors),
            "delivery_form": DeliveryForm(
                commitments=_commitment_choices(reportable), initial={"delivered_on": today}
            )
            if reportable
            else None,
            "session_form": SessionForm(),
            "sectors": [acronym for acronym, _label in sectors],
            "attendance_rows": range(ATTENDANCE_ROWS),
            "agreement_rows": range(AGREEMENT_ROWS),
            "today": today,
        },
    )


def _commitment_choices(commitments: list[Commitment]) -> list[tuple[int, str]]:
    return [
        (
            c.pk,
            f"{c.sector.acronym}: {c.description} ({c.starts_on:%Y-%m-%d} / {c.ends_on:%Y-%m-%d})",
        )
        for c in commitments
    ]


def _form_errors(request: HttpRequest, form: Form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(map(str, errors))
        messages.error(request, f"{label}: {text}" if label else text)


def _service_errors(request: HttpRequest, exc: ValidationError | ImportRejected) -> None:
    for text in exc.messages if isinstance(exc, ValidationError) else map(str, exc.problems):
        messages.error(request, text)


def _back(barrio: Barrio, section: str = "") -> HttpResponse:
    response = redirect("barrios:detail", barrio_id=barrio.pk)
    if section:
        response["Location"] += f"#{section}"
    return response


@login_required
@require_POST
def change_status(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(barrio, "status")
    try:
        services.change_barrio_status(
            request.user, barrio.pk, form.cleaned_data["status"], form.cleaned_data["on_date"]
        )
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        messages.success(request, _("Status changed."))
    return _back(barrio, "status")


@login_required
@require_POST
def edit_details(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(barrio, "data")
    services.update_barrio_details(request.user, barrio.pk, **form.cleaned_data)
    messages.success(request, _("Barrio saved."))
    return _back(barrio, "data")


@login_required
@require_POST
def upload_boundary(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = BoundaryForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(barrio, "map")
    upload = form.cleaned_data["file"]
    return _save_boundary(request, barrio, upload.read(), upload.name)


DRAWN_NAME = "dibujo.geojson"  # how a drawn boundary is named in messages and the audit


@login_required
@require_POST
def draw_boundary(request: HttpRequest, barrio_id: int) -> HttpResponse:
    """A boundary drawn on the map: the same checks and audit as an uploaded file."""
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    drawn = request.POST.get("geojson", "").strip()
    if not drawn:
        messages.error(request, _("Draw at least three points on the map first."))
        return _back(barrio, "map")
    return _save_boundary(request, barrio, drawn.encode("utf-8"), DRAWN_NAME)


def _save_boundary(request: HttpRequest, barrio: Any, data: bytes, name: str) -> HttpResponse:
    try:
        services.set_barrio_boundary(request.user, barrio.pk, data, name)
    except ImportRejected as exc:
        _service_errors(request, exc)
    else:
        messages.success(request, _("Boundary saved from %(file)s.") % {"file": name})
    return _back(barrio, "map")


@login_required
@require_POST
def add_commitment(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = CommitmentForm(request.POST, sectors=selectors.sector_choices())
    if not form.is_valid():
        _form_errors(request, form)
        return _back(barrio, "commitments")
    try:
        articulation.add_commitment(request.user, barrio.pk, **form.cleaned_data)
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        messages.success(request, _("Commitment recorded."))
    return _back(barrio, "commitments")


@login_required
@require_POST
def report_delivery(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    raw = request.POST.get("commitment", "")
    commitment = (
        Commitment.objects.filter(barrio=barrio, pk=int(raw)).first() if raw.isdigit() else None
    )
    if commitment is None:
        raise Http404(_("There is no such commitment in this barrio."))
    check_delivery_access(request.user, commitment)  # 403 before any form message
    form = DeliveryForm(request.POST, commitments=[(commitment.pk, "")])
    if not form.is_valid():
        _form_errors(request, form)
        return _back(barrio, "commitments")
    data = form.cleaned_data
    try:
        articulation.report_delivery(
            request.user, commitment.pk, data["delivered_on"], data["quantity"], data["note"]
        )
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        messages.success(request, _("Delivery reported."))
    return _back(barrio, "commitments")


@login_required
@require_POST
def record_session(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    check_table_access(request.user, barrio)  # 403 before any form message
    form = SessionForm(request.POST)
    attendance, agreements, errors = parse_session_rows(request.POST)
    if not form.is_valid() or errors:
        _form_errors(request, form)
        for text in errors:
            messages.error(request, text)
        return _back(barrio, "tables")
    try:
        articulation.record_table_session(
            request.user,
            barrio.pk,
            form.cleaned_data["held_on"],
            attendance,
            agreements,
            place=form.cleaned_data["place"],
        )
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        messages.success(request, _("Technical table session recorded."))
    return _back(barrio, "tables")


@login_required
@require_POST
def mark_agreement_done(request: HttpRequest, barrio_id: int, agreement_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    if not Agreement.objects.filter(pk=agreement_id, session__barrio=barrio).exists():
        raise Http404(_("There is no such agreement in this barrio."))
    check_table_access(request.user, barrio)
    form = AgreementDoneForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(barrio, "tables")
    try:
        articulation.mark_agreement_done(request.user, agreement_id, form.cleaned_data["done_on"])
    except ValidationError as exc:
        _service_errors(request, exc)
    else:
        messages.success(request, _("Agreement marked done."))
    return _back(barrio, "tables")


def _matrix(request: HttpRequest) -> tuple[dict[str, Any], dict]:
    barrios, filters = _filter(request, get_barrios_for_user(request.user))
    return selectors.sector_matrix(list(barrios)), filters


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    data, filters = _matrix(request)
    return render(request, "barrios/matrix.html", {"matrix": data, "filters": filters})


@login_required
def matrix_csv(request: HttpRequest) -> HttpResponse:
    """One row per barrio; per sector its target, delivered and coverage, blank where
    the sector committed nothing (listed in the gaps column)."""
    data, _filters = _matrix(request)
    text = io.StringIO()
    writer = csv.writer(text)
    header = ["barrio_id", "name", "district", "territory", "cohort", "status", "demo"]
    for sector in data["sectors"]:
        header += [f"{sector}_target", f"{sector}_delivered", f"{sector}_coverage_pct"]
    writer.writerow([*header, "gaps"])
    for row in data["rows"]:
        b: Barrio = row["barrio"]
        values: list[Any] = [
            b.pk,
            b.name,
            b.district_id or "",
            b.territory_label,
            b.cohort,
            b.status,
            "yes" if b.is_demo else "no",
        ]
        for _sector, cell in row["line"]:
            values += (
                ["", "", ""]
                if cell is None
                else [
                    cell.target,
                    cell.delivered,
                    "" if cell.coverage_pct is None else cell.coverage_pct,
                ]
            )
        writer.writerow([*values, " ".join(row["gaps"])])
    response = HttpResponse(
        text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="barrios-sectores.csv"'
    return response
