"""Sector articulation pages: the forms of a barrio's commitments, deliveries, technical
table sessions and agreements (they return to the barrio's page), and the barrio x
sector matrix with its CSV. Access: the getters in ``access``; writes: ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinasec.barrios.access import (
    check_table_access,
    get_agreement_for_user,
    get_barrio_for_user,
    get_commitment_for_user,
)
from sinasec.barrios.articulation import selectors, services
from sinasec.barrios.articulation.forms import (
    AgreementDoneForm,
    CommitmentForm,
    DeliveryForm,
    SessionForm,
    parse_session_rows,
)
from sinasec.barrios.models import BarrioStatus
from sinasec.barrios.pages import back, filtered_barrios, form_errors, save_and_back
from sinasec.core.exports import (
    CSV_TYPE,
    YES_NO,
    Column,
    attachment_response,
    csv_bytes,
    table_rows,
    wants_codes,
)


@login_required
@require_POST
def add_commitment(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id, write=True)
    form = CommitmentForm(request.POST, sectors=selectors.sector_choices())
    return save_and_back(
        request,
        barrio,
        "commitments",
        form,
        lambda: services.add_commitment(request.user, barrio.pk, **form.cleaned_data),
        _("Commitment recorded."),
    )


def _id(raw: str) -> int:
    return int(raw) if raw.isdigit() else 0  # 0: no such row, a 404


@login_required
@require_POST
def report_delivery(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    raw = _id(request.POST.get("commitment", ""))
    # 404 outside the barrio, 403 outside the sector: before any form message
    commitment = get_commitment_for_user(request.user, raw, barrio=barrio, write=True)
    form = DeliveryForm(request.POST, commitments=[(commitment.pk, "")])
    return save_and_back(
        request,
        barrio,
        "commitments",
        form,
        lambda: services.report_delivery(
            request.user,
            commitment.pk,
            form.cleaned_data["delivered_on"],
            form.cleaned_data["quantity"],
            form.cleaned_data["note"],
        ),
        _("Delivery reported."),
    )


@login_required
@require_POST
def record_session(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    check_table_access(request.user, barrio)  # 403 before any form message
    form = SessionForm(request.POST)
    attendance, agreements, errors = parse_session_rows(request.POST)
    if errors:
        form_errors(request, form)
        for text in errors:
            messages.error(request, text)
        return back(barrio, "tables")
    return save_and_back(
        request,
        barrio,
        "tables",
        form,
        lambda: services.record_table_session(
            request.user,
            barrio.pk,
            form.cleaned_data["held_on"],
            attendance,
            agreements,
            place=form.cleaned_data["place"],
        ),
        _("Technical table session recorded."),
    )


@login_required
@require_POST
def mark_agreement_done(request: HttpRequest, barrio_id: int, agreement_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    get_agreement_for_user(request.user, agreement_id, barrio=barrio, write=True)
    form = AgreementDoneForm(request.POST)
    return save_and_back(
        request,
        barrio,
        "tables",
        form,
        lambda: services.mark_agreement_done(
            request.user, agreement_id, form.cleaned_data["done_on"]
        ),
        _("Agreement marked done."),
    )


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    barrios, filters = filtered_barrios(request)
    data = selectors.sector_matrix(list(barrios))
    return render(request, "barrios/articulation/matrix.html", {"matrix": data, "filters": filters})


def _cell_values(cell: selectors.MatrixCell | None) -> list[Any]:
    if cell is None:
        return ["", "", ""]
    return [cell.target, cell.delivered, "" if cell.coverage_pct is None else cell.coverage_pct]


@login_required
def matrix_csv(request: HttpRequest) -> HttpResponse:
    """One row per barrio; per sector its target, delivered and coverage, blank where
    the sector committed nothing (listed in the gaps column)."""
    barrios, _filters = filtered_barrios(request)
    data = selectors.sector_matrix(list(barrios))
    columns = [*MATRIX_COLUMNS]
    for sector in data["sectors"]:
        columns += [
            Column(f"{sector}_{part}", str(label) % {"sector": sector})
            for part, label in SECTOR_PARTS.items()
        ]
    columns.append(Column("gaps", gettext_lazy("sectors without commitments")))
    rows: list[list[Any]] = []
    for row in data["rows"]:
        b = row["barrio"]
        values: list[Any] = [
            b.pk,
            b.name,
            b.district_id or "",
            b.territory_label,
            b.cohort,
            b.status,
            b.is_demo,
        ]
        for _sector, cell in row["line"]:
            values += _cell_values(cell)
        rows.append([*values, " ".join(row["gaps"])])
    lines = table_rows(columns, rows, wants_codes(request))
    return attachment_response(csv_bytes(lines), "barrios-sectores.csv", CSV_TYPE)


MATRIX_COLUMNS = (
    Column("barrio_id", gettext_lazy("barrio id")),
    Column("name", gettext_lazy("name")),
    Column("district", gettext_lazy("district ubigeo")),
    Column("territory", gettext_lazy("territory")),
    Column("cohort", gettext_lazy("cohort")),
    Column("status", gettext_lazy("status"), dict(BarrioStatus.choices)),
    Column("demo", gettext_lazy("demo data"), YES_NO),
)
SECTOR_PARTS = {
    "target": gettext_lazy("%(sector)s: target"),
    "delivered": gettext_lazy("%(sector)s: delivered"),
    "coverage_pct": gettext_lazy("%(sector)s: coverage (%%)"),
}
