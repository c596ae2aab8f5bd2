"""Committee pages: the registry, one committee's timeline with its forms, and the
compliance report with its downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from sinasec.committees import services
from sinasec.committees.access import (
    can_import_events,
    can_read_registry,
    can_record_events,
    get_committee_for_user,
    get_committees_for_user,
    get_event_for_user,
)
from sinasec.committees.charts import series_chart
from sinasec.committees.compliance import INDICATORS, LEVELS, Report, compliance_as_of, pct
from sinasec.committees.filters import CommitteeFilter, ComplianceQuery
from sinasec.committees.forms import (
    OPTIONAL,
    BaseMemberFormSet,
    EventForm,
    kind_or_default,
    member_formset,
    service_errors,
    typed_again,
    uses,
)
from sinasec.committees.models import (
    Committee,
    CommitteeEvent,
    CommitteeLevel,
    EventKind,
    evidence_fallback,
)
from sinasec.committees.series import monthly_series
from sinasec.core.cache import cached_public_page
from sinasec.core.charts import Chart
from sinasec.core.errors import AccessDenied, ImportRejected
from sinasec.core.exports import (
    CSV_TYPE,
    PDF_TYPE,
    XLSX_TYPE,
    YES_NO,
    Column,
    attachment_response,
    csv_bytes,
    sheet_name,
    table,
    table_rows,
    wants_codes,
    xlsx_bytes,
)
from sinasec.core.filters import from_query, valid_query
from sinasec.core.text import search_key
from sinasec.core.uploads import evidence_response, not_kept
from sinasec.institutions.models import Institution
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job, runs_in_background
from sinasec.territories.models import Region, Territory


@login_required
def index(request: HttpRequest) -> HttpResponse:
    filters = from_query(CommitteeFilter, request.GET)
    committees = filters.filter(get_committees_for_user(request.user))
    page = Paginator(committees.order_by("level", "ubigeo"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/index.html",
        {
            "page": page,
            "levels": CommitteeLevel.choices,
            "level": filters.level or "",
            "q": filters.q or "",
            "can_import": can_import_events(request.user),
        },
    )


def _institutions() -> list[str]:
    """The acronyms a member may belong to (bodies that were renamed offer the new name)."""
    return list(
        Institution.objects.filter(successor__isnull=True)
        .order_by("acronym")
        .values_list("acronym", flat=True)
    )


def _detail_page(
    request: HttpRequest,
    committee: Committee,
    form: EventForm,
    members: BaseMemberFormSet,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    events = committee.events.prefetch_related("members__institution").order_by("-date", "-id")
    kind = form.chosen_kind
    return render(
        request,
        "committees/detail.html",
        {
            "committee": committee,
            "events": events,
            "can_write": can_record_events(request.user, committee),
            "form": form,
            "members": members,
            "problems": problems or [],
            "kind": kind,
            "shows": {field: uses(kind, field) for field in OPTIONAL},
            "kinds_for": {field: _kinds_using(field) for field in OPTIONAL},
        },
        status=status,
    )


def _kinds_using(field: str) -> str:
    """The kinds a fieldset belongs to, for event-form.js (space separated)."""
    return " ".join(kind for kind in EventKind.values if uses(kind, field))


@login_required
def detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    """The timeline and the event form; ``?hecho=plan`` opens the form on that kind."""
    committee = get_committee_for_user(request.user, committee_id)
    kind = kind_or_default(request.GET.get("hecho"))
    form = EventForm(initial={"kind": kind})
    return _detail_page(request, committee, form, member_formset(_institutions(), kind))


@login_required
@require_POST
def record(request: HttpRequest, committee_id: int) -> HttpResponse:
    """Record the event; a refused one comes back with everything typed kept (the
    evidence file aside: browsers never refill a file input) and each error beside its
    field. The ``paso`` buttons (no JavaScript) show another kind's fields or more rows."""
    committee = get_committee_for_user(request.user, committee_id, write=True)
    institutions = _institutions()
    if request.POST.get("paso"):
        return _detail_page(request, committee, *typed_again(request.POST, institutions))
    form = EventForm(request.POST, request.FILES)
    kind = form.chosen_kind
    if uses(kind, "members"):
        members = member_formset(institutions, kind, request.POST)
    else:  # rows a browser without the script still sent are not this kind's: dropped
        members = member_formset(institutions, kind)
    if not (form.is_valid() and (members.is_valid() or not members.is_bound)):
        return _detail_page(request, committee, form, members, not_kept(request))
    data = form.cleaned_data
    try:
        services.record_event(
            request.user,
            committee.pk,
            EventKind(data["kind"]),
            data["date"],
            year=data["year"],
            person=data["person"],
            document=data["document"],
            evidence=data["evidence"],
            members=members.members() if uses(kind, "members") else [],
        )
    except ValidationError as exc:
        problems = service_errors(exc, form, members) + not_kept(request)
        return _detail_page(request, committee, form, members, problems)
    messages.success(
        request,
        _("Event recorded: %(event)s on %(date)s.")
        % {"event": EventKind(data["kind"]).label, "date": date_format(data["date"])},
    )
    return redirect("committees:detail", committee_id=committee.pk)


@login_required
def evidence(request: HttpRequest, committee_id: int, event_id: int) -> HttpResponseBase:
    """An event's acta, to those who may read the committee (the getter decides)."""
    event = get_event_for_user(request.user, event_id, committee_id=committee_id)
    return evidence_response(event.evidence, event.evidence_name, evidence_fallback(event))


def _parameters(request: HttpRequest) -> tuple[date, str | None, int | None]:
    """The report's date, region and plan year; a value that is not valid (a date
    outside the supported range, a year 10000) is a 400 that says which."""
    query = valid_query(ComplianceQuery, request.GET)
    region = query.region
    if region and not Region.objects.filter(code=region).exists():
        region = None
    return query.as_of, region, query.anio_plan


@cached_public_page("committees")
def compliance(request: HttpRequest) -> HttpResponse:
    """Public: aggregates only; the pending lists name committees, which are public bodies."""
    as_of, region, plan_year = _parameters(request)
    report = compliance_as_of(as_of, region, plan_year)
    indicator = from_query(ComplianceQuery, request.GET).indicator
    regions = {r.code: r.name for r in Region.objects.all()}
    query = request.GET.urlencode()
    return render(
        request,
        "committees/compliance.html",
        {
            "report": report,
            "tables": _tables(report),
            "regions": sorted(regions.items(), key=lambda item: item[1]),
            "region_rows": _region_rows(report, regions, indicator),
            "province_rows": _province_rows(report, indicator) if region else [],
            "indicator": indicator,
            "indicators": INDICATOR_LABELS,
            "department_pct": _department_pct(report, indicator),
            "chart": _series_chart(as_of, region),
            "pending": report.pending[indicator][:200],
            "pending_count": len(report.pending[indicator]),
            "csv_url": reverse("committees:compliance_csv") + f"?{query}",
            "xlsx_url": reverse("committees:compliance_xlsx") + f"?{query}",
            "pdf_url": reverse("committees:compliance_pdf") + f"?{query}",
            "geojson_url": reverse("api:territory_geojson_national"),
            "can_read_registry": can_read_registry(request.user),
        },
    )


INDICATOR_LABELS = {
    "installed": EventKind.INSTALLED.label,
    "sworn": EventKind.SWORN.label,
    "plan": EventKind.PLAN.label,
    "secretary": EventKind.SECRETARY.label,
}


def _tables(report: Report) -> list[dict[str, object]]:
    return [
        {"key": key, "label": label, "cells": [report.counts[key][lv] for lv in (*LEVELS, "total")]}
        for key, label in INDICATOR_LABELS.items()
    ]


def _region_rows(report: Report, names: dict[str, str], indicator: str) -> list[dict[str, object]]:
    rows = []
    for code, values in report.by_region.items():
        done, total = values[indicator]
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "done": done,
                "total": total,
                "pct": pct(done, total),
            }
        )
    return sorted(rows, key=lambda r: search_key(str(r["name"])))


def _series_chart(as_of: date, region: str | None) -> Chart:
    """The monthly series of the five years up to the report date."""
    start = date(as_of.year - 5, as_of.month, 1)
    return series_chart(monthly_series(start, as_of, region), INDICATOR_LABELS, as_of, region)


def _province_rows(report: Report, indicator: str) -> list[dict[str, object]]:
    """Drill-down inside a region: each province's COPROSEC and CODISECs together."""
    names = dict(
        Territory.objects.filter(ubigeo__in=list(report.by_province)).values_list("ubigeo", "name")
    )
    rows = []
    for code, values in sorted(report.by_province.items()):
        done, total = values[indicator]
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "done": done,
                "total": total,
                "pct": pct(done, total),
            }
        )
    return rows


def _department_pct(report: Report, indicator: str) -> dict[str, float | None]:
    """Percentage per department for the map (Lima's two regions add up)."""
    sums: dict[str, list[int]] = {}
    for code, values in report.by_region.items():
        done, total = values[indicator]
        entry = sums.setdefault(code[:2], [0, 0])
        entry[0] += done
        entry[1] += total
    return {dept: pct(d, t) for dept, (d, t) in sums.items()}


@cached_public_page("committees")
def compliance_xlsx(request: HttpRequest) -> HttpResponse:
    """The same tables as the CSV, as a workbook: one sheet of figures, one per pending list
    (in words, or with ``?columnas=codigos`` in machine names)."""
    as_of, region, plan_year = _parameters(request)
    report = compliance_as_of(as_of, region, plan_year)
    codes = wants_codes(request)
    sheets = [(sheet_name("cumplimiento", _("compliance"), codes), *_figures(report, as_of, codes))]
    for key in INDICATORS:
        label = PENDING_SHEETS[key]
        header, rows = table(
            PENDING_COLUMNS[1:], [r[1:] for r in _pending_rows(report, key)], codes
        )
        sheets.append((sheet_name(f"pendientes_{key}", label, codes), header, rows))
    return attachment_response(
        xlsx_bytes(sheets), f"cumplimiento-{as_of.isoformat()}.xlsx", XLSX_TYPE
    )


@login_required
def import_events(request: HttpRequest) -> HttpResponse:
    problems = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if isinstance(upload, UploadedFile) and runs_in_background(upload.size or 0):
        if not can_import_events(request.user):
            raise AccessDenied(
                _("Only national administrators and committee secretaries can import events.")
            )
        job = enqueue_job(
            request.user,
            Job.Kind.COMMITTEE_EVENTS_IMPORT,
            {"file_name": upload.name or "eventos"},
            file=upload,
        )
        return redirect("jobs:detail", job.pk)
    if isinstance(upload, UploadedFile):
        try:
            result = services.import_events(request.user, upload.name or "eventos", upload.read())
        except ImportRejected as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _(
                    "%(file)s imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged."
                )
                % result.as_dict(),
            )
            return redirect("committees:import")
    return render(request, "committees/import.html", {"problems": problems})


PDF_TABLES = (
    # (indicator, table title as in the 2010 plan, done label, pending label)
    (
        "installed",
        gettext_lazy("Security committees installed and to be installed"),
        gettext_lazy("INSTALLED"),
        gettext_lazy("TO BE INSTALLED"),
    ),
    (
        "sworn",
        gettext_lazy("Security committees sworn in and to be sworn in"),
        gettext_lazy("SWORN IN"),
        gettext_lazy("TO BE SWORN IN"),
    ),
    (
        "plan",
        gettext_lazy("Committees that reported the formulation of their plan"),
        gettext_lazy("FORMULATED"),
        gettext_lazy("TO BE FORMULATED"),
    ),
    (
        "secretary",
        gettext_lazy("Accreditation of the committees' technical secretaries"),
        gettext_lazy("ACCREDITED"),
        gettext_lazy("TO BE ACCREDITED"),
    ),
)


@cached_public_page("committees")
def compliance_pdf(request: HttpRequest) -> HttpResponse:
    """The four tables laid out as tables 5-8 of the 2010 plan: done and pending with
    their percentages by level, computed from the events."""
    from django.template.loader import render_to_string
    from weasyprint import HTML  # imported here: it needs the system's pango

    as_of, region, plan_year = _parameters(request)
    report = compliance_as_of(as_of, region, plan_year)
    tables = []
    for number, (key, title, done_label, pending_label) in enumerate(PDF_TABLES, start=5):
        cells = [report.counts[key][lv] for lv in (*LEVELS, "total")]
        pending = [
            {
                "done": c["total"] - c["done"],
                "total": c["total"],
                "pct": pct(c["total"] - c["done"], c["total"]),
            }
            for c in cells
        ]
        tables.append(
            {
                "number": number,
                "title": title,
                "done_label": done_label,
                "pending_label": pending_label,
                "done": cells,
                "pending": pending,
            }
        )
    html = render_to_string(
        "committees/compliance_pdf.html",
        {
            "report": report,
            "tables": tables,
            "region_name": Region.objects.filter(code=region).values_list("name", flat=True).first()
            if region
            else None,
            "has_demo": any(row.is_demo for rows in report.pending.values() for row in rows)
            or CommitteeEvent.objects.filter(is_demo=True, date__lte=as_of).exists(),
        },
        request=request,
    )
    return attachment_response(
        HTML(string=html).write_pdf(), f"cumplimiento-{as_of.isoformat()}.pdf", PDF_TYPE
    )


# The words of the codes the compliance exports hold.
INDICATOR_WORDS = {
    "installed": gettext_lazy("installed"),
    "sworn": gettext_lazy("sworn in"),
    "plan": gettext_lazy("plan formulated"),
    "secretary": gettext_lazy("secretary accredited"),
}
# Sheet names (at most 31 characters in a workbook).
PENDING_SHEETS = {
    "installed": gettext_lazy("pending installation"),
    "sworn": gettext_lazy("pending swearing-in"),
    "plan": gettext_lazy("pending plan"),
    "secretary": gettext_lazy("pending secretary"),
}
LEVEL_WORDS = {
    "regional": pgettext_lazy("committee level", "regional"),
    "provincial": pgettext_lazy("committee level", "provincial"),
    "district": pgettext_lazy("committee level", "district"),
    "total": gettext_lazy("total"),
}
FIGURE_COLUMNS = (
    Column("date", gettext_lazy("date")),
    Column("indicator", gettext_lazy("indicator"), INDICATOR_WORDS),
    Column("level", gettext_lazy("level"), LEVEL_WORDS),
    Column("done", pgettext_lazy("committees that did it", "done")),
    Column("total", gettext_lazy("total")),
    Column("percent", gettext_lazy("percentage")),
)
PENDING_COLUMNS = (
    Column("indicator", gettext_lazy("indicator"), INDICATOR_WORDS),
    Column("level", gettext_lazy("level"), LEVEL_WORDS),
    Column("ubigeo", "ubigeo"),
    Column("committee", gettext_lazy("committee")),
    Column("demo_data", gettext_lazy("demo data"), YES_NO),
)


def _figures(report: Report, as_of: date, codes: bool) -> tuple[list[str], list[list[object]]]:
    rows = [
        [as_of, key, level, cell["done"], cell["total"], cell["pct"]]
        for key in INDICATORS
        for level in (*LEVELS, "total")
        for cell in (report.counts[key][level],)
    ]
    return table(FIGURE_COLUMNS, rows, codes)


def _pending_rows(report: Report, key: str) -> list[list[object]]:
    return [[key, row.level, row.ubigeo, row.name, row.is_demo] for row in report.pending[key]]


@cached_public_page("committees")
def compliance_csv(request: HttpRequest) -> HttpResponse:
    """The figures, a blank line, then every pending committee (in words, or with
    ``?columnas=codigos`` in machine names)."""
    as_of, region, plan_year = _parameters(request)
    report = compliance_as_of(as_of, region, plan_year)
    codes = wants_codes(request)
    header, figures = _figures(report, as_of, codes)
    pending = [row for key in INDICATORS for row in _pending_rows(report, key)]
    rows: list[list[Any]] = [header, *figures, [], *table_rows(PENDING_COLUMNS, pending, codes)]
    return attachment_response(
        csv_bytes(rows, bom=False), f"cumplimiento-{as_of.isoformat()}.csv", CSV_TYPE
    )
