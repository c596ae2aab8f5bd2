"""A seeded generator of realistic synthetic incidents, for tests, the demo and benchmarks.

Nothing here is real data: every record is drawn from random numbers with a fixed seed.
What makes it realistic enough to measure with:

- *where*: districts are drawn in proportion to their population (INEI 2025); each
  incident falls around the district capital (a normal spread that grows with the
  population, from ~0.5 km in a village to 3 km in a large city, and is kept within
  the district's size where its area is known) or around one of three hot spots of the
  district (a market, a terminal…);
- *when*: a linear trend over the period (by default +30 % from start to end), with an
  evening peak in the hour of the day;
- *near repeats*: a fraction of incidents (15 %) are follow-ups of an earlier one, within
  ~200 m and 1-14 days, usually of the same kind, as burglary and robbery are observed
  to repeat;
- *what*: a fixed list of categories with fixed weights.

``generate`` is vectorised with numpy: 10 million rows take seconds, not minutes.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from sinasec.core.peru import LAT_RANGE, LON_RANGE

CATEGORIES = (
    "robo",
    "hurto",
    "estafa",
    "extorsion",
    "lesiones",
    "homicidio",
    "trafico_drogas",
    "violencia_familiar",
)
CATEGORY_WEIGHTS = (0.30, 0.25, 0.12, 0.05, 0.10, 0.01, 0.05, 0.12)

# Share of incidents per hour of the day (0-23): low at dawn, peak in the evening.
HOUR_WEIGHTS = np.array(
    [3, 2, 2, 1.5, 1.5, 2, 3, 4, 5, 5, 5, 5, 6, 5, 5, 5, 6, 6, 7, 8, 8, 7, 6, 4], dtype=float
)
HOT_SPOTS_PER_DISTRICT = 3
HOT_SPOT_SHARE = 0.5  # of the incidents that are not near repeats
NEAR_REPEAT_RADIUS_M = 200.0
NEAR_REPEAT_MAX_DAYS = 14
NEAR_REPEAT_SAME_KIND = 0.8
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Districts:
    """District capitals with their population: where the incidents are drawn around."""

    ubigeo: np.ndarray  # str
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray
    area_km2: np.ndarray | None = None  # NaN where unknown

    def spread_km(self) -> np.ndarray:
        """Standard deviation of the distance to the capital, per district."""
        sigma = np.clip(0.4 + 0.6 * np.sqrt(self.population / 10_000), 0.4, 3.0)
        if self.area_km2 is not None:
            by_area = np.clip(0.2 * np.sqrt(self.area_km2), 0.2, None)
            sigma = np.where(np.isnan(by_area), sigma, np.minimum(sigma, by_area))
        return sigma

    def __len__(self) -> int:
        return len(self.ubigeo)


def load_districts(path: Path, areas_km2: Mapping[str, float | None] | None = None) -> Districts:
    """Capitals and population from the INEI municipal directory CSV (``;``-separated,
    UTF-8 with BOM: ubigeo, población, latitud, longitud). Districts without population
    or coordinates are left out. ``areas_km2`` gives the districts' areas by ubigeo
    (unknown: NaN); :func:`sinasec.observatory.synthetic.shipped_districts` passes the
    INEI code list's."""
    codes: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    people: list[float] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            try:
                population = float(row["población"])
                lat, lon = float(row["latitud"]), float(row["longitud"])
            except (KeyError, TypeError, ValueError):
                continue
            if population <= 0 or not (math.isfinite(lat) and math.isfinite(lon)):
                continue
            codes.append(row["ubigeo"].strip())
            lats.append(lat)
            lons.append(lon)
            people.append(population)
    known = areas_km2 or {}
    areas = np.array([known.get(c) or np.nan for c in codes], dtype=float)
    return Districts(np.array(codes), np.array(lats), np.array(lons), np.array(people), areas)


def _trend_fractions(rng: np.random.Generator, size: int, trend: float) -> np.ndarray:
    """Fractions of the period in [0, 1) with density proportional to 1 + trend·t
    (inverse of its CDF), so the last day has (1 + trend) times the first day's rate."""
    u = rng.random(size)
    if abs(trend) < 1e-9:
        return u
    if trend <= -1:
        raise ValueError("trend must be above -1 (the rate cannot fall below zero)")
    return (np.sqrt(1 + 2 * trend * u * (1 + trend / 2)) - 1) / trend


def _draw(
    rng: np.random.Generator, weights: np.ndarray | tuple[float, ...], size: int
) -> np.ndarray:
    """Indices drawn with the given weights (by the inverse of their CDF)."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.minimum(np.searchsorted(cdf / cdf[-1], rng.random(size), side="right"), len(cdf) - 1)


def _offsets_km(rng: np.random.Generator, size: int, sigma_km: np.ndarray) -> np.ndarray:
    return rng.standard_normal((size, 2)) * sigma_km[:, None]


def generate(
    n: int,
    seed: int,
    start: date,
    end: date,
    *,
    districts: Districts,
    with_time: bool = True,
    trend: float = 0.3,
    near_repeat: float = 0.15,
    unknown_ubigeo: float = 0.0,
) -> pa.Table:
    """``n`` incidents between ``start`` and ``end`` (inclusive), as an Arrow table with
    the columns the incident store imports: ``id``, ``datetime`` (or ``date`` when
    ``with_time`` is false), ``lat``, ``lon``, ``crime_type``, ``ubigeo``.

    ``ids`` are "1".."n" in time order. ``unknown_ubigeo`` is the share of rows whose
    ubigeo is left empty (for the point-in-polygon step to fill). The same arguments
    give the same table.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if end < start:
        raise ValueError("end must not be before start")
    if not 0 <= near_repeat < 1:
        raise ValueError("near_repeat must be in [0, 1)")
    rng = np.random.default_rng(seed)
    days = (end - start).days + 1

    n_repeat = round(n * near_repeat) if n > 1 else 0
    n_base = n - n_repeat

    # Base incidents: district in proportion to population, day by the trend.
    # (drawn as counts per district: every other draw is independent of the row order)
    per_district = rng.multinomial(n_base, districts.population / districts.population.sum())
    district = np.repeat(np.arange(len(districts)), per_district)
    day = np.minimum((_trend_fractions(rng, n_base, trend) * days).astype(np.int64), days - 1)
    sigma_km = districts.spread_km()
    hot_spots = (
        rng.standard_normal((len(districts), HOT_SPOTS_PER_DISTRICT, 2)) * sigma_km[:, None, None]
    )
    at_hot_spot = rng.random(n_base) < HOT_SPOT_SHARE
    spot = rng.integers(0, HOT_SPOTS_PER_DISTRICT, size=n_base)
    sigma = sigma_km[district]
    offset_km = _offsets_km(rng, n_base, np.where(at_hot_spot, sigma / 4, sigma))
    offset_km += np.where(at_hot_spot[:, None], hot_spots[district, spot], 0.0)
    lat = districts.lat[district] + offset_km[:, 0] / KM_PER_DEGREE
    lon = districts.lon[district] + offset_km[:, 1] / (
        KM_PER_DEGREE * np.cos(np.radians(districts.lat[district]))
    )
    kind = _draw(rng, CATEGORY_WEIGHTS, n_base)

    # Near repeats: a follow-up of a random earlier incident, close in space and time.
    parent = rng.integers(0, n_base, size=n_repeat) if n_base else np.zeros(0, np.int64)
    lag = np.minimum(1 + rng.exponential(4.0, n_repeat).astype(np.int64), NEAR_REPEAT_MAX_DAYS)
    repeat_day = day[parent] + lag
    late = repeat_day >= days  # past the end: the repeat comes before instead
    repeat_day[late] = np.maximum(day[parent][late] - lag[late], 0)
    radius_km = NEAR_REPEAT_RADIUS_M / 1000 * np.sqrt(rng.random(n_repeat))
    angle = rng.random(n_repeat) * 2 * np.pi
    repeat_lat = lat[parent] + radius_km * np.sin(angle) / KM_PER_DEGREE
    repeat_lon = lon[parent] + radius_km * np.cos(angle) / (
        KM_PER_DEGREE * np.cos(np.radians(lat[parent]))
    )
    same_kind = rng.random(n_repeat) < NEAR_REPEAT_SAME_KIND
    repeat_kind = np.where(same_kind, kind[parent], _draw(rng, CATEGORY_WEIGHTS, n_repeat))

    district = np.concatenate([district, district[parent]])
    day = np.concatenate([day, repeat_day])
    lat = np.round(np.clip(np.concatenate([lat, repeat_lat]), *LAT_RANGE), 6)
    lon = np.round(np.clip(np.concatenate([lon, repeat_lon]), *LON_RANGE), 6)
    kind = np.concatenate([kind, repeat_kind])

    # Time of day with the evening peak; ids follow time, as a register numbers them.
    hour = _draw(rng, HOUR_WEIGHTS, n)
    seconds = day * 86_400 + hour * 3_600 + rng.integers(0, 60, size=n) * 60
    order = np.argsort(seconds)
    # Naive local times (as a register writes them): seconds from 1970-01-01 00:00.
    when = seconds[order] + (start - date(1970, 1, 1)).days * 86_400

    unknown = rng.random(n) < unknown_ubigeo if unknown_ubigeo > 0 else None
    ubigeo = pa.array(districts.ubigeo, pa.string()).take(pa.array(district[order], mask=unknown))
    when_array = pa.array(when, pa.timestamp("s"))
    columns = {
        "id": pa.array(np.arange(1, n + 1, dtype=np.int64)).cast(pa.string()),
        "datetime" if with_time else "date": (
            when_array if with_time else when_array.cast(pa.date32())
        ),
        "lat": pa.array(lat[order]),
        "lon": pa.array(lon[order]),
        "crime_type": pc.take(pa.array(CATEGORIES, pa.string()), pa.array(kind[order])),
        "ubigeo": ubigeo,
    }
    return pa.table(columns)


def write_csv(table: pa.Table, path: Path) -> int:
    """Write ``table`` as a UTF-8 CSV with a header and no quotes (a value that would
    need them is an error: the generator never makes one); returns the size in bytes."""
    pa_csv.write_csv(table, path, pa_csv.WriteOptions(quoting_style="none"))
    return Path(path).stat().st_size
