"""The sanity of a GeoJSON polygon, checked before shapely reads it, for every importer
of boundaries (territories, a barrio's outline, a targeting run's polygons).

A polygon is accepted only when its coordinates are what GeoJSON says: rings of at
least four positions of finite numbers, each ring closed (its last position is its
first), in longitude and latitude inside Peru's box, with no more vertices than the
limits (per feature and per file, ``imports.limits``). A reference place narrows
where it may lie: inside a box (the territory it belongs to) and/or around a point
(its capital), with a tolerance of ``TOLERANCE_KM``, so a New York polygon or one
with latitude and longitude swapped is refused, not stored as Miraflores.

Functions return the reason of a refusal (a translated sentence) or the geometry;
the importers place it in their ``ProblemList`` with the feature's number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from sinasec.core.imports import Limits, check_size, limits, load_json, rejected
from sinasec.core.peru import LAT_RANGE, LON_RANGE

POLYGON_TYPES = ("Polygon", "MultiPolygon")
TOLERANCE_KM = 2.0
KM_PER_DEGREE = 111.32

Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


@dataclass(frozen=True)
class Place:
    """Where a polygon is expected: inside ``box`` and around ``point`` (lon, lat)."""

    box: Box | None = None
    point: tuple[float, float] | None = None


class VertexBudget:
    """The vertices a file may still hold, spent feature by feature."""

    def __init__(self, limit: Limits | None = None):
        self.limit = limit or limits()
        self.left = self.limit.vertices

    def spend(self, count: int) -> str:
        """The reason the file is over its limit once ``count`` more are read, or ""."""
        self.left -= count
        return self.over() if self.left < 0 else ""

    def over(self) -> str:
        return _("the file has more than %(n)d vertices, the limit of one import") % {
            "n": self.limit.vertices
        }


def load_geojson(data: bytes, file_name: str) -> Any:
    """A GeoJSON document (:func:`~sinasec.core.imports.load_json`), refused before
    parsing when it cannot be within the vertex limit: every position opens a ``[``,
    so a file with more of them than the limit allows is refused at the cost of one
    scan of its bytes, not of its parse (about six times its size in memory)."""
    check_size(len(data), file_name)
    limit = limits()
    if data.count(b"[") > limit.vertices + 4 * limit.features:
        raise rejected(file_name, VertexBudget(limit).over())
    return load_json(data, file_name)


def polygon_geometry(
    raw: Any, budget: VertexBudget | None = None, place: Place | None = None
) -> tuple[BaseGeometry | None, str]:
    """A GeoJSON Polygon or MultiPolygon as a shapely geometry, or None and the
    reason. Validity (self-intersection) is left to the caller: some repair, some
    refuse."""
    budget = budget or VertexBudget()
    if not isinstance(raw, dict) or raw.get("type") not in POLYGON_TYPES:
        kind = raw.get("type") if isinstance(raw, dict) else None
        return None, _("expected a Polygon or MultiPolygon, found %(type)s") % {
            "type": str(kind or "?")[:40]
        }
    coordinates = raw.get("coordinates")
    polygons = [coordinates] if raw["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return None, _("the polygon is empty")
    count = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None, _("the polygon is empty")
        for ring in polygon:
            count += len(ring) if isinstance(ring, list) else 0
            if count > budget.limit.vertices_per_feature:
                return None, _(
                    "the polygon has more than %(n)d vertices; simplify it (a boundary "
                    "needs far fewer)"
                ) % {"n": budget.limit.vertices_per_feature}
            reason = _ring_problem(ring)
            if reason:
                return None, reason
    over = budget.spend(count)
    if over:
        return None, over
    try:
        geometry = shape({"type": raw["type"], "coordinates": coordinates})
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        return None, _("invalid geometry: %s") % exc
    if geometry.is_empty:
        return None, _("the polygon is empty")
    return geometry, place_problem(geometry.bounds, place)


def _ring_problem(ring: Any) -> str:
    if not isinstance(ring, list) or len(ring) < 4:
        return _("a ring needs at least 4 positions (the first repeated at the end)")
    for position in ring:
        if not (
            isinstance(position, list)
            and 2 <= len(position) <= 3
            and all(_is_number(v) for v in position)
        ):
            return _("“%(value)s” is not a position [longitude, latitude]") % {
                "value": str(position)[:60]
            }
        lon, lat = position[0], position[1]
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            return _(
                "the position [%(lon).4f, %(lat).4f] is not in Peru: coordinates must be "
                "longitude, latitude in degrees"
            ) % {"lon": lon, "lat": lat}
    if ring[0][:2] != ring[-1][:2]:
        return _("a ring is not closed: its last position must repeat its first")
    return ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def grow(box: Box, km: float = TOLERANCE_KM) -> Box:
    """``box`` widened by ``km`` on every side."""
    min_lon, min_lat, max_lon, max_lat = box
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(0.1, math.cos(math.radians((min_lat + max_lat) / 2))))
    return (min_lon - dlon, min_lat - dlat, max_lon + dlon, max_lat + dlat)


def place_problem(bounds: Box, place: Place | None) -> str:
    if place is None:
        return ""
    if place.box is not None:
        min_lon, min_lat, max_lon, max_lat = grow(place.box)
        if not (
            min_lon <= bounds[0] <= bounds[2] <= max_lon
            and min_lat <= bounds[1] <= bounds[3] <= max_lat
        ):
            return _(
                "the polygon lies outside the territory it belongs to (longitude "
                "%(lon0).4f to %(lon1).4f, latitude %(lat0).4f to %(lat1).4f; allowed "
                "%(tol)s km around it)"
            ) % _shown(bounds)
    if place.point is not None:
        min_lon, min_lat, max_lon, max_lat = grow(bounds)
        lon, lat = place.point
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return _(
                "the polygon (longitude %(lon0).4f to %(lon1).4f, latitude %(lat0).4f to "
                "%(lat1).4f) is more than %(tol)s km away from the territory's capital; is "
                "it the right territory?"
            ) % _shown(bounds)
    return ""


def _shown(bounds: Box) -> dict[str, object]:
    return {
        "lon0": bounds[0],
        "lat0": bounds[1],
        "lon1": bounds[2],
        "lat1": bounds[3],
        "tol": f"{TOLERANCE_KM:g}",
    }
