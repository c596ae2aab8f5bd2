"""Parsers for the files users bring: INEI's municipal directory CSV and GeoJSON
boundaries.

They only read and validate; they never write. Every problem in the file is collected
(file, row, column, reason) and raised together as ``ImportRejected``, so a bad file
changes nothing and the user can fix it in one pass.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from sinasec.core.errors import ImportProblem
from sinasec.core.geojson import (
    Place,
    VertexBudget,
    load_geojson,
    place_problem,
    polygon_geometry,
)
from sinasec.core.imports import (
    ProblemList,
    limits,
    rejected,
)
from sinasec.territories.models import Level


def _int_or_none(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        return None


def _float_or_none(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --- GeoJSON boundaries --------------------------------------------------------------

CODE_PROPERTIES = {
    "department": ("FIRST_IDDP", "IDDPTO", "IDDEP", "CCDD", "UBIGEO", "ubigeo"),
    "province": ("FIRST_IDPR", "IDPROV", "CCPP", "UBIGEO", "ubigeo"),
    "district": ("IDDIST", "UBIGEO", "ubigeo", "CCDI"),
}
CODE_LENGTH = {"department": 2, "province": 4, "district": 6}
NO_LAW = {"", "-", "--", "---", "NONE"}


@dataclass
class BoundaryRow:
    ubigeo: str
    rows: list[int]
    geometry: BaseGeometry | None
    creation_law: str = ""
    creation_date: date | None = None
    creation_date_text: str = ""
    notes: list[str] = field(default_factory=list)

    def geometry_json(self) -> str:
        assert self.geometry is not None
        return json.dumps(mapping(self.geometry), separators=(",", ":"))


@dataclass
class BoundaryParse:
    rows: list[BoundaryRow]
    warnings: list[ImportProblem]
    skipped: list[ImportProblem]


def parse_boundaries(
    data: bytes,
    file_name: str,
    level: str,
    known: set[str],
    skip_unknown: bool = False,
    places: Mapping[str, Place] | None = None,
) -> BoundaryParse:
    """Polygons per ubigeo from a GeoJSON FeatureCollection.

    A territory drawn as several features (an island, a detached part) is merged into
    one multipolygon. Features without geometry keep their creation law and date and
    are reported as warnings. Codes that are not in the INEI list are errors, unless
    ``skip_unknown`` (for old files drawn before a district was renumbered): then they
    are listed as skipped, never silently dropped. ``places`` (ubigeo -> where it lies:
    inside a box, around its capital) refuses a polygon drawn elsewhere; every polygon is
    checked by :func:`~sinasec.core.geojson.polygon_geometry` (in Peru, closed rings,
    finite coordinates, the vertex limits).
    """
    document = load_geojson(data, file_name)
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise rejected(file_name, _("not a GeoJSON FeatureCollection with features"))
    most = limits().features
    if len(features) > most:
        raise rejected(
            file_name,
            _("the file has %(found)d features, more than the %(n)d of one import; split it")
            % {"found": len(features), "n": most},
        )
    if not all(isinstance(f, dict) for f in features):
        raise rejected(file_name, _("not a GeoJSON FeatureCollection with features"))
    problems = ProblemList()
    budget = VertexBudget()
    places = places or {}
    parts: dict[str, list[BaseGeometry]] = {}
    code_property = _code_property(features, level)
    if code_property is None:
        names = ", ".join(CODE_PROPERTIES[level])
        raise rejected(
            file_name, _("no ubigeo property found (looked for %(names)s)") % {"names": names}, 1
        )
    merged: dict[str, BoundaryRow] = {}
    warnings: list[ImportProblem] = []
    skipped: list[ImportProblem] = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties")
        props = props if isinstance(props, dict) else {}
        code = str(props.get(code_property) or "").strip()[:20]
        if not (code.isdigit() and len(code) == CODE_LENGTH[level]):
            problems.add(
                number,
                code_property,
                _("“%(value)s” is not a %(n)d-digit ubigeo")
                % {"value": code, "n": CODE_LENGTH[level]},
                file_name,
            )
            continue
        if code not in known:
            reason = _("unknown ubigeo %(ubigeo)s: not a %(level)s of the INEI code list") % {
                "ubigeo": code,
                "level": str(Level(level).label).lower(),
            }
            if skip_unknown:
                skipped.append(ImportProblem(file_name, number, code_property, reason))
            else:
                problems.add(number, code_property, reason, file_name)
            continue
        place = places.get(code)
        inside = Place(box=place.box) if place else None  # a part need not hold the capital
        geometry = _geometry(
            feature.get("geometry"), number, file_name, problems, warnings, budget, inside
        )
        if geometry is not None:
            parts.setdefault(code, []).append(geometry)
        row = merged.get(code)
        if row is None:
            row = BoundaryRow(ubigeo=code, rows=[number], geometry=None)
            if level == "district":
                _creation(row, props)
            merged[code] = row
        else:
            row.rows.append(number)
    for code, geometries in parts.items():
        # One union of a territory's parts at the end, not one per part (quadratic).
        row = merged[code]
        row.geometry = geometries[0] if len(geometries) == 1 else shapely.union_all(geometries)
        place = places.get(code)
        away = place_problem(row.geometry.bounds, Place(point=place.point)) if place else ""
        if away:
            problems.add(row.rows[0], "geometry", away, file_name)
    problems.raise_if_any()
    for row in merged.values():
        if row.geometry is None:
            warnings.append(
                ImportProblem(
                    file_name, row.rows[0], "geometry", _("%s has no geometry") % row.ubigeo
                )
            )
    return BoundaryParse(list(merged.values()), warnings, skipped)


def _code_property(features: Iterable[dict], level: str) -> str | None:
    first = next(iter(features), {})
    props = first.get("properties")
    props = props if isinstance(props, dict) else {}
    for name in CODE_PROPERTIES[level]:
        if name in props:
            return name
    return None


def _geometry(
    raw: object,
    number: int,
    file_name: str,
    problems: ProblemList,
    warnings: list[ImportProblem],
    budget: VertexBudget,
    place: Place | None,
) -> BaseGeometry | None:
    if not isinstance(raw, dict) or not raw.get("coordinates"):
        return None
    geometry, reason = polygon_geometry(raw, budget, place)
    if geometry is None or reason:
        problems.add(number, "geometry", reason, file_name)
        return None
    if not geometry.is_valid:
        # Simplified boundaries often self-touch; repair, and say so.
        geometry = shapely.make_valid(geometry)
        warnings.append(
            ImportProblem(file_name, number, "geometry", _("self-intersecting polygon repaired"))
        )
    return geometry


def _creation(row: BoundaryRow, props: dict) -> None:
    kind = str(props.get("DCTO") or "").strip()[:40]
    number = str(props.get("LEY") or "").strip()[:40]
    if kind.upper() not in NO_LAW:
        law = f"{kind} {number}".strip() if number not in NO_LAW else kind
        row.creation_law = law[:60]  # Territory.creation_law
    raw_date = str(props.get("FECHA") or "").strip()
    if not raw_date:
        return
    try:
        row.creation_date = datetime.strptime(raw_date, "%d/%m/%Y").date()
    except ValueError:
        row.creation_date_text = raw_date[:40]
