"""The barrio registry: goal progress and the list, one barrio's page and the forms of
its data, status and boundary. Views are thin: the getters in ``access`` decide who
reads, the services decide who writes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.barrios.access import (
    can_edit_barrio,
    can_evaluate,
    can_record_table,
    can_report_delivery,
    can_target,
    get_barrio_for_user,
)
from sinasec.barrios.articulation import selectors as articulation
from sinasec.barrios.articulation.forms import (
    AGREEMENT_ROWS,
    ATTENDANCE_ROWS,
    CommitmentForm,
    DeliveryForm,
    SessionForm,
)
from sinasec.barrios.models import Barrio, BarrioStatus, Commitment
from sinasec.barrios.pages import (
    back,
    filtered_barrios,
    form_errors,
    opened_version,
    save_and_back,
)
from sinasec.barrios.registry import selectors, services
from sinasec.barrios.registry.forms import BoundaryForm, DetailsForm, StatusForm
from sinasec.barrios.registry.services import STATUS_DATE_FIELD, STATUS_ORDER
from sinasec.committees.access import can_read_committee
from sinasec.core.concurrency import keep_typed, take_typed
from sinasec.core.errors import EditConflict
from sinasec.territories.models import Boundary

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() else selectors.default_goal_year()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    barrios, filters = filtered_barrios(request)
    year = _year(request)
    progress = selectors.goal_progress(year)
    goal = progress["goal"]
    return render(
        request,
        "barrios/registry/index.html",
        {
            "page": Paginator(barrios, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "year": year,
            "years": selectors.goal_years() or [year],
            "progress": progress,
            "to_goal": None if goal is None else max(goal - progress["launched"], 0),
            "territories": selectors.territory_rows(progress),
            "monthly": selectors.goal_progress_by_month(year),
            "can_target": can_target(request.user),
            "can_evaluate": can_evaluate(request.user),
        },
    )


def _geometry(text: str) -> Any:
    return json.loads(text) if text else None


def _district_outline(barrio: Barrio, can_edit: bool) -> Any:
    """The district's polygon under the barrio's (or under the drawing of one)."""
    if not barrio.district_id or not (barrio.boundary or can_edit):
        return None
    geometry = (
        Boundary.objects.filter(territory_id=barrio.district_id)
        .values_list("geometry", flat=True)
        .first()
    )
    return _geometry(geometry or "")


DETAILS_FIELDS = ("name", "articulator", "population", "goal_year")


def _details_key(barrio: Barrio) -> str:
    return f"barrio-details-{barrio.pk}"


def _status_context(request: HttpRequest, barrio: Barrio) -> dict[str, Any]:
    current = STATUS_ORDER.index(BarrioStatus(barrio.status))
    return {
        "history": selectors.status_history(barrio),
        "steps": [
            (
                step.value,
                step.label,
                {"date": getattr(barrio, field), "reached": current >= STATUS_ORDER.index(step)},
            )
            for step, field in STATUS_DATE_FIELD.items()
        ],
        "next_statuses": [(s.value, s.label) for s in STATUS_ORDER[current + 1 :]],
        "details_form": DetailsForm(
            initial={
                **{field: getattr(barrio, field) for field in DETAILS_FIELDS},
                # After a conflict: what the user typed, over the version now.
                **take_typed(request, _details_key(barrio)),
                "version": barrio.version,
            }
        ),
        "boundary_form": BoundaryForm(),
    }


def _articulation_context(user: AnyUser, barrio: Barrio, today: date) -> dict[str, Any]:
    scope = scope_for(user)
    commitments = articulation.commitments_of(barrio)
    reportable = [r.commitment for r in commitments if can_report_delivery(scope, r.commitment)]
    committee = articulation.district_committee(barrio)
    sectors = articulation.sector_choices()
    return {
        "can_table": can_record_table(scope, barrio),
        "commitments": commitments,
        "sessions": articulation.sessions_of(barrio, today),
        "committee": committee,
        "can_read_committee": committee is not None and can_read_committee(scope, committee),
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
    }


@login_required
def detail(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    today = date.today()
    can_edit = can_edit_barrio(request.user)
    return render(
        request,
        "barrios/registry/detail.html",
        {
            "barrio": barrio,
            "can_edit": can_edit,
            "can_target": can_target(request.user),
            "can_evaluate": can_evaluate(request.user),
            "boundary": _geometry(barrio.boundary),
            "district_boundary": _district_outline(barrio, can_edit),
            "today": today,
            **_status_context(request, barrio),
            **_articulation_context(request.user, barrio, today),
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


@login_required
@require_POST
def change_status(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = StatusForm(request.POST)
    return save_and_back(
        request,
        barrio,
        "status",
        form,
        lambda: services.change_barrio_status(
            request.user,
            barrio.pk,
            form.cleaned_data["status"],
            form.cleaned_data["on_date"],
            opened_version(request),
        ),
        _("Status changed."),
    )


@login_required
@require_POST
def edit_details(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = DetailsForm(request.POST)

    def keep(conflict: EditConflict) -> None:
        now = get_barrio_for_user(request.user, barrio.pk)
        keep_typed(
            request,
            _details_key(barrio),
            {field: request.POST.get(field, "") for field in DETAILS_FIELDS},
            {f: (str(form.fields[f].label), getattr(now, f)) for f in DETAILS_FIELDS},
            conflict,
        )

    return save_and_back(
        request,
        barrio,
        "data",
        form,
        lambda: services.update_barrio_details(
            request.user,
            barrio.pk,
            **{k: v for k, v in form.cleaned_data.items() if k != "version"},
            expected_version=form.cleaned_data["version"],
        ),
        _("Barrio saved."),
        on_conflict=keep,
    )


@login_required
@require_POST
def upload_boundary(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = BoundaryForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return back(barrio, "map")
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
        return back(barrio, "map")
    return _save_boundary(request, barrio, drawn.encode("utf-8"), DRAWN_NAME)


def _save_boundary(request: HttpRequest, barrio: Barrio, data: bytes, name: str) -> HttpResponse:
    return save_and_back(
        request,
        barrio,
        "map",
        None,
        lambda: services.set_barrio_boundary(
            request.user, barrio.pk, data, name, opened_version(request)
        ),
        _("Boundary saved from %(file)s.") % {"file": name},
    )
