"""Hot spots on a regular grid of point counts, and the local projection to metres.

Coordinates are projected with a local equirectangular projection centred on the data
(metres east and north of its mean point): over the extent of a city or a region the
distortion is well under the cell sizes used for targeting (hundreds of metres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sinasec.analytics.hotspots import classify, gi_star, grid_counts, grid_weights

EARTH_RADIUS_M = 6_371_008.8

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


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


@dataclass(frozen=True)
class GridHotspots:
    """Gi* hot and cold cells of a grid of point counts: the grid's shape and, for each
    significant cell, its centre (degrees), count, z-score and class (1 hot, -1 cold)."""

    n_rows: int
    n_cols: int
    lat: FloatArray
    lon: FloatArray
    count: IntArray
    z: FloatArray
    label: IntArray


def grid_hotspots(
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    cell_m: float,
    *,
    q: float = 0.05,
    max_cells: int = 4_000_000,
) -> GridHotspots:
    """Gi* on the grid of ``cell_m`` metres over the points (at least three), hot and
    cold cells by Benjamini-Hochberg at FDR ``q``. Raises ``ValueError`` when the grid
    would have more than ``max_cells`` cells."""
    lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
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
    return GridHotspots(
        n_rows=int(counts.shape[0]),
        n_cols=int(counts.shape[1]),
        lat=c_lat,
        lon=c_lon,
        count=counts[rows, cols].astype(np.int64),
        z=np.asarray(gi.z[rows, cols], dtype=np.float64),
        label=labels[rows, cols].astype(np.int64),
    )
