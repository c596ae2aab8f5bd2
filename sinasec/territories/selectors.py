"""Reads of territories. Population above the district is summed from district records,
unless the department or province has its own estimate for that year (imported as such:
INEI's historical projections are by department), which then wins."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypedDict, TypeVar

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Substr

from sinasec.core.geojson import Box, Place
from sinasec.territories.models import (
    Boundary,
    Level,
    PoliceStation,
    Population,
    Region,
    Territory,
)
from sinasec.territories.reference import LIMA_DEPARTMENT, LIMA_METROPOLITANA

Place_ = TypeVar("Place_", Territory, Region)


def latest_population_year() -> int | None:
    return Population.objects.aggregate(year=Max("year"))["year"]


def region_q(code: str, field: str = "territory__ubigeo") -> Q:
    """Districts of a region, by ubigeo prefix (no join needed)."""
    if code == LIMA_DEPARTMENT:
        return Q(**{f"{field}__startswith": LIMA_DEPARTMENT}) & ~Q(
            **{f"{field}__startswith": LIMA_METROPOLITANA}
        )
    return Q(**{f"{field}__startswith": code})


def _districts(year: int) -> QuerySet[Population]:
    return Population.objects.filter(year=year, territory__level=Level.DISTRICT)


def population_total(year: int, prefix: str = "", region: str | None = None) -> int | None:
    """Population under a ubigeo prefix (or of a region) for a year: the territory's own
    estimate when it has one, else the sum of its districts' (the departments' sum when
    no district of the year is loaded, for the national total).

    None when nothing there has a figure for that year: unknown, not zero.
    """
    if region is not None:
        return _districts(year).filter(region_q(region)).aggregate(total=Sum("value"))["total"]
    if prefix:
        own = Population.objects.filter(year=year, territory_id=prefix).first()
        if own is not None:
            return own.value
        rows = _districts(year).filter(territory__ubigeo__startswith=prefix)
        return rows.aggregate(total=Sum("value"))["total"]
    total = _districts(year).aggregate(total=Sum("value"))["total"]
    if total is None:
        departments = Population.objects.filter(year=year, territory__level=Level.DEPARTMENT)
        total = departments.aggregate(total=Sum("value"))["total"]
    return total


def population_by_prefix(year: int | None, length: int) -> dict[str, int]:
    """{ubigeo prefix of ``length`` digits: population}: sums of districts in one
    grouped query, replaced by the territories' own estimates where there are some."""
    if year is None:
        return {}
    rows = (
        _districts(year)
        .annotate(prefix=Substr("territory_id", 1, length))
        .values("prefix")
        .annotate(total=Sum("value"))
        .order_by()
    )
    totals = {r["prefix"]: r["total"] for r in rows}
    level = {2: Level.DEPARTMENT, 4: Level.PROVINCE}.get(length)
    if level is not None:
        own = Population.objects.filter(year=year, territory__level=level)
        totals.update(own.values_list("territory_id", "value"))
    return totals


def population_by_region(year: int | None) -> dict[str, int]:
    by_department = population_by_prefix(year, 2)
    lima_metro = population_by_prefix(year, 4).get(LIMA_METROPOLITANA)
    result = {code: total for code, total in by_department.items() if code != LIMA_DEPARTMENT}
    if LIMA_DEPARTMENT in by_department:
        result[LIMA_METROPOLITANA] = lima_metro or 0
        result[LIMA_DEPARTMENT] = by_department[LIMA_DEPARTMENT] - (lima_metro or 0)
    return result


class PopulationSummary(TypedDict):
    year: int | None
    total: int | None
    districts_with_data: int
    years: list[int]


class BoundaryCounts(TypedDict):
    department: int
    province: int
    district: int


class Summary(TypedDict):
    departments: int
    provinces: int
    districts: int
    regions: int
    population: PopulationSummary
    boundaries: BoundaryCounts


class FeatureProperties(TypedDict):
    ubigeo: str
    name: str
    level: str


class Feature(TypedDict):
    type: str
    id: str
    geometry: dict[str, object]
    properties: FeatureProperties


class FeatureCollection(TypedDict):
    type: str
    features: list[Feature]
    missing: int  # territories with neither a polygon nor a capital point


def summary() -> Summary:
    counts = dict(Territory.objects.values_list("level").annotate(n=Count("ubigeo")).order_by())
    year = latest_population_year()
    with_population = _districts(year).count() if year is not None else 0
    boundaries = dict(
        Boundary.objects.values_list("territory__level").annotate(n=Count("territory")).order_by()
    )
    return {
        "departments": counts.get(Level.DEPARTMENT, 0),
        "provinces": counts.get(Level.PROVINCE, 0),
        "districts": counts.get(Level.DISTRICT, 0),
        "regions": Region.objects.count(),
        "population": {
            "year": year,
            "total": population_total(year) if year is not None else None,
            "districts_with_data": with_population,
            "years": list(
                Population.objects.values_list("year", flat=True).distinct().order_by("year")
            ),
        },
        "boundaries": {
            "department": boundaries.get(Level.DEPARTMENT, 0),
            "province": boundaries.get(Level.PROVINCE, 0),
            "district": boundaries.get(Level.DISTRICT, 0),
        },
    }


@dataclass(frozen=True)
class Row:
    """A territory (or region) in a list, with its population for the year shown."""

    code: str
    name: str
    level: str
    population: int | None
    url_code: str


def regions_with_population(year: int | None) -> list[Row]:
    totals = population_by_region(year)
    return [Row(r.code, r.name, "region", totals.get(r.code), r.code) for r in Region.objects.all()]


def by_name(places: QuerySet[Place_]) -> QuerySet[Place_]:
    """Territories or regions in Spanish alphabetical order, the same on SQLite and
    PostgreSQL: by the folded name (Áncash with the A's), then the name as written.
    Every list or select of places sorted by name goes through here."""
    return places.order_by("search_name", "name")


def children(territory: Territory) -> QuerySet[Territory]:
    return by_name(Territory.objects.filter(parent=territory))


def region_children(region: Region) -> QuerySet[Territory]:
    """The provinces of a regional government."""
    return by_name(Territory.objects.filter(level=Level.PROVINCE, region=region))


def rows_with_population(territories: QuerySet[Territory], year: int | None) -> list[Row]:
    items = list(territories)
    if not items:
        return []
    totals = population_by_prefix(year, len(items[0].ubigeo))
    return [Row(t.ubigeo, t.name, t.level, totals.get(t.ubigeo), t.ubigeo) for t in items]


def feature_collection(territories: list[Territory]) -> FeatureCollection:
    """GeoJSON for a map: each territory's polygon when imported, otherwise the point of
    its capital; territories with neither are left out (and counted)."""
    polygons = dict(
        Boundary.objects.filter(territory__in=territories).values_list("territory_id", "geometry")
    )
    features: list[Feature] = []
    missing = 0
    for t in territories:
        geometry: dict[str, object]
        if t.ubigeo in polygons:
            geometry = json.loads(polygons[t.ubigeo])
        elif t.has_capital_point:
            geometry = {"type": "Point", "coordinates": [t.longitude, t.latitude]}
        else:
            missing += 1
            continue
        features.append(
            {
                "type": "Feature",
                "id": t.ubigeo,
                "geometry": geometry,
                "properties": {"ubigeo": t.ubigeo, "name": t.name, "level": t.level},
            }
        )
    return {"type": "FeatureCollection", "features": features, "missing": missing}


def boundary_box(ubigeo: str | None) -> Box | None:
    """The box of a territory's stored boundary, or None."""
    if not ubigeo:
        return None
    row = (
        Boundary.objects.filter(territory_id=ubigeo)
        .values_list("min_lon", "min_lat", "max_lon", "max_lat")
        .first()
    )
    return tuple(row) if row else None  # type: ignore[return-value]


def expected_places(level: str) -> dict[str, Place]:
    """Where each territory of ``level`` lies, as far as the database knows: around its
    capital's coordinates (the boundary importer's sanity check). Not inside its
    parent's stored boundary: the published simplified files of the three levels part
    by more than the tolerance in places, and old files group some districts under
    their former province."""
    return {
        ubigeo: Place(point=(lon, lat))
        for ubigeo, lat, lon in Territory.objects.filter(
            level=level, latitude__isnull=False, longitude__isnull=False
        ).values_list("ubigeo", "latitude", "longitude")
        if lat is not None and lon is not None
    }


def police_station_points(prefix: str = "") -> list[tuple[float, float]]:
    """(latitude, longitude) of the police stations under a ubigeo prefix."""
    rows = PoliceStation.objects.filter(territory__ubigeo__startswith=prefix).order_by()
    return [(lat, lon) for lat, lon in rows.values_list("latitude", "longitude")]


def police_stations_geojson(prefix: str = "") -> dict[str, object]:
    """The police stations under a ubigeo prefix as GeoJSON points (name, code)."""
    rows = PoliceStation.objects.filter(territory__ubigeo__startswith=prefix).order_by("code")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": s.code,
                "geometry": {"type": "Point", "coordinates": [s.longitude, s.latitude]},
                "properties": {"code": s.code, "name": s.name, "ubigeo": s.territory_id},
            }
            for s in rows
        ],
    }
