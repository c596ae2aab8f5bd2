"""Custom polygons for a targeting run, read from a GeoJSON file the analyst uploads.

Every feature must be a valid Polygon or MultiPolygon in longitude and latitude; its
code comes from the property ``codigo``, ``code`` or ``id`` (or the feature's ``id``),
its name from ``nombre`` or ``name`` (the code when absent) and its population from
``poblacion`` or ``population`` (unknown when absent: its rate is unknown, not 0). A
file with any bad feature is rejected as a whole, each problem named by feature number
(the "row") and property (the "column").
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext as _

from sinasec.analytics.targeting.types import PolygonFeature
from sinasec.barrios.models import Barrio
from sinasec.barrios.registry.boundary import checked_polygon
from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.geojson import POLYGON_TYPES, VertexBudget, load_geojson
from sinasec.core.imports import limits

CODE_KEYS = ("codigo", "code", "id")
NAME_KEYS = ("nombre", "name")
POPULATION_KEYS = ("poblacion", "population")
MAX_POPULATION = 100_000_000  # more than Peru's people: not a polygon's population
TEXT_LENGTH = 200  # a code or a name longer than this is not one


def _first(properties: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in keys:
        if lowered.get(key) not in (None, ""):
            return lowered[key]
    return None


def read_polygons(name: str, data: bytes) -> list[dict[str, Any]]:
    """The features of the file as ``{"code", "name", "population", "geometry"}``."""
    document = load_geojson(data, name)
    features = _features(document)
    if features is None:
        reason = _("expected a FeatureCollection of polygons")
        raise ImportRejected([ImportProblem(name, None, None, reason)])
    most = limits().features
    if not 1 <= len(features) <= most:
        reason = _("the file must hold between 1 and %(n)d polygons") % {"n": most}
        raise ImportRejected([ImportProblem(name, None, None, reason)])
    problems: list[ImportProblem] = []
    polygons = []
    seen: set[str] = set()
    budget = VertexBudget()
    for number, feature in enumerate(features, start=1):
        polygon = _polygon(name, number, feature, problems, budget)
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
    name: str, number: int, feature: Any, problems: list[ImportProblem], budget: VertexBudget
) -> dict[str, Any] | None:
    if not isinstance(feature, dict):
        problems.append(ImportProblem(name, number, None, _("not a GeoJSON Feature")))
        return None
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    geometry = feature.get("geometry")
    code = _first(properties, CODE_KEYS) or feature.get("id")
    if code is None:
        code = str(number)
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        problems.append(ImportProblem(name, number, "geometry", _("not a Polygon or MultiPolygon")))
        return None
    polygon, reason = checked_polygon(geometry, budget)
    if polygon is None:
        problems.append(ImportProblem(name, number, "geometry", reason))
        return None
    text = {"codigo": _text(code), "nombre": _text(_first(properties, NAME_KEYS) or code)}
    for key, value in text.items():
        if value is None:
            reason = _("not a text of at most %(n)d characters") % {"n": TEXT_LENGTH}
            problems.append(ImportProblem(name, number, key, reason))
            return None
    raw_population = _first(properties, POPULATION_KEYS)
    population = None if raw_population is None else _population(raw_population)
    if raw_population is not None and population is None:
        reason = _("“%(value)s” is not a population") % {"value": str(raw_population)[:40]}
        problems.append(ImportProblem(name, number, "poblacion", reason))
        return None
    return {
        "code": text["codigo"],
        "name": text["nombre"],
        "population": population,
        "geometry": geometry,
    }


def _text(value: Any) -> str | None:
    """A code or a name as text: a string or a number, not too long; else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text if 0 < len(text) <= TEXT_LENGTH else None


def _population(value: Any) -> int | None:
    """A whole, finite, plausible number of people (``"1200"``, ``1200``, ``1200.0``)."""
    if isinstance(value, str):
        text = value.strip()
        number: object = int(text) if text.isdigit() and len(text) <= 12 else None
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    else:
        number = value
    if isinstance(number, bool) or not isinstance(number, int):
        return None
    return number if 0 <= number <= MAX_POPULATION else None


def barrio_features() -> list[PolygonFeature]:
    """Every barrio with a boundary, as custom polygons (code ``B<id>``)."""
    features: list[PolygonFeature] = []
    for barrio in Barrio.objects.exclude(boundary="").select_related("district"):
        name = barrio.name or "?"
        if barrio.district is not None:
            name = f"{name} ({barrio.district.name})"
        features.append(
            {
                "code": f"B{barrio.pk}",
                "name": name,
                "population": barrio.population,
                "geometry": json.loads(barrio.boundary),
            }
        )
    return features
