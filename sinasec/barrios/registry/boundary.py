"""Reading a barrio's boundary from a GeoJSON file.

A barrio is one area: the file holds a Polygon or MultiPolygon geometry, a Feature with
one, or a FeatureCollection with exactly one such feature. It must be valid as drawn
(no repair: a self-intersecting outline is a drawing error the user should see and fix)
and lie in Peru, in longitude/latitude order. Only reads; the service writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.imports import load_json
from sinasec.core.peru import LAT_RANGE, LON_RANGE

# A neighbourhood outline is a few kilobytes; a much larger file is not one barrio.
MAX_BOUNDARY_BYTES = 2 * 1024 * 1024
POLYGON_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class BarrioBoundary:
    geometry: BaseGeometry

    def as_json(self) -> str:
        return json.dumps(mapping(self.geometry), separators=(",", ":"))

    @property
    def bounds(self) -> list[float]:
        return [round(v, 6) for v in self.geometry.bounds]


def _reject(file_name: str, reason: str) -> ImportRejected:
    return ImportRejected([ImportProblem(file_name, None, None, reason)])


def _geometry_object(document: Any, file_name: str) -> dict[str, Any]:
    """The one geometry the document carries, whatever its wrapping."""
    if not isinstance(document, dict):
        raise _reject(file_name, _("not a GeoJSON object"))
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise _reject(
                file_name,
                _("a FeatureCollection must hold exactly one feature (the barrio); it holds %(n)d")
                % {"n": count},
            )
        document = features[0]
        kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Feature":
        document = document.get("geometry")
        if not isinstance(document, dict):
            raise _reject(file_name, _("the feature has no geometry"))
        kind = document.get("type")
    if kind not in POLYGON_TYPES:
        raise _reject(
            file_name,
            _("expected a Polygon or MultiPolygon, found %(type)s") % {"type": kind or "?"},
        )
    return document


def checked_polygon(raw: dict[str, Any]) -> tuple[BaseGeometry | None, str]:
    """A GeoJSON Polygon or MultiPolygon as a shapely geometry when it is a valid, non-empty
    shape in longitude and latitude within Peru; otherwise None and the reason."""
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        return None, _("invalid geometry: %s") % exc
    if geometry.is_empty:
        return None, _("the polygon is empty")
    if not geometry.is_valid:
        return None, _("the polygon is not valid: %(reason)s") % {
            "reason": explain_validity(geometry)
        }
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (
        LON_RANGE[0] <= min_lon <= max_lon <= LON_RANGE[1]
        and LAT_RANGE[0] <= min_lat <= max_lat <= LAT_RANGE[1]
    ):
        return None, _(
            "the polygon is not in Peru (longitude %(lon0).4f to %(lon1).4f, latitude "
            "%(lat0).4f to %(lat1).4f): coordinates must be longitude, latitude in degrees"
        ) % {"lon0": min_lon, "lon1": max_lon, "lat0": min_lat, "lat1": max_lat}
    return geometry, ""


def parse_barrio_boundary(data: bytes, file_name: str) -> BarrioBoundary:
    """The barrio's polygon from the file, or ``ImportRejected`` naming the file and
    the reason."""
    if len(data) > MAX_BOUNDARY_BYTES:
        raise _reject(
            file_name,
            _("the file is larger than %(n)d MB: a barrio's outline is much smaller")
            % {"n": MAX_BOUNDARY_BYTES // (1024 * 1024)},
        )
    document = load_json(data, file_name)
    geometry, reason = checked_polygon(_geometry_object(document, file_name))
    if geometry is None:
        raise _reject(file_name, reason)
    return BarrioBoundary(geometry)
