"""The pure part of Barrio Seguro monitoring: functions over arrays and shapely
geometries, no database and no store (the rules they apply are described in
:mod:`sinasec.barrios.monitoring.series`, which re-exports them with the collectors)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal, TypedDict

import numpy as np
import numpy.typing as npt
import shapely
from scipy import stats
from shapely.geometry.base import BaseGeometry

from sinasec.analytics.evaluation.wdd import weighted_displacement_difference
from sinasec.analytics.grid import project, unproject
from sinasec.analytics.notes import AnalyticsError

AREAS = ("barrio", "buffer", "district", "comparison", "comparison_buffer")
# The areas of the WDD test: treated, control, buffer and control buffer.
WDD_AREAS = ("barrio", "comparison", "buffer", "comparison_buffer")
DEFAULT_BUFFER_M = 400.0
MAX_BUFFER_M = 5_000.0
DEFAULT_COMPARISONS = 3
MAX_WDD_MONTHS = 12
WINDOW_MONTHS = 24
MAX_WINDOW_MONTHS = 240

# Why a figure could not be computed: codes in the JSON, translated on the page
# (``sinasec.barrios.messages``).
REASON_CODES = (
    "no_boundary",
    "no_district_boundary",
    "not_launched",
    "launched_after_window",
    "no_pre_launch_months",
    "no_comparison",
)

Month = tuple[int, int]
IntArray = npt.NDArray[np.int64]


class WDDReading(TypedDict):
    total: str  # reduction, increase or no_detectable_change
    displacement: str  # displacement, diffusion or none


class BeforeAfter(TypedDict):
    before: int
    after: int


class WDDFigures(TypedDict):
    """The WDD test on a barrio's monitoring counts (:func:`wdd_from_series`); figures a
    zero count leaves undefined are None."""

    available: Literal[True]
    reason: None
    before: list[str]  # first and last month
    after: list[str]
    months_each: int
    counts: dict[str, BeforeAfter]  # per area of the test
    wdd: float
    variance: float
    standard_error: float | None
    z: float | None
    p_value: float | None
    ci_lower: float | None
    ci_upper: float | None
    confidence: float
    local: float
    local_standard_error: float | None
    displacement: float
    displacement_standard_error: float | None
    reading: WDDReading


class MonitoringError(AnalyticsError):
    """A request the monitoring cannot answer (bad window, unknown comparison barrio)."""

    messages: ClassVar[Mapping[str, str]] = {
        "bad_month": "Months are written YYYY-MM (e.g. 2024-03).",
        "bad_buffer": "The buffer must be more than 0 metres.",
    }


# --------------------------------------------------------------------------------------
# Months
# --------------------------------------------------------------------------------------


def month_key(value: date | Month | str) -> Month:
    """``(year, month)`` of a date, a pair or a ``YYYY-MM`` string."""
    if isinstance(value, date):
        return value.year, value.month
    if isinstance(value, str):
        try:
            year, month = (int(part) for part in value.strip().split("-")[:2])
        except ValueError:
            raise MonitoringError("bad_month") from None
        value = (year, month)
    year, month = int(value[0]), int(value[1])
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        raise MonitoringError("bad_month")
    return year, month


def month_number(month: Month) -> int:
    """Months since January of year 0: consecutive months differ by 1."""
    return month[0] * 12 + month[1] - 1


def month_from_number(number: int) -> Month:
    return number // 12, number % 12 + 1


def month_label(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def last_day(month: Month) -> date:
    year, number = month_from_number(month_number(month) + 1)
    return date.fromordinal(date(year, number, 1).toordinal() - 1)


# --------------------------------------------------------------------------------------
# Geometry and counts (pure)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """The points covered by ``include`` (closed: its border counts) and by none of
    ``exclude`` (closed too: a point on an excluded border is left out)."""

    include: BaseGeometry
    exclude: tuple[BaseGeometry, ...] = ()


def parse_boundary(text: str | None) -> BaseGeometry | None:
    """A GeoJSON Polygon or MultiPolygon (lon/lat; also as a Feature or inside a
    collection) as a shapely geometry, invalid ones repaired; ``None`` when blank,
    empty, unreadable or not polygonal."""
    if not text or not text.strip():
        return None
    try:
        geometry = shapely.from_geojson(text)
    except Exception:  # GEOS raises its own error types for bad text
        return None
    if geometry is None or geometry.is_empty:
        return None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    parts = shapely.get_parts(geometry)
    while np.any(collection := shapely.get_type_id(parts) >= 4):  # multi-parts, collections
        parts = np.concatenate([parts[~collection], shapely.get_parts(parts[collection])])
    polygons = parts[shapely.get_type_id(parts) == 3]  # Polygon (make_valid may add lines)
    if polygons.size == 0:
        return None
    return shapely.union_all(polygons) if polygons.size > 1 else polygons[0]


def grow(polygon: BaseGeometry, buffer_m: float, *, join: str = "round") -> BaseGeometry:
    """``polygon`` (lon/lat) grown by ``buffer_m`` metres, in lon/lat.

    Computed in the local equirectangular projection centred on the polygon's centroid
    (:func:`sinasec.analytics.grid.project`), then brought back. ``join='round'``
    (default) is the true buffer, every point within ``buffer_m`` of the polygon (a 1 km
    square grows to ``1 + 4 * 0.4 + pi * 0.4**2`` km² with 400 m); ``'mitre'`` keeps
    square corners (``1.8**2`` km²)."""
    if buffer_m <= 0:
        raise MonitoringError("bad_buffer")
    centre = polygon.centroid
    lon0, lat0 = float(centre.x), float(centre.y)

    def to_metres(coords: np.ndarray) -> np.ndarray:
        x, y = project(coords[:, 1], coords[:, 0], lat0, lon0)
        return np.column_stack([x, y])

    def to_degrees(coords: np.ndarray) -> np.ndarray:
        lat, lon = unproject(coords[:, 0], coords[:, 1], lat0, lon0)
        return np.column_stack([lon, lat])

    metric = shapely.transform(polygon, to_metres)
    grown = shapely.buffer(metric, buffer_m, quad_segs=16, join_style=join)
    return shapely.transform(grown, to_degrees)


def area_m2(geometry: BaseGeometry) -> float:
    """Area in square metres, in the local projection centred on the geometry."""
    centre = geometry.centroid
    lon0, lat0 = float(centre.x), float(centre.y)

    def to_metres(coords: np.ndarray) -> np.ndarray:
        x, y = project(coords[:, 1], coords[:, 0], lat0, lon0)
        return np.column_stack([x, y])

    return float(shapely.transform(geometry, to_metres).area)


def barrio_areas(
    barrio: BaseGeometry,
    buffer_m: float = DEFAULT_BUFFER_M,
    district: BaseGeometry | None = None,
    comparisons: Sequence[BaseGeometry] = (),
) -> dict[str, Area | None]:
    """The five areas of a barrio (see the module docstring), ``None`` for the district
    without a polygon and for the comparison areas without comparison barrios."""
    grown = grow(barrio, buffer_m)
    areas: dict[str, Area | None] = {
        "barrio": Area(barrio),
        "buffer": Area(grown, (barrio,)),
        "district": Area(district) if district is not None else None,
        "comparison": None,
        "comparison_buffer": None,
    }
    if comparisons:
        union = shapely.union_all(list(comparisons))
        grown_union = shapely.union_all([grow(c, buffer_m) for c in comparisons])
        areas["comparison"] = Area(union, (grown,))
        areas["comparison_buffer"] = Area(grown_union, (union, grown))
    return areas


def _as_area(item: Area | BaseGeometry) -> Area:
    return item if isinstance(item, Area) else Area(item)


def bounds(item: Area | BaseGeometry) -> tuple[float, float, float, float]:
    """``(min lon, min lat, max lon, max lat)`` of what an area can contain."""
    minx, miny, maxx, maxy = _as_area(item).include.bounds
    return float(minx), float(miny), float(maxx), float(maxy)


def monthly_counts(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    month_index: npt.ArrayLike,
    polygons: Sequence[Area | BaseGeometry],
    n_months: int,
) -> IntArray:
    """Counts of points per polygon and month: an ``(len(polygons), n_months)`` array.

    ``lon``, ``lat`` (degrees) and ``month_index`` (0 for the first month) are one entry
    per point; points whose month is outside ``0 .. n_months - 1`` or whose coordinates
    are not finite are not counted. Each item of ``polygons`` is a shapely geometry (the
    closed polygon: a point on its border is inside) or an :class:`Area` (its
    ``include`` minus its closed ``exclude`` geometries). A point on a border shared by
    two items may therefore count in both when they are plain polygons; the areas of
    :func:`barrio_areas` are built so that it counts once among the areas of the test.

    Points are sorted by longitude once; each polygon takes the slice within its
    bounding box by binary search, keeps those within its latitudes, and only those go
    through shapely's vectorised ``intersects_xy`` (on prepared geometries).
    """
    x = np.asarray(lon, dtype=np.float64).ravel()
    y = np.asarray(lat, dtype=np.float64).ravel()
    month = np.asarray(month_index, dtype=np.int64).ravel()
    if not (x.size == y.size == month.size):
        raise ValueError("lon, lat and month_index must have the same length")
    counts = np.zeros((len(polygons), n_months), dtype=np.int64)
    keep = (month >= 0) & (month < n_months) & np.isfinite(x) & np.isfinite(y)
    order = np.argsort(x[keep], kind="stable")
    x, y, month = x[keep][order], y[keep][order], month[keep][order]
    for i, item in enumerate(polygons):
        area = _as_area(item)
        if area.include is None or area.include.is_empty:
            continue
        minx, miny, maxx, maxy = bounds(area)
        low = int(np.searchsorted(x, minx, side="left"))
        high = int(np.searchsorted(x, maxx, side="right"))
        in_box = low + np.flatnonzero((y[low:high] >= miny) & (y[low:high] <= maxy))
        if in_box.size == 0:
            continue
        px, py = x[in_box], y[in_box]
        shapely.prepare(area.include)
        inside = shapely.intersects_xy(area.include, px, py)
        for other in area.exclude:
            if inside.any():
                shapely.prepare(other)
                inside &= ~shapely.intersects_xy(other, px, py)
        counts[i] = np.bincount(month[in_box[inside]], minlength=n_months)
    return counts


# --------------------------------------------------------------------------------------
# Small rules (pure)
# --------------------------------------------------------------------------------------


def rates_per_100k(
    counts: Sequence[int | None], population: Sequence[int | None]
) -> list[float | None]:
    """Incidents per 100,000 inhabitants, rounded to 2 decimals; ``None`` (unknown)
    where the count or the population is unknown or the population is not positive."""
    return [
        round(count * 100_000 / people, 2)
        if count is not None and people is not None and people > 0
        else None
        for count, people in zip(counts, population, strict=True)
    ]


def rank_by_similarity(
    target: npt.ArrayLike, candidates: npt.ArrayLike, ids: Sequence[Any]
) -> list[tuple[Any, float]]:
    """``(id, distance)`` of each candidate series, closest first: the root mean square
    difference between its monthly counts and the target's over the same months (ties
    broken by id). With no months, every distance is 0."""
    series = np.asarray(target, dtype=np.float64).ravel()
    matrix = np.asarray(candidates, dtype=np.float64).reshape(len(ids), series.size)
    if series.size:
        distance = np.sqrt(np.mean((matrix - series) ** 2, axis=1))
    else:
        distance = np.zeros(len(ids))
    ranked = sorted(zip(ids, distance.tolist(), strict=True), key=lambda p: (p[1], p[0]))
    return [(i, round(d, 4)) for i, d in ranked]


def wdd_window(
    n_months: int, launch_index: int | None, max_months: int = MAX_WDD_MONTHS
) -> tuple[slice, slice] | str:
    """The before and after months of the WDD test, or the code of why there are none.

    The launch month is the first month after (the barrio is under the programme from
    then on, as ``start`` in the staggered DiD). The after period runs from it to the end
    of the window, at most ``max_months`` months; the before period is the same number of
    months just before the launch, so both have the same length (fewer after months
    than ``max_months`` shorten both)."""
    if launch_index is None:
        return "not_launched"
    if launch_index >= n_months:
        return "launched_after_window"
    if launch_index <= 0:
        return "no_pre_launch_months"
    length = min(launch_index, n_months - launch_index, max_months)
    return slice(launch_index - length, launch_index), slice(launch_index, launch_index + length)


def _finite(value: float) -> float | None:
    """JSON has no NaN: an undefined figure (every count 0) is ``None``."""
    return round(float(value), 6) if math.isfinite(value) else None


def wdd_reading(result: Any) -> WDDReading:
    """Codes for how to read a WDD result: the total (a significant reduction or
    increase at the result's confidence, or no detectable change) and the displacement
    part (crime pushed into the buffer, benefits diffused to it, or neither detectable;
    a normal test of the part against its own standard error)."""
    if result.ci_upper < 0:
        total = "reduction"
    elif result.ci_lower > 0:
        total = "increase"
    else:
        total = "no_detectable_change"
    displacement = "none"
    se = result.displacement_standard_error
    if result.has_buffers and se > 0:
        critical = float(stats.norm.ppf(0.5 + result.confidence / 2))
        z = result.displacement / se
        if z > critical:
            displacement = "displacement"
        elif z < -critical:
            displacement = "diffusion"
    return {"total": total, "displacement": displacement}


def wdd_from_series(
    series: Mapping[str, Sequence[int]], window: tuple[slice, slice], months: Sequence[str]
) -> WDDFigures:
    """The WDD test on the monitoring counts: sums of ``barrio``, ``comparison``,
    ``buffer`` and ``comparison_buffer`` over the before and after months."""
    before, after = window
    sums = {
        area: (int(sum(series[area][before])), int(sum(series[area][after]))) for area in WDD_AREAS
    }
    result = weighted_displacement_difference(
        *sums["barrio"], *sums["comparison"], *sums["buffer"], *sums["comparison_buffer"]
    )
    return {
        "available": True,
        "reason": None,
        "before": [months[before.start], months[before.stop - 1]],
        "after": [months[after.start], months[after.stop - 1]],
        "months_each": before.stop - before.start,
        "counts": {area: {"before": b, "after": a} for area, (b, a) in sums.items()},
        "wdd": result.wdd,
        "variance": result.variance,
        "standard_error": _finite(result.standard_error),
        "z": _finite(result.z),
        "p_value": _finite(result.p_value),
        "ci_lower": _finite(result.ci_lower),
        "ci_upper": _finite(result.ci_upper),
        "confidence": result.confidence,
        "local": result.local,
        "local_standard_error": _finite(result.local_standard_error),
        "displacement": result.displacement,
        "displacement_standard_error": _finite(result.displacement_standard_error),
        "reading": wdd_reading(result),
    }
