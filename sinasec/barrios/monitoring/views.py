"""The monitoring page of one barrio: monthly incidents in the barrio, its buffer, its
district and its comparison barrios, a chart, the WDD test and the series as CSV.

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
from sinasec.barrios.evaluation.synth import SYNTH_REASONS, synth_chart, synth_of_barrio
from sinasec.barrios.messages import error_text
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.options import Options, comparison_candidates, monitoring_result
from sinasec.barrios.monitoring.series import AREAS, REASONS, MonitoringError
from sinasec.barrios.monitoring.types import Monitoring
from sinasec.core.exports import CSV_TYPE, attachment_response, csv_bytes
from sinasec.incidents import IncidentStore

AREA_LABELS = {
    "barrio": gettext_lazy("Barrio"),
    "buffer": gettext_lazy("Buffer"),
    "district": gettext_lazy("District"),
    "comparison": gettext_lazy("Comparison"),
    "comparison_buffer": gettext_lazy("Comparison buffer"),
}
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
CHART_WIDTH, CHART_HEIGHT = 600, 160


def _chart(result: Mapping[str, Any], areas: tuple[str, ...]) -> dict[str, Any] | None:
    """Monthly counts of ``areas`` as SVG polylines on one scale, drawn on the server
    (the committees' compliance page does the same), with the launch month marked."""
    lines = [a for a in areas if result["areas"][a]["available"]]
    if not lines:
        return None
    n = len(result["months"])
    top = max([max(result["areas"][a]["count"]) for a in lines] + [1])
    step = CHART_WIDTH / max(n - 1, 1)
    launch = result["launch_index"]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "top": top,
        "start": result["months"][0],
        "end": result["months"][-1],
        "launch_x": round(launch * step, 1) if launch is not None and 0 <= launch < n else None,
        "lines": [
            {
                "key": area,
                "label": AREA_LABELS[area],
                "colour": AREA_COLOURS[area],
                "points": " ".join(
                    f"{i * step:.1f},{CHART_HEIGHT - c * CHART_HEIGHT / top:.1f}"
                    for i, c in enumerate(result["areas"][area]["count"])
                ),
            }
            for area in lines
        ],
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
            "reason": REASONS.get(result["reason"] or "") if result else None,
            "area_labels": [(a, AREA_LABELS[a], AREA_COLOURS[a]) for a in AREAS],
            "rows": _rows(result) if result and result["available"] else [],
            "local_chart": _chart(result, ("barrio", "buffer", "comparison", "comparison_buffer"))
            if result and result["available"]
            else None,
            "district_chart": _chart(result, ("district",))
            if result and result["available"]
            else None,
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
            "synth_chart": synth_chart(synth) if synth and synth["available"] else None,
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
    rows: list[list[Any]] = [
        ["barrio", "month", "area", "count", "rate_per_100k", "population", "population_year"]
    ]
    for i, month in enumerate(result["months"]):
        for area in AREAS:
            series = result["areas"][area]
            values = (series["count"][i], series["rate"][i])
            people = (series["population"][i], series["population_year"][i])
            rows.append([barrio.pk, month, area, *values, *people])
    name = f"monitoreo-barrio-{barrio.pk}-{result['window']['start']}-{result['window']['end']}"
    return attachment_response(csv_bytes(rows), f"{name}.csv", CSV_TYPE)
