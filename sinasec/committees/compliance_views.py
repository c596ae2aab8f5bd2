"""The compliance report's pages: the public page as of a date and its CSV, XLSX and PDF
downloads. Every registered indicator (``committees.compliance.indicators()``) is shown;
one that applies to some committee levels only shows the others as "no aplica" (an
empty cell in the downloads)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sinasec.committees.access import can_read_registry
from sinasec.committees.charts import series_chart
from sinasec.committees.compliance import (
    LEVEL_WORDS,
    LEVELS,
    Report,
    compliance_as_of,
    indicators,
    pct,
)
from sinasec.committees.filters import ComplianceQuery
from sinasec.committees.models import CommitteeEvent, EventKind
from sinasec.committees.series import monthly_series
from sinasec.core.cache import cached_public_page
from sinasec.core.charts import Chart
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
from sinasec.territories.models import Region, Territory


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
            "indicators": {i.code: i.label for i in report.definitions()},
            "notes": [i for i in report.definitions() if i.rule],
            "level_words": LEVEL_WORDS,
            "department_pct": _department_pct(report, indicator),
            "chart": _series_chart(as_of, region),
            "pending": _with_details(report, indicator)[:200],
            "pending_count": len(report.pending[indicator]),
            "csv_url": reverse("committees:compliance_csv") + f"?{query}",
            "xlsx_url": reverse("committees:compliance_xlsx") + f"?{query}",
            "pdf_url": reverse("committees:compliance_pdf") + f"?{query}",
            "geojson_url": reverse("api:territory_geojson_national"),
            "can_read_registry": can_read_registry(request.user),
        },
    )


# The monthly series draws the four milestones.
MILESTONE_LABELS = {
    "installed": EventKind.INSTALLED.label,
    "sworn": EventKind.SWORN.label,
    "plan": EventKind.PLAN.label,
    "secretary": EventKind.SECRETARY.label,
}


def _tables(report: Report) -> list[dict[str, object]]:
    return [
        {
            "key": item.code,
            "label": item.label,
            "cells": [report.counts[item.code][lv] for lv in (*LEVELS, "total")],
        }
        for item in report.definitions()
    ]


def _with_details(report: Report, code: str) -> list[dict[str, object]]:
    details = report.details.get(code, {})
    return [
        {"name": r.name, "ubigeo": r.ubigeo, "is_demo": r.is_demo, "detail": details.get(r.id, "")}
        for r in report.pending[code]
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
    return series_chart(monthly_series(start, as_of, region), MILESTONE_LABELS, as_of, region)


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
    for key in report.counts:
        label = PENDING_SHEETS.get(key) or _("pending %(indicator)s") % {
            "indicator": str(_indicator_words()[key]).lower()
        }
        header, rows = table(
            _pending_columns()[1:], [r[1:] for r in _pending_rows(report, key)], codes
        )
        sheets.append((sheet_name(f"pendientes_{key}", label, codes), header, rows))
    return attachment_response(
        xlsx_bytes(sheets), f"cumplimiento-{as_of.isoformat()}.xlsx", XLSX_TYPE
    )


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
    their percentages by level, computed from the events; then every other registered
    indicator (sessions, consultations, agreements...) met by level, or "no aplica"."""
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
    milestones = {key for key, *_rest in PDF_TABLES}
    others = [
        {
            "label": item.label,
            "rule": item.rule,
            "cells": [report.counts[item.code].get(lv) for lv in (*LEVELS, "total")],
        }
        for item in indicators()
        if item.code not in milestones and item.code in report.counts
    ]
    html = render_to_string(
        "committees/compliance_pdf.html",
        {
            "report": report,
            "tables": tables,
            "others": others,
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


# The words of the codes the compliance exports hold (the milestones' own words; the
# other indicators' are their labels).
INDICATOR_WORDS = {
    "installed": gettext_lazy("installed"),
    "sworn": gettext_lazy("sworn in"),
    "plan": gettext_lazy("plan formulated"),
    "secretary": gettext_lazy("secretary accredited"),
}


def _indicator_words() -> dict[str, Any]:
    return {i.code: i.label for i in indicators()} | INDICATOR_WORDS


# Sheet names (at most 31 characters in a workbook).
PENDING_SHEETS = {
    "installed": gettext_lazy("pending installation"),
    "sworn": gettext_lazy("pending swearing-in"),
    "plan": gettext_lazy("pending plan"),
    "secretary": gettext_lazy("pending secretary"),
}


def _figure_columns() -> tuple[Column, ...]:
    return (
        Column("date", gettext_lazy("date")),
        Column("indicator", gettext_lazy("indicator"), _indicator_words()),
        Column("level", gettext_lazy("level"), LEVEL_WORDS),
        Column("done", pgettext_lazy("committees that did it", "done")),
        Column("total", gettext_lazy("total")),
        Column("percent", gettext_lazy("percentage")),
    )


def _pending_columns() -> tuple[Column, ...]:
    return (
        Column("indicator", gettext_lazy("indicator"), _indicator_words()),
        Column("level", gettext_lazy("level"), LEVEL_WORDS),
        Column("ubigeo", "ubigeo"),
        Column("committee", gettext_lazy("committee")),
        Column("demo_data", gettext_lazy("demo data"), YES_NO),
        Column("detail", gettext_lazy("detail")),
    )


def _figures(report: Report, as_of: date, codes: bool) -> tuple[list[str], list[list[object]]]:
    """One row per indicator and level; a level the indicator does not apply to has
    empty figures."""
    rows = []
    for key, cells in report.counts.items():
        for level in (*LEVELS, "total"):
            cell = cells[level]
            figures = (
                [None, None, None] if cell is None else [cell["done"], cell["total"], cell["pct"]]
            )
            rows.append([as_of, key, level, *figures])
    return table(_figure_columns(), rows, codes)


def _pending_rows(report: Report, key: str) -> list[list[object]]:
    details = report.details.get(key, {})
    return [
        [key, row.level, row.ubigeo, row.name, row.is_demo, details.get(row.id, "")]
        for row in report.pending[key]
    ]


@cached_public_page("committees")
def compliance_csv(request: HttpRequest) -> HttpResponse:
    """The figures, a blank line, then every pending committee (in words, or with
    ``?columnas=codigos`` in machine names)."""
    as_of, region, plan_year = _parameters(request)
    report = compliance_as_of(as_of, region, plan_year)
    codes = wants_codes(request)
    header, figures = _figures(report, as_of, codes)
    pending = [row for key in report.counts for row in _pending_rows(report, key)]
    rows: list[list[Any]] = [header, *figures, [], *table_rows(_pending_columns(), pending, codes)]
    return attachment_response(
        csv_bytes(rows, bom=False), f"cumplimiento-{as_of.isoformat()}.csv", CSV_TYPE
    )
