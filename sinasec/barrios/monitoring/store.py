"""Reading the incident store for the monitoring of
:mod:`sinasec.barrios.monitoring.series`: the window of months and the incidents near
the areas (the bounding-box prefilter, done by DuckDB in the incident store). No model is
imported: the benchmark reads the store without a Django set-up. The district's polygon
and population come from the database in :mod:`~sinasec.barrios.monitoring.district`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.translation import gettext as _

from sinasec.analytics.monitoring import (
    MAX_WINDOW_MONTHS,
    WINDOW_MONTHS,
    MonitoringError,
    Month,
    month_from_number,
    month_key,
    month_label,
    month_number,
)
from sinasec.incidents.geocoding import StackRule, usable_where

if TYPE_CHECKING:
    from sinasec.incidents import IncidentStore

METRES_PER_DEGREE = 111_195.0  # on the sphere of grid.EARTH_RADIUS_M
MAX_OR_BOXES = 8
MAX_CELL_KEYS = 200_000
CELL_KEY = 1_000_000  # cell key = column x CELL_KEY + row (rows stay within +-500,000)


@dataclass(frozen=True)
class Window:
    """Consecutive months: the first and how many (``Window.of("2023-01", "2024-12")``)."""

    first: Month
    n_months: int

    @classmethod
    def of(cls, start: date | Month | str, end: date | Month | str) -> Window:
        first, last = month_key(start), month_key(end)
        n_months = month_number(last) - month_number(first) + 1
        if n_months < 1:
            raise MonitoringError(_("The window ends before it starts."))
        if n_months > MAX_WINDOW_MONTHS:
            raise MonitoringError(
                _("The window is longer than %(n)d months.") % {"n": MAX_WINDOW_MONTHS}
            )
        return cls(first, n_months)

    @property
    def last(self) -> Month:
        return month_from_number(month_number(self.first) + self.n_months - 1)

    @property
    def labels(self) -> list[str]:
        start = month_number(self.first)
        return [month_label(month_from_number(start + i)) for i in range(self.n_months)]

    def index(self, day: date | None) -> int | None:
        """The month of ``day`` counted from the window's first (may be outside it)."""
        return None if day is None else month_number(month_key(day)) - month_number(self.first)


def default_window(store: IncidentStore, months: int = WINDOW_MONTHS) -> tuple[Month, Month] | None:
    """The last ``months`` months of the store (from its partitions), ``None`` when it is
    empty."""
    partitions = store.partitions()
    if not partitions:
        return None
    last = max(partitions)
    return month_from_number(month_number(last) - months + 1), last


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def expanded_box(
    box: tuple[float, float, float, float], metres: float
) -> tuple[float, float, float, float]:
    """A bounding box grown by ``metres`` on every side (a little more, to be safe)."""
    minx, miny, maxx, maxy = box
    dlat = 1.01 * metres / METRES_PER_DEGREE
    widest = math.cos(math.radians(min(89.0, max(abs(miny), abs(maxy)) + dlat)))
    dlon = 1.01 * metres / (METRES_PER_DEGREE * widest)
    return minx - dlon, miny - dlat, maxx + dlon, maxy + dlat


def _window_sql(window: Window) -> tuple[str, list[Any]]:
    first = month_number(window.first)
    last = first + window.n_months - 1
    sql = "year BETWEEN ? AND ? AND year * 12 + month - 1 BETWEEN ? AND ?"
    return sql, [window.first[0], window.last[0], first, last]


def _box_filter(boxes: Sequence[tuple[float, float, float, float]]) -> tuple[str, list[Any]]:
    """SQL keeping the points in any of ``boxes``, or a superset of them.

    A few boxes are an ``OR`` of ranges. DuckDB evaluates a long ``OR`` row by row
    (200 boxes over a million rows take seconds), so for more boxes the filter is a hash
    lookup of the point's cell in a coarse grid (about the size of the boxes) against
    the cells the boxes touch: a superset, made exact by :func:`monthly_counts`, which
    checks every box again. Both sides compute ``floor(coordinate / cell)`` in doubles,
    which is monotonic, so no point inside a box is lost."""
    if len(boxes) <= MAX_OR_BOXES:
        params: list[Any] = []
        for minx, miny, maxx, maxy in boxes:
            params += [minx, maxx, miny, maxy]
        ranges = " OR ".join("(lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?)" for _box in boxes)
        return f"({ranges})", params
    sides = [max(b[2] - b[0], b[3] - b[1]) for b in boxes]
    cell = float(np.clip(np.median(sides), 0.002, 0.05))
    keys: set[int] = set()
    for minx, miny, maxx, maxy in boxes:
        xs = range(math.floor(minx / cell), math.floor(maxx / cell) + 1)
        ys = range(math.floor(miny / cell), math.floor(maxy / cell) + 1)
        keys.update(x * CELL_KEY + y for x in xs for y in ys)
        if len(keys) > MAX_CELL_KEYS:  # huge boxes: their common box instead
            params = [min(b[0] for b in boxes), max(b[2] for b in boxes)]
            params += [min(b[1] for b in boxes), max(b[3] for b in boxes)]
            return "(lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?)", params
    key = f"CAST(floor(lon / ?) AS BIGINT) * {CELL_KEY} + CAST(floor(lat / ?) AS BIGINT)"
    return f"list_contains(?::BIGINT[], {key})", [sorted(keys), cell, cell]


def read_points(
    store: IncidentStore,
    boxes: Sequence[tuple[float, float, float, float]],
    window: Window,
    *,
    include_forced: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``lon``, ``lat`` and month index (0 = the window's first) of the incidents of the
    window inside any of ``boxes`` (``min lon, min lat, max lon, max lat``; with many
    boxes, a few more around them): the bounding-box prefilter, done by DuckDB. Points
    forced onto a police station or a centroid are left out unless ``include_forced``
    (:mod:`sinasec.incidents.geocoding`)."""
    empty = np.zeros(0, dtype=np.float64)
    if not boxes:
        return empty, empty, np.zeros(0, dtype=np.int64)
    months, params = _window_sql(window)
    where, box_params = _box_filter(boxes)
    if not include_forced:
        where += f" AND {usable_where(StackRule.from_settings())}"
    table = store.query_arrow(
        f"SELECT lon, lat, year * 12 + month - 1 AS n FROM incidents WHERE {months} AND {where}",
        params + box_params,
    )
    offset = month_number(window.first)
    return (
        table.column("lon").to_numpy(),
        table.column("lat").to_numpy(),
        table.column("n").to_numpy().astype(np.int64) - offset,
    )


def count_without_coordinates(store: IncidentStore, ubigeo: str, window: Window) -> int:
    months, params = _window_sql(window)
    rows = store.query(
        "SELECT count(*) AS n FROM incidents "
        f"WHERE {months} AND ubigeo = ? AND (lat IS NULL OR lon IS NULL)",
        [*params, ubigeo],
    )
    return int(rows[0]["n"])


def count_forced(store: IncidentStore, ubigeo: str, window: Window) -> int:
    """Incidents of the district in the window whose point is forced (left out)."""
    months, params = _window_sql(window)
    rows = store.query(
        "SELECT count(*) AS n FROM incidents WHERE "
        f"{months} AND ubigeo = ? AND lat IS NOT NULL "
        f"AND NOT {usable_where(StackRule.from_settings())}",
        [*params, ubigeo],
    )
    return int(rows[0]["n"])
