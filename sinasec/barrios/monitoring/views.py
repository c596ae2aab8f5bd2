"""The monitoring page of one barrio: monthly incidents in the barrio, its buffer, its
district and its comparison barrios, a chart, the WDD test and the series as CSV.

Every figure comes from :func:`sinasec.barrios.monitoring.series.monitor_barrio` over the
incident store; the page only lays it out."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.barrios.access import get_barrio_for_user
from sinasec.barrios.messages import error_text
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import (
    AREAS,
    DEFAULT_BUFFER_M,
    REASONS,
    MonitoringError,
    default_window,
    monitor_barrio,
    month_key,
)
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


@dataclass(frozen=True)
class Options:
    start: str
    end: str
    buffer_m: float
    comparison_ids: list[int] | None

    def query(self) -> str:
        query = QueryDict(mutable=True)
        query.update({"desde": self.start, "hasta": self.end, "buffer": f"{self.buffer_m:g}"})
        if self.comparison_ids is not None:
            query.setlist("comparacion", [str(i) for i in self.comparison_ids])
        return query.urlencode()


def _options(request: HttpRequest, store: IncidentStore) -> Options | None:
    """The window, buffer and comparison barrios asked for (the store's last 24 months,
    400 m and the most similar barrios by default); ``None`` when the store is empty
    and no window was given. Raises ``MonitoringError`` for values it cannot read."""
    window = default_window(store)
    start, end = request.GET.get("desde", "").strip(), request.GET.get("hasta", "").strip()
    if not (start and end):
        if window is None:
            return None
        start = start or f"{window[0][0]:04d}-{window[0][1]:02d}"
        end = end or f"{window[1][0]:04d}-{window[1][1]:02d}"
    for value in (start, end):
        month_key(value)  # raises MonitoringError on a bad month
    raw_buffer = request.GET.get("buffer", "").strip().replace(",", ".")
    try:
        buffer_m = float(raw_buffer) if raw_buffer else DEFAULT_BUFFER_M
    except ValueError:
        raise MonitoringError(_("The buffer must be a number of metres.")) from None
    ids = [i for i in request.GET.getlist("comparacion") if i.strip()]
    if not all(i.strip().isdigit() for i in ids):
        raise MonitoringError(_("Choose comparison barrios from the list."))
    return Options(start, end, buffer_m, [int(i) for i in ids] if ids else None)


def _chart(result: dict[str, Any], areas: tuple[str, ...]) -> dict[str, Any] | None:
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


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
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
) -> tuple[Options | None, dict[str, Any] | None, str | None, IncidentStore]:
    """The options and the monitoring result, or the error to show."""
    store = IncidentStore(settings.INCIDENTS_DIR)
    try:
        options = _options(request, store)
        if options is None:
            return None, None, None, store
        result = monitor_barrio(
            barrio, store, options.start, options.end, options.buffer_m, options.comparison_ids
        )
    except MonitoringError as exc:
        return None, None, error_text(exc), store
    return options, result, None, store


@login_required
def monitoring(request: HttpRequest, barrio_id: int) -> HttpResponse:
    barrio = get_barrio_for_user(request.user, barrio_id)
    options, result, error, _store = _monitoring(request, barrio)
    if result:
        chosen = {c["id"] for c in result["comparison"].get("barrios", [])}
    else:  # an error: the form keeps what was typed
        chosen = {int(i) for i in request.GET.getlist("comparacion") if i.strip().isdigit()}
    form = {
        "desde": options.start if options else request.GET.get("desde", ""),
        "hasta": options.end if options else request.GET.get("hasta", ""),
        "buffer": f"{options.buffer_m:g}" if options else request.GET.get("buffer", ""),
    }
    candidates = (
        Barrio.objects.exclude(pk=barrio.pk)
        .exclude(boundary="")
        .select_related("district")
        .defer("boundary", "note", "district__creation_law")
        .order_by("territory_label", "name", "pk")
    )
    wdd = result["wdd"] if result else None
    return render(
        request,
        "barrios/monitoring.html",
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
            "candidates": candidates,
            "chosen": chosen,
            "csv_url": reverse("barrios:monitoring_csv", args=[barrio.pk])
            + (f"?{options.query()}" if options else ""),
        },
    )


@login_required
def monitoring_csv(request: HttpRequest, barrio_id: int) -> HttpResponse:
    """The page's series, one row per month and area (empty cells: unknown)."""
    barrio = get_barrio_for_user(request.user, barrio_id)
    _options_used, result, error, _store = _monitoring(request, barrio)
    if error or result is None:
        return HttpResponse(
            error or _("The incident store is empty."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(
        ["barrio", "month", "area", "count", "rate_per_100k", "population", "population_year"]
    )
    for i, month in enumerate(result["months"]):
        for area in AREAS:
            series = result["areas"][area]
            values = (series["count"][i], series["rate"][i])
            people = (series["population"][i], series["population_year"][i])
            writer.writerow(
                [barrio.pk, month, area, *("" if v is None else v for v in (*values, *people))]
            )
    response = HttpResponse(
        text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    name = f"monitoreo-barrio-{barrio.pk}-{result['window']['start']}-{result['window']['end']}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
