"""Targeting pages: the form and the runs, a run's map and table, one unit's
explanation (with "create barrio") and the CSV export. National staff only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinasec.analytics.population import MAX_POPULATION_GAP
from sinasec.analytics.targeting.index import (
    IndicatorChoice,
    TargetingError,
    TargetingParams,
    rows_for_export,
)
from sinasec.analytics.targeting.units import unit_geometry
from sinasec.barrios.access import (
    can_create_barrio_from_target,
    check_targeting_access,
    get_targeting_run_for_user,
    get_targeting_runs_for_user,
)
from sinasec.barrios.messages import error_text, run_note_text
from sinasec.barrios.models import Barrio, TargetingRun
from sinasec.barrios.targeting import services
from sinasec.barrios.targeting.jobs import BACKGROUND_UNITS
from sinasec.barrios.targeting.polygons import read_polygons
from sinasec.core.errors import ImportRejected
from sinasec.core.exports import (
    CSV_TYPE,
    Column,
    attachment_response,
    csv_bytes,
    table_rows,
    wants_codes,
)
from sinasec.incidents import IncidentStore
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job
from sinasec.observatory.indicators import population_for_year
from sinasec.observatory.models import CrimeCategory, CrimeCount
from sinasec.territories.models import Territory
from sinasec.territories.selectors import feature_collection

INDICATOR_ROWS = 4
TOP_DEFAULT = 100
HOTSPOT_LABELS = {
    "hot": gettext_lazy("hot spot"),
    "cold": gettext_lazy("cold spot"),
    "not_significant": gettext_lazy("not significant"),
    "not_tested": gettext_lazy("not tested"),
}
REASON_LABELS = {
    "no_boundary": gettext_lazy("no imported polygon"),
    "missing_data": gettext_lazy("a value is missing"),
    "no_neighbour": gettext_lazy("no neighbour among the units tested"),
    "too_few_units": gettext_lazy("fewer than three units can be tested"),
}
UNIT_LABELS = {
    "district": gettext_lazy("District"),
    "grid": gettext_lazy("Grid cells (incident store)"),
    "polygons": gettext_lazy("Custom polygons (incident store)"),
}
DEFAULT_CELL_M = 250
METHOD_LABELS = {
    "minmax": gettext_lazy("Min-max (0 to 1)"),
    "z": gettext_lazy("Z-score"),
}


def _indicator_options() -> list[tuple[str, str]]:
    options = [
        ("rate", str(_("Crimes per 100,000 inhabitants"))),
        ("total", str(_("All crimes"))),
        ("homicides", str(_("Homicides"))),
    ]
    options += [
        (f"count:{code}", str(_("Count: %(name)s") % {"name": name}))
        for code, name in CrimeCategory.objects.values_list("code", "name")
    ]
    return options


def _labels(results: dict[str, Any]) -> dict[str, str]:
    names = dict(_indicator_options())
    return {i["key"]: names.get(i["key"], i.get("label", i["key"])) for i in results["indicators"]}


def _years() -> list[int]:
    """Years with crime counts (districts) or incidents in the store (grid, polygons)."""
    store_years = {year for year, _month in IncidentStore().partitions()}
    counts = set(CrimeCount.objects.values_list("year", flat=True))
    return sorted(counts | store_years, reverse=True)


def _number(raw: str, kind: type[int] | type[float], label: str) -> Any:
    raw = raw.strip().replace(",", ".") if kind is float else raw.strip()
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise TargetingError(_("%(field)s: not a number.") % {"field": label}) from None


def _params_from_post(data: Any) -> TargetingParams:
    year = _number(data.get("year", ""), int, _("Year"))
    if year is None:
        raise TargetingError(_("Choose a year."))
    choices = []
    for i in range(INDICATOR_ROWS):
        key = data.get(f"indicator-{i}", "").strip()
        if not key:
            continue
        weight = _number(data.get(f"weight-{i}", ""), float, _("Weight"))
        choices.append(IndicatorChoice(key, 1.0 if weight is None else weight))
    if not choices:
        raise TargetingError(_("Choose at least one indicator."))
    unit = data.get("unit", "district")
    return TargetingParams(
        year=year,
        indicators=tuple(choices),
        unit=unit,
        cell_size_m=_number(data.get("cell_size_m", ""), float, _("Cell size"))
        if unit == "grid"
        else None,
        area=data.get("area", "").strip() or None,
        polygons=data.get("polygons_name") or None,
        method=data.get("method", "minmax"),
        min_population=_number(data.get("min_population", ""), int, _("Minimum population")),
        max_population=_number(data.get("max_population", ""), int, _("Maximum population")),
        urban=data.get("urban") == "on",
        q=_number(data.get("q", ""), float, _("False-discovery rate")) or 0.05,
        include_forced=data.get("include_forced") == "on",
    )


@login_required
def targeting(request: HttpRequest) -> HttpResponse:
    """The form of a new run and the runs already stored."""
    runs = get_targeting_runs_for_user(request.user)
    years = _years()
    values: dict[str, Any] = {
        "year": str(years[0]) if years else "",
        "unit": "district",
        "method": "minmax",
        "q": "0.05",
        # The rate only when the year has a population to divide by (else all crimes).
        "indicator-0": "rate"
        if years and population_for_year(years[0], 6, MAX_POPULATION_GAP)[0]
        else "total",
        "weight-0": "1",
        "cell_size_m": str(DEFAULT_CELL_M),
    }
    if request.method == "POST":
        values = request.POST.dict()
        try:
            params, features = _params_and_polygons(request)
            if params.unit in BACKGROUND_UNITS:
                return redirect("jobs:detail", _queue_run(request, params).pk)
            run = services.run_and_store_targeting(request.user, params, features)
        except TargetingError as exc:
            messages.error(request, error_text(exc))
        except ImportRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Targeting run #%(run)d stored.") % {"run": run.pk})
            return redirect("barrios:run", run_id=run.pk)
    options = _indicator_options()
    rows = [
        {
            "i": i,
            "key": values.get(f"indicator-{i}", ""),
            "weight": values.get(f"weight-{i}", "") or "1",
        }
        for i in range(INDICATOR_ROWS)
    ]
    return render(
        request,
        "barrios/targeting/targeting.html",
        {
            "runs": [_run_row(run, dict(options)) for run in runs[:50]],
            "years": years,
            "values": values,
            "rows": rows,
            "options": options,
            "units": UNIT_LABELS.items(),
            "methods": METHOD_LABELS.items(),
        },
    )


def _run_row(run: TargetingRun, names: dict[str, str]) -> dict[str, Any]:
    """A stored run as the list shows it: its unit and indicators by name, not code."""
    return {
        "run": run,
        "unit_label": UNIT_LABELS.get(run.parameters.get("unit", ""), ""),
        "indicators": [
            (names.get(i["key"], i["key"]), i["weight"])
            for i in run.parameters.get("indicators", [])
        ],
    }


def _queue_run(request: HttpRequest, params: TargetingParams) -> Job:
    """A run over the incident store, checked here and run by the worker."""
    check_targeting_access(request.user)
    upload = request.FILES.get("polygons_file") if params.unit == "polygons" else None
    return enqueue_job(
        request.user, Job.Kind.TARGETING_RUN, {"targeting": params.as_dict()}, file=upload
    )


def _params_and_polygons(
    request: HttpRequest,
) -> tuple[TargetingParams, list[dict[str, Any]] | None]:
    """The run's parameters and, for custom polygons, the uploaded ones (None: the
    barrios with a boundary)."""
    upload = request.FILES.get("polygons_file")
    data = request.POST.copy()
    features = None
    if data.get("unit") == "polygons" and upload is not None:
        features = read_polygons(upload.name or "polygons.geojson", upload.read())
        data["polygons_name"] = upload.name or "polygons.geojson"
    elif data.get("unit") == "polygons":
        data["polygons_name"] = "barrios"
    return _params_from_post(data), features


def _top(request: HttpRequest) -> int | None:
    if request.GET.get("todos") == "1":
        return None
    raw = request.GET.get("top", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else TOP_DEFAULT


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_targeting_run_for_user(request.user, run_id)
    results = run.results
    top = _top(request)
    units = results["units"] if top is None else results["units"][:top]
    labels = _labels(results)
    keys = [i["key"] for i in results["indicators"]]
    counts = {key: 0 for key in HOTSPOT_LABELS}
    summary = results.get("summary") or {}
    if summary:
        counts.update(summary["hotspots"])
    else:  # runs stored before the summary existed kept every unit
        for unit in results["units"]:
            counts[unit["hotspot"]] += 1
    query = "todos=1" if top is None else f"top={top}"
    return render(
        request,
        "barrios/targeting/run.html",
        {
            "run": run,
            "results": results,
            "snapshot_meta": {
                k: v
                for k, v in run.data_snapshot.items()
                if k not in ("units", "category_names", "cells", "values")
            },
            "indicators": [{**i, "label": labels[i["key"]]} for i in results["indicators"]],
            "rows": [
                {
                    **u,
                    "cells": [u["contributions"][k] for k in keys],
                    "hotspot_label": HOTSPOT_LABELS[u["hotspot"]],
                    "missing_labels": [labels.get(k, k) for k in u["missing"]],
                }
                for u in units
            ],
            "notes": [run_note_text(n, run.parameters.get("year")) for n in results["notes"]],
            "shown": len(units),
            "stored": len(results["units"]),
            "total": summary.get("ranked", len(results["units"])),
            "hotspot_counts": [(HOTSPOT_LABELS[k], k, n) for k, n in counts.items()],
            "values": {u["ubigeo"]: round(u["score"], 3) for u in units},
            "geojson_url": reverse("barrios:run_geojson", args=[run.pk]) + f"?{query}",
            "unit_label": UNIT_LABELS.get(run.parameters.get("unit", ""), ""),
            "method_label": METHOD_LABELS.get(run.parameters.get("method", ""), ""),
        },
    )


@login_required
def run_geojson(request: HttpRequest, run_id: int) -> JsonResponse:
    """The run's top units on a map: each district's polygon, or its capital's point,
    with its rank, score and hot spot class."""
    run = get_targeting_run_for_user(request.user, run_id)
    top = _top(request)
    units = run.results["units"] if top is None else run.results["units"][:top]
    by_ubigeo = {u["ubigeo"]: u for u in units}
    collection: Mapping[str, Any]
    if run.parameters.get("unit", "district") == "district":
        collection = feature_collection(list(Territory.objects.filter(ubigeo__in=list(by_ubigeo))))
    else:
        collection = _shapes_collection(run.data_snapshot, units)
    features: list[dict[str, Any]] = collection["features"]  # type: ignore[assignment]
    for feature in features:
        unit = by_ubigeo[feature["id"]]
        feature["properties"].update(
            {"rank": unit["rank"], "score": round(unit["score"], 6), "hotspot": unit["hotspot"]}
        )
    return JsonResponse(collection)


def _shapes_collection(snapshot: dict[str, Any], units: list[dict[str, Any]]) -> dict[str, Any]:
    """Grid cells or custom polygons as GeoJSON features (id: the unit's code)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": u["ubigeo"],
                "geometry": unit_geometry(snapshot, u["ubigeo"]),
                "properties": {"ubigeo": u["ubigeo"], "name": u["name"]},
            }
            for u in units
        ],
    }


@login_required
def unit(request: HttpRequest, run_id: int, ubigeo: str) -> HttpResponse:
    """Why a unit has its rank: each indicator's value, normalised value, weight and
    contribution (they add up to the score)."""
    run = get_targeting_run_for_user(request.user, run_id)
    results = run.results
    item = next((u for u in results["units"] if u["ubigeo"] == ubigeo), None)
    if item is None:
        raise Http404(_("%(ubigeo)s is not in this run.") % {"ubigeo": ubigeo})
    labels = _labels(results)
    rows = [
        {
            "key": i["key"],
            "label": labels[i["key"]],
            "direction": i["direction"],
            "value": item["values"][i["key"]],
            "normalised": item["normalised"][i["key"]],
            "weight": i["weight"],
            "normalised_weight": i.get("normalised_weight"),
            "contribution": item["contributions"][i["key"]],
            "missing": i["key"] in item["missing"],
        }
        for i in results["indicators"]
    ]
    return render(
        request,
        "barrios/targeting/unit.html",
        {
            "run": run,
            "unit": item,
            "total": (results.get("summary") or {}).get("ranked", len(results["units"])),
            "rows": rows,
            "method": run.parameters.get("method"),
            "hotspot_label": HOTSPOT_LABELS[item["hotspot"]],
            "reason_label": REASON_LABELS.get(item.get("not_tested_reason") or "", ""),
            "barrios": Barrio.objects.filter(district_id=ubigeo).order_by("-id")
            if run.parameters.get("unit") == "district"
            else [],
            "can_create": can_create_barrio_from_target(request.user),
            "is_district": run.parameters.get("unit", "district") == "district",
        },
    )


@login_required
@require_POST
def create_barrio(request: HttpRequest, run_id: int, ubigeo: str) -> HttpResponse:
    run = get_targeting_run_for_user(request.user, run_id)
    try:
        barrio = services.create_barrio_from_target(
            request.user, run.pk, ubigeo, request.POST.get("name", "")
        )
    except (ValueError, ObjectDoesNotExist) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Barrio created in %(district)s with status “targeted” (no. %(id)d).")
            % {"district": barrio.territory_label, "id": barrio.pk},
        )
    return redirect("barrios:unit", run_id=run.pk, ubigeo=ubigeo)


@login_required
def run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_targeting_run_for_user(request.user, run_id)
    header, rows = rows_for_export(run.results)
    year = run.parameters.get("year")
    columns = _csv_columns(["run", "year", *header], _labels(run.results))
    lines = table_rows(columns, ([run.pk, year, *row] for row in rows), wants_codes(request))
    return attachment_response(csv_bytes(lines), f"focalizacion-{run.pk}.csv", CSV_TYPE)


CSV_HEADERS = {
    "run": gettext_lazy("run"),
    "year": gettext_lazy("year"),
    "rank": gettext_lazy("rank"),
    "name": gettext_lazy("name"),
    "score": gettext_lazy("index"),
    "hotspot": gettext_lazy("hot spot"),
    "gi_z": gettext_lazy("Gi* z"),
    "gi_p": gettext_lazy("Gi* p"),
    "missing": gettext_lazy("missing values"),
}
CSV_PARTS = {
    "value": gettext_lazy("%(indicator)s: value"),
    "normalised": gettext_lazy("%(indicator)s: normalised"),
    "contribution": gettext_lazy("%(indicator)s: contribution"),
}


def _csv_columns(codes: list[str], labels: dict[str, str]) -> list[Column]:
    """The CSV's columns: machine names from the analytics, headers in words (an
    indicator's columns named after the indicator)."""
    columns = []
    for code in codes:
        key, _space, part = code.rpartition(" ")
        if key in labels and part in CSV_PARTS:
            label: Any = str(CSV_PARTS[part]) % {"indicator": labels[key]}
        else:
            label = CSV_HEADERS.get(code, code)
        columns.append(Column(code, label, HOTSPOT_LABELS if code == "hotspot" else {}))
    return columns
