"""Reading a barrio's boundary from a GeoJSON file.

A barrio is one area: the file holds a Polygon or MultiPolygon geometry, a Feature with
one, or a FeatureCollection with exactly one such feature. It must be valid as drawn
(no repair: a self-intersecting outline is a drawing error the user should see and fix)
and lie in Peru, in longitude/latitude order, and within its district (its stored
boundary's box, with the tolerance of :mod:`sinasec.core.geojson`). Only reads; the
service writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.geojson import (
    POLYGON_TYPES,
    Place,
    VertexBudget,
    load_geojson,
    polygon_geometry,
)

# A neighbourhood outline is a few kilobytes; a much larger file is not one barrio.
MAX_BOUNDARY_BYTES = 2 * 1024 * 1024


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


def checked_polygon(
    raw: dict[str, Any], budget: VertexBudget | None = None, place: Place | None = None
) -> tuple[BaseGeometry | None, str]:
    """A GeoJSON Polygon or MultiPolygon as a shapely geometry when it is a sane
    (:func:`~sinasec.core.geojson.polygon_geometry`), valid, non-empty shape in
    longitude and latitude within Peru (and ``place``); otherwise None and the reason."""
    geometry, reason = polygon_geometry(raw, budget, place)
    if geometry is None or reason:
        return None, reason
    if not geometry.is_valid:
        return None, _("the polygon is not valid: %(reason)s") % {
            "reason": explain_validity(geometry)
        }
    return geometry, ""


def parse_barrio_boundary(
    data: bytes, file_name: str, place: Place | None = None
) -> BarrioBoundary:
    """The barrio's polygon from the file, or ``ImportRejected`` naming the file and
    the reason. ``place``: where the barrio's district lies, when known."""
    if len(data) > MAX_BOUNDARY_BYTES:
        raise _reject(
            file_name,
            _("the file is larger than %(n)d MB: a barrio's outline is much smaller")
            % {"n": MAX_BOUNDARY_BYTES // (1024 * 1024)},
        )
    document = load_geojson(data, file_name)
    geometry, reason = checked_polygon(_geometry_object(document, file_name), place=place)
    if geometry is None:  # the one polygon's problem: its "geometry", as a GIS shows it
        raise ImportRejected([ImportProblem(file_name, None, "geometry", reason)])
    return BarrioBoundary(geometry)
