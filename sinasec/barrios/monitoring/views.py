"""The monitoring page of one barrio: monthly incidents in the barrio, its buffer, its
district and its comparison barrios, two charts, the WDD test and the series as CSV.

Every figure comes from :func:`sinasec.barrios.monitoring.series.monitor_barrio` over the
incident store; the page only lays it out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.barrios.access import get_barrio_for_user, get_comparison_barrios_for_user
from sinasec.barrios.evaluation.synth import SYNTH_REASONS, synth_of_barrio
from sinasec.barrios.messages import error_text
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.charts import monitoring_chart, synth_charts
from sinasec.barrios.monitoring.options import Options, comparison_candidates, monitoring_result
from sinasec.barrios.monitoring.series import AREAS, REASONS, MonitoringError
from sinasec.barrios.monitoring.types import Monitoring
from sinasec.core.exports import (
    CSV_TYPE,
    Column,
    attachment_response,
    csv_bytes,
    table_rows,
    wants_codes,
)
from sinasec.incidents import IncidentStore
from sinasec.observatory.access import can_import_crime_data
from sinasec.observatory.selectors import demo_incident_count

AREA_LABELS = {
    "barrio": gettext_lazy("Barrio"),
    "buffer": gettext_lazy("Buffer"),
    "district": gettext_lazy("District"),
    "comparison": gettext_lazy("Comparison"),
    "comparison_buffer": gettext_lazy("Comparison buffer"),
}
# The series CSV, in words (or machine names with ?columnas=codigos).
CSV_COLUMNS = (
    Column("barrio", gettext_lazy("barrio")),
    Column("month", gettext_lazy("month")),
    Column("area", gettext_lazy("area"), AREA_LABELS),
    Column("count", gettext_lazy("crimes")),
    Column("rate_per_100k", gettext_lazy("rate per 100,000 inhabitants")),
    Column("population", gettext_lazy("population")),
    Column("population_year", gettext_lazy("population year")),
)
AREA_COLOURS = {
    "barrio": "#b3261e",
    "buffer": "#f0b429",
    "district": "#0b5394",
    "comparison": "#1e7b34",
    "comparison_buffer": "#8a96a3",
}
READINGS = {
    "reduction": gettext_lazy(
        "Crime fell in the barrio and its buffer relative to the comparison barrios, "
        "by more than chance would explain."
    ),
    "increase": gettext_lazy(
        "Crime rose in the barrio and its buffer relative to the comparison barrios, "
        "by more than chance would explain."
    ),
    "no_detectable_change": gettext_lazy(
        "The change relative to the comparison barrios is within what chance would "
        "explain: no effect can be told apart."
    ),
}
DISPLACEMENT_READINGS = {
    "displacement": gettext_lazy(
        "Crime rose in the buffer relative to the comparison buffers: a sign of displacement."
    ),
    "diffusion": gettext_lazy(
        "Crime fell in the buffer relative to the comparison buffers: a diffusion of benefits."
    ),
    "none": gettext_lazy("No displacement into the buffer can be told apart from chance."),
}


def _charts(barrio: Barrio, result: Monitoring | None) -> dict[str, Any]:
    """The barrio-and-comparison chart and the district's, when there is a series."""
    if not (result and result["available"]):
        return {"local_chart": None, "district_chart": None}
    name = f"monitoreo_{barrio.pk}_{result['months'][0]}_{result['months'][-1]}"
    local = ("barrio", "buffer", "comparison", "comparison_buffer")
    return {
        "local_chart": monitoring_chart(
            result,
            local,
            AREA_LABELS,
            AREA_COLOURS,
            chart_id="monitoring-local",
            title=_("Monthly incidents in the barrio, its buffer and the comparison"),
            file_name=name,
        ),
        "district_chart": monitoring_chart(
            result,
            ("district",),
            AREA_LABELS,
            AREA_COLOURS,
            chart_id="monitoring-district",
            title=_("Monthly incidents in the district"),
            file_name=f"{name}_distrito",
        ),
    }


def _rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "month": month,
            "is_launch": i == result["launch_index"],
            "cells": [
                {
                    "area": area,
                    "count": result["areas"][area]["count"][i],
                    "rate": result["areas"][area]["rate"][i],
                }
                for area in AREAS
            ],
        }
        for i, month in enumerate(result["months"])
    ]


def _monitoring(
    request: HttpRequest, barrio: Barrio
) -> tuple[Options | None, Monitoring | None, str | None]:
    """The options and the monitoring result, or the error to show."""
    get = request.GET
    try:
        options, result = monitoring_result(
            request.user,
            barrio,
            get.get("desde", ""),
            get.get("hasta", ""),
            get.get("buffer", ""),
            get.getlist("comparacion"),
        )
    except MonitoringError as exc:
        return None, None, error_text(exc)
    return options, result, None


def _synth(request: HttpRequest, barrio: Barrio, options: Options | None) -> Any:
    """The synthetic control beside the WDD, over the page's window, from every barrio
    the user reads as donors (those launched within the window are left out)."""
    if options is None:
        return None
    donors = list(get_comparison_barrios_for_user(request.user, barrio))
    store = IncidentStore(settings.INCIDENTS_DIR)
    return synth_of_barrio(barrio, donors, store, options.start, options.end)


@login_required
def monitoring(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    options, result, error = _monitoring(request, barrio)
    if result:
        chosen = {c["id"] for c in result["comparison"].get("barrios", [])}
    else:  # an error: the form keeps what was typed
        chosen = {int(i) for i in request.GET.getlist("comparacion") if i.strip().isdigit()}
    form = {
        "desde": options.start if options else request.GET.get("desde", ""),
        "hasta": options.end if options else request.GET.get("hasta", ""),
        "buffer": f"{options.buffer_m:g}" if options else request.GET.get("buffer", ""),
    }
    wdd = result["wdd"] if result else None
    synth = _synth(request, barrio, options) if result and result["available"] else None
    return render(
        request,
        "barrios/monitoring/monitoring.html",
        {
            "barrio": barrio,
            "options": options,
            "form": form,
            "error": error,
            "result": result,
            "store_empty": options is None and not error,
            "can_import": can_import_crime_data(request.user),
            "demo_incidents": demo_incident_count(),
            "reason": REASONS.get(result["reason"] or "") if result else None,
            "area_labels": [(a, AREA_LABELS[a], AREA_COLOURS[a]) for a in AREAS],
            "rows": _rows(result) if result and result["available"] else [],
            **_charts(barrio, result),
            "area_notes": [
                (AREA_LABELS[a], REASONS.get(result["areas"][a]["reason"] or ""))
                for a in AREAS
                if result and result["available"] and result["areas"][a]["reason"]
            ],
            "wdd": wdd,
            "wdd_reason": REASONS.get(wdd["reason"] or "") if wdd else None,
            "reading": READINGS.get(wdd["reading"]["total"]) if wdd and wdd["available"] else None,
            "displacement_reading": DISPLACEMENT_READINGS.get(wdd["reading"]["displacement"])
            if wdd and wdd["available"]
            else None,
            "synth": synth,
            "synth_charts": synth_charts(synth) if synth and synth["available"] else None,
            "synth_reason": SYNTH_REASONS.get(synth["reason"])
            if synth and not synth["available"]
            else None,
            "candidates": comparison_candidates(request.user, barrio),
            "chosen": chosen,
            "csv_url": reverse("barrios:monitoring_csv", args=[barrio.pk])
            + (f"?{options.query()}" if options else ""),
        },
    )


@login_required
def monitoring_csv(request: HttpRequest, barrio_id: int) -> HttpResponse:
    """The page's series, one row per month and area (empty cells: unknown)."""
    barrio = get_barrio_for_user(request.user, barrio_id)
    _options_used, result, error = _monitoring(request, barrio)
    if error or result is None:
        return HttpResponse(
            error or _("The incident store is empty."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows: list[list[Any]] = []
    for i, month in enumerate(result["months"]):
        for area in AREAS:
            series = result["areas"][area]
            values = (series["count"][i], series["rate"][i])
            people = (series["population"][i], series["population_year"][i])
            rows.append([barrio.pk, month, area, *values, *people])
    rows = table_rows(CSV_COLUMNS, rows, wants_codes(request))
    name = f"monitoreo-barrio-{barrio.pk}-{result['window']['start']}-{result['window']['end']}"
    return attachment_response(csv_bytes(rows), f"{name}.csv", CSV_TYPE)
