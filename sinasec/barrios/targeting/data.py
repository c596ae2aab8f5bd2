"""Targeting data: the values a run ranks, collected per unit from the database and
the incident store, and kept as the run's data snapshot (see
:mod:`sinasec.analytics.targeting.units` for its layouts).

The district data (:func:`collect_district_data`)
-------------------------------------------------

- Counts come from the observatory's aggregated records (``CrimeCount``) of one source
  (the one ``indicators()`` would pick: :func:`~sinasec.observatory.indicators.pick_source`)
  for the year, summed over months, with one grouped query.
- ``rate``: all crimes per 100,000 inhabitants, with the population year
  ``indicators()`` uses with its nearest-year option, capped at 3 years (the same figure as its
  ``rate_per_100k``, unrounded). Unknown where the population is unknown.
- ``count:<category>``: the crimes of one category (``CrimeCategory.code``);
  ``homicides`` is ``count:homicidio``. A district the source lists (with any crime that
  year) but without that category has 0 of it; a district the source does not list at
  all is **unknown**, not zero, for every indicator.
- Filters: ``min_population`` / ``max_population`` (the Population table, same year as
  the rate; districts with unknown population are left out when a population filter is
  set, and counted) and ``urban``: only districts whose capital is a "Ciudad" in INEI's
  capital category (``Territory.category``). That is a proxy: INEI's category is the
  capital's (Ciudad / Villa / Pueblo), not an urban share of the district.
- Gi* contiguity: queen neighbours among the district polygons (``Boundary``, tolerance
  1e-4 degrees, as the observatory's hot spots), computed among the districts kept by
  the filters. Districts without a polygon, without neighbours among those tested, or
  with a missing indicator are not tested (flagged with the reason).

Custom polygons (:func:`collect_polygon_data`)
----------------------------------------------

- The polygons are every barrio with a boundary, or the features of a GeoJSON file the
  analyst uploads (each a Polygon or MultiPolygon, its code and name from the
  properties ``codigo``/``code``/``id`` and ``nombre``/``name``, its population from
  ``poblacion``/``population`` when present). They are kept in the snapshot.
- Values are counted from the observatory's incident store (``crime_type`` is the
  category code) for the year, optionally only the incidents of one territory (``area``,
  an ubigeo prefix). ``total`` counts all, ``homicides`` the ``homicidio`` ones;
  ``rate`` is per 100,000 inhabitants where the polygon's population is known and
  unknown elsewhere. An incident on a border shared by two polygons counts in both.
- Contiguity: queen, with the same tolerance as districts.

The grid (:func:`collect_grid_data`)
------------------------------------

- Square cells of ``cell_size_m`` metres covering the area's polygon (``area``), or the
  extent of the year's incidents when there is none; every cell whose centre lies in
  the area's polygon is ranked, those with no incident included (a 0 is a count here,
  not an unknown: the store holds every geocoded incident of the year).
- The binning runs inside DuckDB over the Parquet store (one pass for the extent, one
  grouped pass for the counts); NumPy spreads the counts over the grid.
- Incidents without coordinates are not on the grid, nor (unless ``include_forced``) those
  forced onto a police station or a centroid (:mod:`sinasec.incidents.geocoding`): counted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

import numpy as np
import shapely
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry import shape

from sinasec.analytics.hotspots import queen_weights_from_polygons
from sinasec.analytics.population import MAX_POPULATION_GAP
from sinasec.analytics.targeting.index import (
    BOUNDARY_TOLERANCE,
    HOMICIDE_CATEGORY,
    MAX_GRID_CELLS,
    URBAN_CATEGORY,
    TargetingError,
    TargetingParams,
    TargetingResult,
    score,
)
from sinasec.analytics.targeting.types import (
    DistrictSnapshot,
    GridSnapshot,
    PolygonSnapshot,
    Snapshot,
    SnapshotUnit,
    StoreSnapshot,
)
from sinasec.analytics.targeting.units import GridGeometry, pack
from sinasec.barrios.targeting.checks import check_values
from sinasec.barrios.targeting.polygons import barrio_features
from sinasec.incidents import IncidentStore
from sinasec.incidents.geocoding import StackRule, usable_where
from sinasec.observatory.indicators import pick_source, population_for_year
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source
from sinasec.observatory.selectors import demo_incident_count
from sinasec.territories.models import Boundary, Level, Territory


def category_codes(parameters: TargetingParams) -> dict[str, str]:
    """The crime category behind each counting indicator (``total`` and ``rate``: none)."""
    codes = {}
    for choice in parameters.indicators:
        if choice.key == "homicides":
            codes[choice.key] = HOMICIDE_CATEGORY
        elif choice.key.startswith("count:"):
            codes[choice.key] = choice.key.removeprefix("count:")
    return codes


def collect_district_data(parameters: TargetingParams) -> DistrictSnapshot:
    """The per-district values the run uses, after the filters, with each district's
    queen neighbours among them (None without a polygon): the snapshot stored with the
    run. See the module's documentation for the rules."""
    year = parameters.year
    categories = dict(CrimeCategory.objects.values_list("code", "name"))
    wanted = set(category_codes(parameters).values())
    unknown = sorted(wanted - set(categories))
    if unknown:
        raise TargetingError(_("unknown crime category: %s") % ", ".join(unknown))
    source = pick_source(year, parameters.source)
    if parameters.source and source is None:
        raise TargetingError(_("unknown source “%s”") % parameters.source)
    population_year, population = population_for_year(year, 6, MAX_POPULATION_GAP)
    totals, by_category = _district_counts(year, source)
    excluded = {"population_unknown": 0, "population_range": 0, "not_urban": 0}
    kept: list[SnapshotUnit] = []
    districts = Territory.objects.filter(level=Level.DISTRICT)
    for ubigeo, name, category in districts.values_list("ubigeo", "name", "category"):
        people = population.get(ubigeo)
        reason = _filtered_out(parameters, people, category)
        if reason:
            excluded[reason] += 1
            continue
        listed = ubigeo in totals
        kept.append(
            {
                "ubigeo": ubigeo,
                "name": name,
                "population": people,
                "capital_category": category,
                "listed_by_source": listed,
                "values": _district_values(parameters, ubigeo, people, totals, by_category),
                "neighbours": None,
            }
        )

    notes = []
    if source is None:
        notes.append("no_crime_counts")
    if population_year is None:
        notes.append("no_population")
    _add_neighbours(kept, Boundary)
    return {
        "unit": "district",
        "year": year,
        "source": source.code if source else None,
        "source_name": source.name if source else None,
        "is_demo": bool(source and source.is_demo),
        "population_year": population_year,
        "category_names": {c: categories[c] for c in sorted(wanted)},
        "excluded": excluded,
        "notes": notes,
        "units": kept,
    }


def _district_counts(
    year: int, source: Source | None
) -> tuple[dict[str, int], dict[tuple[str, str | None], int]]:
    """The source's crimes of ``year`` per district, in all and per category, summed over
    months by one grouped query (empty without a source)."""
    totals: dict[str, int] = {}
    by_category: dict[tuple[str, str | None], int] = {}
    if source is None:
        return totals, by_category
    rows = (
        CrimeCount.objects.filter(year=year, source=source, territory__isnull=False)
        .values_list("territory_id", "category__code")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for ubigeo, code, count in rows:
        if len(ubigeo) != 6:
            continue
        totals[ubigeo] = totals.get(ubigeo, 0) + count
        by_category[(ubigeo, code)] = by_category.get((ubigeo, code), 0) + count
    return totals, by_category


def _filtered_out(parameters: TargetingParams, people: int | None, category: str) -> str | None:
    """Why the filters leave a district out (a key of the snapshot's ``excluded``)."""
    low, high = parameters.min_population, parameters.max_population
    if low is not None or high is not None:
        if people is None:
            return "population_unknown"
        if (low is not None and people < low) or (high is not None and people > high):
            return "population_range"
    if parameters.urban and category != URBAN_CATEGORY:
        return "not_urban"
    return None


def _district_values(
    parameters: TargetingParams,
    ubigeo: str,
    people: int | None,
    totals: Mapping[str, int],
    by_category: Mapping[tuple[str, str | None], int],
) -> dict[str, float | None]:
    """A district's value of each indicator: unknown when the source does not list it."""
    values: dict[str, float | None] = {}
    for choice in parameters.indicators:
        if ubigeo not in totals:
            values[choice.key] = None
        elif choice.key == "rate":
            values[choice.key] = totals[ubigeo] * 100_000 / people if people else None
        elif choice.key == "total":
            values[choice.key] = float(totals[ubigeo])
        else:
            code = (
                HOMICIDE_CATEGORY
                if choice.key == "homicides"
                else choice.key.removeprefix("count:")
            )
            values[choice.key] = float(by_category.get((ubigeo, code), 0))
    return values


def _add_neighbours(units: list[SnapshotUnit], boundary_model: Any) -> None:

    by_ubigeo = {u["ubigeo"]: u for u in units}
    polygons = list(
        boundary_model.objects.filter(territory_id__in=list(by_ubigeo)).values_list(
            "territory_id", "geometry"
        )
    )
    if not polygons:
        return
    ubigeos = [u for u, _g in polygons]
    weights = queen_weights_from_polygons(
        [shape(json.loads(g)) for _u, g in polygons], tolerance=BOUNDARY_TOLERANCE
    )
    for row, ubigeo in enumerate(ubigeos):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        by_ubigeo[ubigeo]["neighbours"] = sorted(ubigeos[k] for k in weights.indices[start:end])


# ---------------------------------------------------------------------------------------
# Custom polygons and the grid: counts from the incident store.


def _store() -> Any:
    return IncidentStore()


def _where(parameters: TargetingParams) -> tuple[str, list[Any]]:
    where = ["year = ?"]
    params: list[Any] = [parameters.year]
    if parameters.area:
        where.append("starts_with(ubigeo, ?)")
        params.append(parameters.area)
    if not parameters.include_forced:
        where.append(usable_where(StackRule.from_settings()))
    return " AND ".join(where), params


def _area_polygon(area: str | None) -> Any:
    """The shapely polygon of a territory (None without one)."""
    if not area:
        return None

    if not Territory.objects.filter(ubigeo=area).exists():
        raise TargetingError(_("unknown territory “%s”") % area)
    geometry = Boundary.objects.filter(territory_id=area).values_list("geometry", flat=True).first()
    return shape(json.loads(geometry)) if geometry else None


def _category_names(parameters: TargetingParams) -> dict[str, str]:
    codes = sorted(set(category_codes(parameters).values()))
    names = dict(CrimeCategory.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: names.get(code, code) for code in codes}


def _count_sql(parameters: TargetingParams) -> tuple[list[str], list[str], list[Any]]:
    """Aggregates of the counting indicators and their parameters: ``total`` first."""
    codes = category_codes(parameters)
    keys = ["total", *codes]
    aggregates = ["count(*)::BIGINT"] + [
        "(count(*) FILTER (WHERE crime_type = ?))::BIGINT" for _k in codes
    ]
    return keys, aggregates, list(codes.values())


def collect_polygon_data(
    parameters: TargetingParams, features: Sequence[Mapping[str, Any]] | None = None
) -> PolygonSnapshot:
    """Per-polygon counts for the custom polygons (``features``: code, name,
    population, geometry as GeoJSON; default: every barrio with a boundary)."""

    if features is None:
        features = barrio_features()
    if not features:
        raise TargetingError(_("there are no polygons to rank: upload a GeoJSON file"))
    shapes = [shape(f["geometry"]) for f in features]
    keys, _aggregates, codes = _count_sql(parameters)
    where, params = _where(parameters)
    west, south, east, north = shapely.total_bounds(shapes)
    store = _store()
    points = store.query_arrow(
        f"SELECT lon, lat, crime_type FROM incidents WHERE {where} "
        "AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?",
        [*params, west, east, south, north],
    )
    lon = points.column("lon").to_numpy(zero_copy_only=False)
    lat = points.column("lat").to_numpy(zero_copy_only=False)
    kinds = np.asarray(points.column("crime_type").to_pylist(), dtype=object)
    units: list[SnapshotUnit] = []
    for feature, polygon in zip(features, shapes, strict=True):
        x0, y0, x1, y1 = polygon.bounds
        near = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
        inside = near[shapely.contains_xy(polygon, lon[near], lat[near])]
        counts = {"total": float(inside.size)}
        for key, code in zip(keys[1:], codes, strict=True):
            counts[key] = float(np.count_nonzero(kinds[inside] == code))
        people = feature.get("population")
        values: dict[str, float | None] = {}
        for choice in parameters.indicators:
            if choice.key == "rate":
                values["rate"] = counts["total"] * 100_000 / people if people else None
            else:
                values[choice.key] = counts[choice.key]
        units.append(
            {
                "ubigeo": feature["code"],
                "name": feature["name"],
                "population": people,
                "values": values,
                "neighbours": None,
                "geometry": feature["geometry"],
            }
        )
    weights = queen_weights_from_polygons(shapes, tolerance=BOUNDARY_TOLERANCE)
    for row, unit in enumerate(units):
        neighbours = weights.indices[weights.indptr[row] : weights.indptr[row + 1]]
        unit["neighbours"] = sorted(units[k]["ubigeo"] for k in neighbours)
    return {**_store_snapshot(parameters, store), "units": units, "incidents": len(lon)}


def _store_snapshot(parameters: TargetingParams, store: Any) -> StoreSnapshot:
    """What a snapshot counted from the incident store says besides its units."""
    version = store.current_version()
    notes = [] if version else ["store_empty"]
    return {
        "unit": parameters.unit,
        "year": parameters.year,
        "area": parameters.area,
        "source": "incidents",
        "source_name": f"incidents {version}" if version else None,
        # The store holds the demo's synthetic incidents: the run says it is demo data.
        "is_demo": bool(version) and demo_incident_count() > 0,
        "population_year": None,
        "category_names": _category_names(parameters),
        "excluded": {},
        "notes": notes,
    }


def collect_grid_data(parameters: TargetingParams) -> GridSnapshot:
    """Per-cell counts on the grid (see the module's documentation)."""
    assert parameters.cell_size_m is not None  # checked by TargetingParams
    area = _area_polygon(parameters.area)
    store = _store()
    where, params = _where(replace(parameters, include_forced=True))
    usable = "true" if parameters.include_forced else usable_where(StackRule.from_settings())
    # One pass: the extent of the usable points, how many have none or a forced one.
    extent = store.query(
        "SELECT min(lon) FILTER (located) AS w, min(lat) FILTER (located) AS s, "
        "max(lon) FILTER (located) AS e, max(lat) FILTER (located) AS n, "
        "count(*) FILTER (located) AS located, count(*) FILTER (lat IS NULL) AS unlocated, "
        "count(*) FILTER (lat IS NOT NULL AND NOT located) AS forced "
        "FROM (SELECT lon, lat, lon IS NOT NULL AND lat IS NOT NULL "
        f"AND {usable} AS located FROM incidents WHERE {where})",
        params,
    )[0]
    if area is not None:
        west, south, east, north = area.bounds
    elif extent["located"]:
        west, south, east, north = extent["w"], extent["s"], extent["e"], extent["n"]
    else:
        raise TargetingError(
            _("no geocoded incident in %(year)d to lay a grid over") % {"year": parameters.year}
        )
    grid = GridGeometry.covering(west, south, east, north, parameters.cell_size_m)
    if grid.size > MAX_GRID_CELLS:
        raise TargetingError(
            _("%(n)s cells: choose a larger cell or a smaller area (at most %(max)s)")
            % {
                "n": number_format(grid.size, force_grouping=True),
                "max": number_format(MAX_GRID_CELLS, force_grouping=True),
            }
        )
    cells = _cells_in_area(grid, area)
    values = _cell_counts(store, parameters, grid, cells)
    wanted = [i.key for i in parameters.indicators]
    on_grid = int(values["total"].sum())
    return {
        **_store_snapshot(parameters, store),
        "grid": grid.as_dict(),
        "cells": pack(cells.astype(np.int32)),
        "values": {k: pack(values[k].astype(np.int32)) for k in wanted},
        "incidents": {
            "on_grid": on_grid,
            "outside": int(extent["located"]) - on_grid,
            "unlocated": extent["unlocated"],
            "forced": int(extent["forced"]),
        },
    }


def _cell_counts(
    store: Any, parameters: TargetingParams, grid: GridGeometry, cells: np.ndarray
) -> dict[str, np.ndarray]:
    """Per counting indicator (``total`` first), the incidents in each of ``cells`` (in
    their order): binned by DuckDB over the store, spread over the cells by NumPy."""
    where, params = _where(parameters)
    keys, aggregates, codes = _count_sql(parameters)
    rows = store.query_arrow(
        f"SELECT cell, {', '.join(aggregates)} FROM ("
        f"  SELECT CAST(floor((lat_max - lat) * ky / cell) AS BIGINT) * n_cols"
        f"       + CAST(floor((lon - lon_min) * kx / cell) AS BIGINT) AS cell, crime_type"
        f"  FROM incidents, (SELECT ?::DOUBLE AS lon_min, ?::DOUBLE AS lat_max,"
        f"                          ?::DOUBLE AS kx, ?::DOUBLE AS ky, ?::DOUBLE AS cell,"
        f"                          ?::BIGINT AS n_cols) AS g"
        f"  WHERE {where} AND lon >= lon_min AND lat <= lat_max"
        f"    AND (lon - lon_min) * kx < n_cols * cell"
        f"    AND (lat_max - lat) * ky < ? * cell"
        f") GROUP BY cell",
        [
            *codes,
            grid.lon_min,
            grid.lat_max,
            grid.kx,
            grid.ky,
            grid.cell_m,
            grid.n_cols,
            *params,
            grid.n_rows,
        ],
    )
    position = np.full(grid.size, -1, dtype=np.int64)
    position[cells] = np.arange(cells.size)
    at = position[rows.column("cell").to_numpy()]
    inside = at >= 0
    values = {}
    for key, column in zip(keys, rows.column_names[1:], strict=True):
        counts = rows.column(column).to_numpy()[inside]
        values[key] = np.bincount(at[inside], weights=counts, minlength=cells.size).astype(np.int64)
    return values


def _cells_in_area(grid: GridGeometry, area: Any) -> np.ndarray:
    """The cells whose centre lies in the area (all of them without an area)."""
    every = np.arange(grid.size, dtype=np.int64)
    if area is None:
        return every

    lon, lat = grid.centres(every)
    return every[shapely.contains_xy(area, lon, lat)]


def collect(
    parameters: TargetingParams, features: Sequence[Mapping[str, Any]] | None = None
) -> Snapshot:
    if parameters.unit == "grid":
        return collect_grid_data(parameters)
    if parameters.unit == "polygons":
        return collect_polygon_data(parameters, features)
    return collect_district_data(parameters)


def run_targeting(
    parameters: TargetingParams, features: Sequence[Mapping[str, Any]] | None = None
) -> TargetingResult:
    """Collect the data and rank the units (the snapshot is ``result.snapshot``);
    refused when no indicator has a value (:func:`checks.check_values`)."""
    snapshot = collect(parameters, features)
    warnings = check_values(parameters, snapshot)
    if warnings:  # kept in the snapshot, so a run reproduced from it says them too
        notes = cast(dict[str, Any], snapshot).setdefault("notes", [])
        notes.extend(warnings)
    return score(parameters, snapshot)
