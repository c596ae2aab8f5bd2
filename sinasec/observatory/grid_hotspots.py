"""Grid hot spots of the incident store: the year's geocoded incidents (optionally one
department's and one crime type's) through :func:`sinasec.analytics.grid.grid_hotspots`,
as the JSON the ``observatory hotspots --grid-m`` command prints.

Points forced onto a police station or another centroid, and incidents without one,
are left out unless ``include_forced`` (:mod:`sinasec.incidents.geocoding`; ``stations``, the police
stations' points, tell a stack forced onto one from another): a stack of
complaints placed on a police station is where they were filed, not where they happened,
and would be the "hottest" cell of the city. What was left out is said, per district."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sinasec.analytics import grid
from sinasec.analytics.hotspots import HOT
from sinasec.incidents import IncidentStore
from sinasec.incidents.geocoding import usable_points
from sinasec.observatory.types import GridHotspotCell, GridHotspots


def grid_hotspots(
    store: IncidentStore,
    year: int,
    cell_m: float,
    *,
    department: str | None = None,
    crime_type: str | None = None,
    q: float = 0.05,
    max_cells: int = 4_000_000,
    include_forced: bool = False,
    stations: Sequence[tuple[float, float]] = (),
) -> GridHotspots:
    """Gi* on the grid of ``cell_m`` metres over the year's incidents (optionally one
    department's and one crime type), hot and cold cells by Benjamini-Hochberg at FDR q."""
    where = ["year = ?"]
    params: list[Any] = [year]
    if department:
        where.append("starts_with(ubigeo, ?)")
        params.append(department)
    if crime_type:
        where.append("crime_type = ?")
        params.append(crime_type)
    points, dropped = usable_points(
        store, where, params, include_forced=include_forced, stations=stations
    )
    result: GridHotspots = {
        "year": year,
        "cell_m": cell_m,
        "q": q,
        "incidents": points.num_rows,
        "cells": [],
        "left_out": dropped,
    }
    if points.num_rows < 3:
        result["note"] = "fewer than three incidents"
        return result
    spots = grid.grid_hotspots(
        points.column("lat").to_numpy(),
        points.column("lon").to_numpy(),
        cell_m,
        q=q,
        max_cells=max_cells,
    )
    result["grid"] = {"rows": spots.n_rows, "cols": spots.n_cols}
    cells: list[GridHotspotCell] = [
        {
            "lat": round(float(spots.lat[i]), 6),
            "lon": round(float(spots.lon[i]), 6),
            "count": int(spots.count[i]),
            "z": round(float(spots.z[i]), 3),
            "class": "hot" if spots.label[i] == HOT else "cold",
        }
        for i in range(spots.label.size)
    ]
    result["cells"] = cells
    return result
