"""Geocoding quality of an incident's point: where it came from, and whether a map may
use it.

Classes: ``exact`` and ``approximate`` (usable), ``forced_station`` (placed on a police
station), ``forced_centroid`` (placed on another centroid), ``forced`` (inferred: a stack
of incidents on identical coordinates), ``none`` (no coordinates) and ``unknown`` (the
source said nothing and no stack was found: usable).

The source's own field (``calidad_geo``, ``geocodificacion``...) is mapped to a class by
a table that is data, not code: ``geocoding_values.csv`` beside this module, or the
file named by the setting ``GEOCODING_VALUES_FILE`` (a value the table does not know is
stored as unknown, then inferred like a point without the field).

Inference happens when reading, so old stores (without the column) and new ones are
treated alike: within each ``GEOCODING_STACK_PERIOD`` (``month`` or ``year``), a point
shared by at least ``GEOCODING_STACK_MIN`` incidents is a probable forced placement.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from sinasec.core.exports import csv_bytes
from sinasec.incidents.sql import sql_literal

if TYPE_CHECKING:
    import pyarrow as pa

    from sinasec.incidents.store import IncidentStore

EXACT = "exact"
APPROXIMATE = "approximate"
FORCED_STATION = "forced_station"
FORCED_CENTROID = "forced_centroid"
FORCED = "forced"  # inferred from a stack
NONE = "none"
UNKNOWN = "unknown"
QUALITIES = (EXACT, APPROXIMATE, FORCED_STATION, FORCED_CENTROID, FORCED, NONE, UNKNOWN)
STORED = (EXACT, APPROXIMATE, FORCED_STATION, FORCED_CENTROID, NONE)  # a source may say
USABLE = (EXACT, APPROXIMATE, UNKNOWN)
DEFAULT_VALUES_FILE = Path(__file__).with_name("geocoding_values.csv")
PERIODS = ("month", "year")


@dataclass(frozen=True)
class StackRule:
    """A point shared by ``min_incidents`` or more within one ``period`` is forced."""

    min_incidents: int = 10
    period: str = "month"
    station_radius_m: float = 150.0  # a stack this near a police station is forced onto it

    @classmethod
    def from_settings(cls) -> StackRule:
        """The settings' rule (the defaults where Django is not set up: benchmarks)."""
        from django.conf import settings

        if not settings.configured:
            return cls()
        period = getattr(settings, "GEOCODING_STACK_PERIOD", "month")
        return cls(
            min_incidents=getattr(settings, "GEOCODING_STACK_MIN", 10),
            period=period if period in PERIODS else "month",
            station_radius_m=getattr(settings, "GEOCODING_STATION_RADIUS_M", 150),
        )


def values_file() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "GEOCODING_VALUES_FILE", None) or DEFAULT_VALUES_FILE)


@cache
def _load(path: Path, mtime: float) -> dict[str, str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        mapping = {}
        for row in csv.DictReader(handle):
            quality = (row.get("quality") or "").strip()
            value = normalise(row.get("value") or "")
            if value and quality in STORED:
                mapping[value] = quality
    return mapping


def value_map(path: Path | None = None) -> dict[str, str]:
    """The source values (normalised) and their class; re-read when the file changes."""
    path = path or values_file()
    return _load(path, path.stat().st_mtime)


def normalise(value: str) -> str:
    return " ".join(value.upper().split())


def stored_quality_sql(raw_sql: str, lat_sql: str, mapping: dict[str, str]) -> str:
    """SQL for the class stored at import: ``none`` without coordinates, the mapped
    source value, else NULL (inferred when read)."""
    if mapping:
        pairs = ", ".join(f"{sql_literal(k)}: {sql_literal(v)}" for k, v in mapping.items())
        mapped = f"MAP {{{pairs}}}[upper(regexp_replace(trim({raw_sql}), '\\s+', ' ', 'g'))]"
    else:
        mapped = "NULL::VARCHAR"
    return f"CASE WHEN {lat_sql} IS NULL THEN 'none' ELSE {mapped} END"


def effective_sql(rule: StackRule, stations: Sequence[tuple[float, float]] = ()) -> str:
    """SQL (over the view ``incidents``) of every incident's class after inference, as
    the column ``quality``; the stack is counted over every crime type of the period.
    A stack within ``rule.station_radius_m`` of one of the ``stations`` (latitude,
    longitude) is ``forced_station``, another stack ``forced``."""
    period = "year, month" if rule.period == "month" else "year"
    forced = f"'{FORCED}'"
    if stations:
        values = ", ".join(f"({float(a)!r}, {float(b)!r})" for a, b in stations)
        # Equirectangular distance: exact enough at a few hundred metres.
        near = (
            f"EXISTS (SELECT 1 FROM (VALUES {values}) AS s(slat, slon) WHERE 111320 * sqrt("
            "(lat - slat) ^ 2 + (cos(radians(lat)) * (lon - slon)) ^ 2) "
            f"<= {float(rule.station_radius_m)!r})"
        )
        forced = f"CASE WHEN {near} THEN '{FORCED_STATION}' ELSE '{FORCED}' END"
    return (
        "SELECT * EXCLUDE (stack), CASE WHEN lat IS NULL OR lon IS NULL THEN 'none' "
        "WHEN geo_quality IS NOT NULL THEN geo_quality "
        f"WHEN stack >= {int(rule.min_incidents)} THEN {forced} "
        f"ELSE '{UNKNOWN}' END AS quality FROM (SELECT *, "
        f"count(*) OVER (PARTITION BY {period}, lat, lon) AS stack FROM incidents)"
    )


def usable_where(rule: StackRule) -> str:
    """A condition on the view ``incidents`` itself (no window, so it fits any query's
    WHERE): the incident has a point that is neither said to be forced or missing nor on
    a stack of ``rule.min_incidents`` within its period."""
    period = "year, month" if rule.period == "month" else "year"
    key = f"concat_ws('|', {period}, lat, lon)"
    return (
        "(lat IS NOT NULL AND lon IS NOT NULL "
        f"AND coalesce(geo_quality, '{UNKNOWN}') IN ({', '.join(sql_literal(q) for q in USABLE)}) "
        f"AND {key} NOT IN (SELECT {key} FROM incidents WHERE lat IS NOT NULL "
        f"GROUP BY ALL HAVING count(*) >= {int(rule.min_incidents)}))"
    )


def usable_sql(column: str = "quality") -> str:
    return f"{column} IN ({', '.join(sql_literal(q) for q in USABLE)})"


class LeftOut(TypedDict):
    """What a map or a model left out because its points are forced or missing."""

    total: int
    by_quality: dict[str, int]
    by_district: dict[str, int]  # ubigeo ("" unknown) -> incidents
    included: bool  # True when asked to include them: then nothing was left out


def left_out(rows: list[dict[str, Any]], included: bool) -> LeftOut:
    """``rows`` of (quality, ubigeo, n) for the unusable incidents, summed."""
    by_quality: dict[str, int] = {}
    by_district: dict[str, int] = {}
    for row in rows:
        n = int(row["n"])
        by_quality[row["quality"]] = by_quality.get(row["quality"], 0) + n
        key = row["ubigeo"] or ""
        by_district[key] = by_district.get(key, 0) + n
    return {
        "total": sum(by_quality.values()),
        "by_quality": by_quality,
        "by_district": dict(sorted(by_district.items(), key=lambda kv: -kv[1])),
        "included": included,
    }


def usable_points(
    store: IncidentStore,
    where: list[str],
    params: list[Any],
    *,
    include_forced: bool = False,
    rule: StackRule | None = None,
    columns: str = "lat, lon",
    stations: Sequence[tuple[float, float]] = (),
) -> tuple[pa.Table, LeftOut]:
    """The ``columns`` of the incidents matching ``where`` that have a usable point
    (all with coordinates when ``include_forced``), and what was left out and where."""
    rule = rule or StackRule.from_settings()
    condition = " AND ".join(where) or "true"
    with_quality = f"WITH q AS ({effective_sql(rule, stations)}) "
    keep = "lat IS NOT NULL AND lon IS NOT NULL" if include_forced else usable_sql()
    points = store.query_arrow(
        f"{with_quality}SELECT {columns} FROM q WHERE {condition} AND {keep}", params
    )
    dropped = store.query(
        f"{with_quality}SELECT quality, ubigeo, count(*) AS n FROM q "
        f"WHERE {condition} AND NOT ({keep}) GROUP BY ALL",
        params,
    )
    return points, left_out(dropped, include_forced)


class CoordinateShare(TypedDict):
    """Per district and month: how many incidents have a usable point."""

    ubigeo: str  # "" unknown district
    year: int
    month: int
    incidents: int
    usable: int
    forced: int  # forced onto a police station or a centroid, said or inferred
    no_point: int
    usable_pct: float


def coordinate_shares(
    store: IncidentStore,
    year: int,
    prefix: str = "",
    rule: StackRule | None = None,
    stations: Sequence[tuple[float, float]] = (),
) -> list[CoordinateShare]:
    """The share of incidents with usable coordinates, per district and month of
    ``year`` (optionally under a ubigeo ``prefix``)."""
    rule = rule or StackRule.from_settings()
    rows = store.query(
        f"WITH q AS ({effective_sql(rule, stations)}) "
        "SELECT coalesce(ubigeo, '') AS ubigeo, year, month, count(*) AS incidents, "
        f"count(*) FILTER ({usable_sql()}) AS usable, "
        "count(*) FILTER (quality LIKE 'forced%') AS forced, "
        "count(*) FILTER (quality = 'none') AS no_point "
        "FROM q WHERE year = ? AND starts_with(coalesce(ubigeo, ''), ?) "
        "GROUP BY ALL ORDER BY ubigeo, month",
        [year, prefix],
    )
    return [
        {
            "ubigeo": r["ubigeo"],
            "year": int(r["year"]),
            "month": int(r["month"]),
            "incidents": int(r["incidents"]),
            "usable": int(r["usable"]),
            "forced": int(r["forced"]),
            "no_point": int(r["no_point"]),
            "usable_pct": round(100 * int(r["usable"]) / int(r["incidents"]), 1),
        }
        for r in rows
    ]


def write_value_map(mapping: dict[str, str], path: Path | None = None) -> None:
    """Write the source values' table (sorted), replacing the file in one rename."""
    path = path or values_file()
    pending = path.with_name(f".{path.name}.tmp")
    rows = [["value", "quality"], *([v, q] for v, q in sorted(mapping.items()))]
    pending.write_bytes(csv_bytes(rows, bom=False))
    pending.replace(path)
