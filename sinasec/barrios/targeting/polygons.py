"""Custom polygons for a targeting run, read from a GeoJSON file the analyst uploads.

Every feature must be a valid Polygon or MultiPolygon in longitude and latitude; its
code comes from the property ``codigo``, ``code`` or ``id`` (or the feature's ``id``),
its name from ``nombre`` or ``name`` (the code when absent) and its population from
``poblacion`` or ``population`` (unknown when absent: its rate is unknown, not 0). A
file with any bad feature is rejected as a whole, each problem named by feature number
(the "row") and property (the "column").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sinasec.barrios.registry.boundary import POLYGON_TYPES, checked_polygon
from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.imports import load_json

CODE_KEYS = ("codigo", "code", "id")
NAME_KEYS = ("nombre", "name")
POPULATION_KEYS = ("poblacion", "population")
MAX_POLYGONS = 5_000


def _first(properties: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in keys:
        if lowered.get(key) not in (None, ""):
            return lowered[key]
    return None


def read_polygons(name: str, data: bytes) -> list[dict[str, Any]]:
    """The features of the file as ``{"code", "name", "population", "geometry"}``."""
    document = load_json(data, name)
    features = _features(document)
    if features is None:
        reason = _("expected a FeatureCollection of polygons")
        raise ImportRejected([ImportProblem(name, None, None, reason)])
    if not 1 <= len(features) <= MAX_POLYGONS:
        reason = _("the file must hold between 1 and %(n)d polygons") % {"n": MAX_POLYGONS}
        raise ImportRejected([ImportProblem(name, None, None, reason)])
    problems: list[ImportProblem] = []
    polygons = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        polygon = _polygon(name, number, feature, problems)
        if polygon is None:
            continue
        if polygon["code"] in seen:
            reason = _("the code %(code)s is repeated") % {"code": polygon["code"]}
            problems.append(ImportProblem(name, number, "codigo", reason))
        seen.add(polygon["code"])
        polygons.append(polygon)
    if problems:
        raise ImportRejected(problems)
    return polygons


def _features(document: Any) -> list[Any] | None:
    if not isinstance(document, dict):
        return None
    if document.get("type") == "FeatureCollection" and isinstance(document.get("features"), list):
        return list(document["features"])
    if document.get("type") == "Feature":
        return [document]
    return None


def _polygon(
    name: str, number: int, feature: Any, problems: list[ImportProblem]
) -> dict[str, Any] | None:
    properties = (feature or {}).get("properties") or {}
    geometry = (feature or {}).get("geometry")
    code = _first(properties, CODE_KEYS) or (feature or {}).get("id")
    if code is None:
        code = str(number)
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        problems.append(ImportProblem(name, number, "geometry", _("not a Polygon or MultiPolygon")))
        return None
    polygon, reason = checked_polygon(geometry)
    if polygon is None:
        problems.append(ImportProblem(name, number, "geometry", reason))
        return None
    population = _first(properties, POPULATION_KEYS)
    if population is not None:
        try:
            population = int(population)
            if population < 0:
                raise ValueError
        except (TypeError, ValueError):
            reason = _("“%(value)s” is not a population") % {"value": population}
            problems.append(ImportProblem(name, number, "poblacion", reason))
            return None
    return {
        "code": str(code),
        "name": str(_first(properties, NAME_KEYS) or code),
        "population": population,
        "geometry": geometry,
    }
