"""Hot spots on a regular grid of incident counts, from the incident store.

Coordinates are projected with a local equirectangular projection centred on the data
(metres east and north of its mean point): over the extent of a city or a region the
distortion is well under the cell sizes used for targeting (hundreds of metres).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sinasec.analytics.hotspots import classify, gi_star, grid_counts, grid_weights
from sinasec.incidents import IncidentStore

EARTH_RADIUS_M = 6_371_008.8


def project(
    lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float
) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north of ``(lat0, lon0)``."""
    x = np.radians(lon - lon0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    y = np.radians(lat - lat0) * EARTH_RADIUS_M
    return x, y


def unproject(
    x: np.ndarray, y: np.ndarray, lat0: float, lon0: float
) -> tuple[np.ndarray, np.ndarray]:
    lat = lat0 + np.degrees(y / EARTH_RADIUS_M)
    lon = lon0 + np.degrees(x / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    return lat, lon


def grid_hotspots(
    store: IncidentStore,
    year: int,
    cell_m: float,
    *,
    department: str | None = None,
    crime_type: str | None = None,
    q: float = 0.05,
    max_cells: int = 4_000_000,
) -> dict[str, Any]:
    """Gi* on the grid of ``cell_m`` metres over the year's incidents (optionally one
    department's and one crime type), hot and cold cells by Benjamini-Hochberg at FDR q."""
    where = ["year = ?", "lat IS NOT NULL", "lon IS NOT NULL"]
    params: list[Any] = [year]
    if department:
        where.append("starts_with(ubigeo, ?)")
        params.append(department)
    if crime_type:
        where.append("crime_type = ?")
        params.append(crime_type)
    points = store.query_arrow(
        f"SELECT lat, lon FROM incidents WHERE {' AND '.join(where)}", params
    )
    result: dict[str, Any] = {
        "year": year,
        "cell_m": cell_m,
        "q": q,
        "incidents": points.num_rows,
        "cells": [],
    }
    if points.num_rows < 3:
        result["note"] = "fewer than three incidents"
        return result
    lat = points.column("lat").to_numpy()
    lon = points.column("lon").to_numpy()
    lat0, lon0 = float(lat.mean()), float(lon.mean())
    x, y = project(lat, lon, lat0, lon0)
    bounds = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    n_cells = math.ceil((bounds[2] - bounds[0]) / cell_m + 1) * math.ceil(
        (bounds[3] - bounds[1]) / cell_m + 1
    )
    if n_cells > max_cells:
        raise ValueError(f"{n_cells:,} cells: choose a larger cell or a smaller area")
    counts, transform = grid_counts(x, y, cell_m, bounds)
    gi = gi_star(counts.astype(float), grid_weights(*counts.shape))
    labels = classify(gi, q)
    centre_x, centre_y = transform.cell_centres()
    rows, cols = np.nonzero(labels)
    c_lat, c_lon = unproject(centre_x[rows, cols], centre_y[rows, cols], lat0, lon0)
    result["grid"] = {"rows": int(counts.shape[0]), "cols": int(counts.shape[1])}
    result["cells"] = [
        {
            "lat": round(float(c_lat[i]), 6),
            "lon": round(float(c_lon[i]), 6),
            "count": int(counts[r, c]),
            "z": round(float(gi.z[r, c]), 3),
            "class": "hot" if labels[r, c] > 0 else "cold",
        }
        for i, (r, c) in enumerate(zip(rows, cols, strict=True))
    ]
    return result
