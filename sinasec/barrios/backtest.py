"""Backtesting the targeting: train on one period, test on a later one.

Pure functions over NumPy arrays (no Django), in the style of
:mod:`sinasec.observatory.hotspots`, plus one reader for the incident files.

The question a backtest answers: had we chosen the cells to patrol with the data of the
training period, how many of the next period's incidents would have happened in them?
Every method ranks the cells of one grid by a score computed from the training
incidents only; the top cells covering a given share of the area (the *coverage*, as a
share of the grid's cells) are "selected" and scored against the test incidents:

- **hit rate**: test incidents in the selected cells / all test incidents;
- **PAI** (predictive accuracy index, Chainey et al. 2008): hit rate / area share. 1 is
  what a random choice of cells gives; above 1, better;
- **PEI** (predictive efficiency index, Hunt 2016): hit rate / the best possible hit rate
  with that many cells (the cells with the most test incidents, known only afterwards).
  1 is perfect; it says how much of what was achievable was achieved.

The grid: incidents of both periods are projected to metres with the local projection
of :func:`sinasec.observatory.grid.project` (centred on their mean point) and binned with
:func:`~sinasec.observatory.hotspots.grid_counts` over their bounding box into square
cells of ``cell_m`` metres; the area is that box. Ties in a ranking are broken by the cell
number (row by row from the north-west corner), so the same data give the same selection.

The methods
-----------
- ``random``: cells drawn uniformly at random. Reported as its exact expectation: the
  area share times the share of test incidents inside the grid (all of them, as the grid
  covers both periods), so PAI is 1. No seed, no sampling noise.
- ``previous``: the counts of the training period (the "last year's hot spots" rule).
- ``kde``: a Gaussian kernel density of the training incidents on the grid: the counts
  convolved (``scipy.signal.fftconvolve``) with a Gaussian of ``kde_bandwidth`` cells
  (default 2), truncated at four standard deviations.
- ``ours``: a validated multi-scale risk surface, below.

``ours``: a validated multi-scale risk surface
----------------------------------------------
Every cell gets the score::

    r = (1 - a) * D_h + a * (G_s * D_h)

where ``D_h`` are the training incidents counted with the weight ``2 ** (-age / h)``
(``age`` in days before the end of the training period: with a half-life of ``h`` days
recent incidents weigh more; ``h = None`` is the plain count), and ``G_s * D_h`` is
``D_h`` smoothed with a Gaussian kernel of ``s`` cells. Optionally (``hot_spots_first``)
the cells that are significant hot spots of ``D_h`` come first: Getis-Ord Gi* with queen
neighbours (:func:`~sinasec.observatory.hotspots.gi_star`), Benjamini-Hochberg at false
discovery rate 5 % (:func:`~sinasec.observatory.hotspots.classify`), ranked among
themselves by ``r``, then the rest by ``r``.

Why these three terms. Crime risk has structure at two scales: persistent places (a
market, a terminal: a few cells) inside broader high-crime areas (a district centre:
kilometres). The cell's own count ``D_h`` is unbiased for the first but noisy; the
smoothed term borrows strength from the neighbours (near repeats: an incident raises the
risk *around* it, within a few hundred metres, which is why a burglary's neighbours are
burgled next) and removes noise but blurs sharp peaks; the blend ``a`` trades the two
off. The decay ``h`` follows recent change (near repeats fade in weeks; a new market
makes a new hot spot). Gi* with Benjamini-Hochberg asks whether a cell's neighbourhood
has more incidents than chance allows, with the false discoveries among the thousands
of simultaneous tests under control: a cell with a high count but no significant
neighbourhood is more likely a one-off burst (a string of near repeats that will not
recur) than a place.

How much of each is data-dependent: the best blend and bandwidth depend on how many
incidents fall in a cell (dense data need little smoothing; sparse data, or small cells,
need more). So the four parameters are not fixed numbers but chosen, for each coverage,
from a fixed grid written below (:data:`BLENDS`, :data:`BANDWIDTHS` plus the KDE's
bandwidth, :data:`HALF_LIVES`, hot spots first or not: 88 candidates with the default KDE
bandwidth), by their hit rate on a **validation split of the training period only**: the
candidates are fitted on the training period minus its last ``L`` days and scored on
those last ``L`` days, ``L`` being the length of the test period (at most half the
training period), so the validation mimics the real forecast, horizon included. A split
in time (not a random half of the incidents) matters with near repeats: a random split
would put a burst's first incident in one half and its follow-ups in the other and
reward no smoothing at all. The chosen parameters are then refitted on the whole
training period. The test period is never looked at. Ties between candidates go to the
simplest (no decay, no hot-spot tier, least smoothing: the order of the grid).

The grid itself is fixed, not tuned: blends in thirds (finer steps change hit rates by
less than the validation's own noise); bandwidths from half a cell to four (125 m to
1 km with 250 m cells: from a block, the reach of a near repeat, to a district centre);
a half-life of one year (last year's incidents weigh twice the year before's; shorter
half-lives throw away most of a two-year window and chase noise) or none.

The baselines are special cases (``a = 0``, ``h = None``: ``previous``; ``a = 1``,
``s`` = the KDE's bandwidth, ``h = None``: ``kde``), so up to the noise of the
validation ``ours`` does at least as well as the best of them; it does better when an
intermediate blend or a different bandwidth predicts better, which on clustered data
(hot spots plus near repeats, :mod:`sinasec.observatory.synthetic`) it does. When the
training period is too short to split (or a part has no incidents) the default
:data:`DEFAULT_PARAMS` is used.

What to expect. On the synthetic generator's incidents (``bench/barrios_backtest.py``:
one million in Lima and Callao, 250 m cells, two years to train, six months to test)
``ours`` is ahead of every baseline at 5 % and 10 % of the area, by a few tenths of a
point: with that many incidents the previous period's counts already reach a PEI of
about 0.98, and what is left is mostly the test period's own chance variation, which no
forecast can predict. At 1 % it is level with ``previous`` (either may win by a few
hundredths of a point). With sparser data (fewer incidents or smaller cells) smoothing
matters more and the margins grow (about +0.5 points at 5 % on 60,000 incidents in six
districts, the tests' data: ahead in 20 seeds of 20).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.signal import fftconvolve

from sinasec.observatory.grid import project
from sinasec.observatory.hotspots import HOT, GridTransform, classify, gi_star, grid_counts
from sinasec.observatory.hotspots import grid_weights as queen_weights

__all__ = [
    "BANDWIDTHS",
    "BLENDS",
    "DEFAULT_PARAMS",
    "HALF_LIVES",
    "METHODS",
    "BacktestError",
    "BacktestResult",
    "CoverageResult",
    "MethodScore",
    "OursParams",
    "Period",
    "Points",
    "backtest",
    "backtest_points",
    "best_hits",
    "candidate_params",
    "cell_count",
    "day_number",
    "evaluate_selection",
    "format_table",
    "gaussian_smooth",
    "kde_scores",
    "ours_scores",
    "parse_period",
    "read_incidents",
    "top_cells",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

METHODS = ("ours", "previous", "kde", "random")
#: Share of the smoothed term in ``ours``'s score (0: the cell's own count only).
BLENDS = (0.0, 1 / 3, 2 / 3, 1.0)
#: Bandwidths (standard deviations, in cells) of the smoothed term; the KDE's is added.
BANDWIDTHS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
#: Half-lives (days) of the time decay; ``None``: no decay.
HALF_LIVES: tuple[float | None, ...] = (None, 365.0)
HOT_SPOT_FDR = 0.05
DEFAULT_KDE_BANDWIDTH = 2.0
DEFAULT_MAX_CELLS = 4_000_000
KERNEL_RADIUS_SD = 4.0
# Peru with a margin, as the incident store checks coordinates.
LAT_RANGE = (-19.5, 0.5)
LON_RANGE = (-82.0, -68.0)
EPOCH = date(1970, 1, 1)

# Headers accepted for each field (normalised: lower case, no accents, "_" for spaces),
# as the incident store accepts them.
_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "fecha", "fecha_hecho"),
    "datetime": ("datetime", "fecha_hora", "fecha_hora_hecho"),
    "lat": ("lat", "latitud", "latitude"),
    "lon": ("lon", "lng", "longitud", "longitude"),
    "crime_type": ("crime_type", "delito", "tipo_delito", "categoria"),
}


class BacktestError(ValueError):
    """The backtest cannot run as asked (bad periods, an unreadable file, no incidents)."""


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BacktestError(
                f"a period must not end ({self.end}) before it starts ({self.start})"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _parse_day(text: str, last: bool) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: its first day, or its last with ``last``."""
    match = _DAY.match(text.strip())
    if not match:
        raise BacktestError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError as exc:
        raise BacktestError(f"{text!r} is not a date: {exc}") from None


def parse_period(text: str) -> Period:
    """``FROM:TO``, both included: ``2022-01-01:2023-12-31``; a month or a year stands for
    all its days (``2022-01:2023-12``, ``2022:2023``, ``2024-03`` alone is one month)."""
    parts = text.split(":")
    if len(parts) == 1:
        return Period(_parse_day(parts[0], False), _parse_day(parts[0], True))
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise BacktestError(f"{text!r} is not a period: write FROM:TO, e.g. 2022-01-01:2023-12-31")
    return Period(_parse_day(parts[0], False), _parse_day(parts[1], True))


def _check_periods(train: Period, test: Period) -> None:
    if train.end >= test.start:
        raise BacktestError(
            f"the training period ({train}) must end before the test period ({test}) starts"
        )


# --------------------------------------------------------------------------------------
# Reading the incidents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Points:
    """Incidents as arrays: latitude, longitude and day (days since 1970-01-01).
    ``skipped``: rows in the periods without usable coordinates (none, or outside Peru)."""

    lat: FloatArray
    lon: FloatArray
    day: IntArray
    skipped: int = 0

    def __len__(self) -> int:
        return int(self.day.size)


def day_number(day: date) -> int:
    return (day - EPOCH).days


def _norm(header: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", header.strip().lower())
    text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"[\s\-]+", "_", text)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_incidents(
    path: Path | str,
    periods: Sequence[Period],
    *,
    crime_types: Iterable[str] | None = None,
) -> Points:
    """The incidents of ``path`` that fall in any of ``periods``, read with DuckDB.

    ``path`` is a CSV (``,`` ``;`` or tab separated, optionally gzipped) or a Parquet file
    with the incident store's columns: ``date`` or ``datetime``, ``lat``, ``lon`` and
    ``crime_type`` (``id`` and ``ubigeo`` are not needed here; the Spanish headers the
    store accepts are accepted too). ``crime_types`` keeps only those categories (compared
    trimmed and in lower case). Rows without coordinates, or with coordinates outside
    Peru, are skipped and counted; a date that cannot be read is an error.
    """
    import duckdb

    file = Path(path)
    if not file.is_file():
        raise BacktestError(f"{file}: no such file")
    name = file.name.lower()
    if name.endswith((".parquet", ".pq")):
        source = f"read_parquet({_literal(str(file))})"
    else:
        source = f"read_csv({_literal(str(file))}, header = true, sample_size = 100000)"
    con = duckdb.connect()
    try:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.Error as exc:
            raise BacktestError(f"{file}: cannot be read as CSV or Parquet ({exc})") from None
        columns = {_norm(str(row[0])): (str(row[0]), str(row[1]).upper()) for row in described}
        found: dict[str, tuple[str, str]] = {}
        for field, aliases in _FIELDS.items():
            for alias in aliases:
                if alias in columns:
                    found[field] = columns[alias]
                    break
        missing = [f for f in ("lat", "lon") if f not in found]
        if "date" not in found and "datetime" not in found:
            missing.insert(0, "date")
        if missing:
            raise BacktestError(
                f"{file}: missing column(s) {', '.join(missing)}"
                f" (found: {', '.join(str(r[0]) for r in described)})"
            )
        date_expr = _date_expression(*found.get("date", found.get("datetime", ("", ""))))
        lat_expr = _number_expression(*found["lat"])
        lon_expr = _number_expression(*found["lon"])
        select = [f"{date_expr} AS d", f"{lat_expr} AS lat", f"{lon_expr} AS lon"]
        params: list[Any] = []
        where = ""
        if crime_types is not None:
            wanted = sorted({str(c).strip().lower() for c in crime_types})
            if "crime_type" not in found:
                raise BacktestError(f"{file}: no crime_type column to filter by")
            category = f"lower(trim(CAST({_ident(found['crime_type'][0])} AS VARCHAR)))"
            where = f"WHERE {category} IN (SELECT unnest(?))"
            params.append(wanted)
        try:
            con.execute(
                f"CREATE TEMP TABLE src AS SELECT {', '.join(select)} FROM {source} {where}",
                params,
            )
        except duckdb.Error as exc:
            raise BacktestError(f"{file}: cannot be read ({exc})") from None
        (bad,) = con.execute("SELECT count(*) FROM src WHERE d IS NULL").fetchall()[0]
        if bad:
            raise BacktestError(
                f"{file}: {bad:,} row(s) have a date that cannot be read"
                " (write it as YYYY-MM-DD or DD/MM/YYYY)"
            )
        in_periods = " OR ".join(
            f"d BETWEEN DATE '{p.start.isoformat()}' AND DATE '{p.end.isoformat()}'"
            for p in periods
        )
        usable = (
            f"lat BETWEEN {LAT_RANGE[0]} AND {LAT_RANGE[1]}"
            f" AND lon BETWEEN {LON_RANGE[0]} AND {LON_RANGE[1]}"
        )
        relation = con.sql(
            f"SELECT lat, lon, CAST(d - DATE '1970-01-01' AS BIGINT) AS day FROM src"
            f" WHERE ({in_periods or 'false'}) AND {usable}"
        )
        table = relation.to_arrow_table()
        ((skipped,),) = con.execute(
            f"SELECT count(*) FROM src WHERE ({in_periods or 'false'})"
            f" AND (lat IS NULL OR lon IS NULL OR NOT ({usable}))"
        ).fetchall()
    finally:
        con.close()
    return Points(
        lat=np.asarray(table.column("lat").to_numpy(), dtype=np.float64),
        lon=np.asarray(table.column("lon").to_numpy(), dtype=np.float64),
        day=np.asarray(table.column("day").to_numpy(), dtype=np.int64),
        skipped=int(skipped),
    )


def _date_expression(column: str, kind: str) -> str:
    col = _ident(column)
    if kind == "DATE":
        return col
    if kind.startswith("TIMESTAMP"):
        return f"CAST({col} AS DATE)"
    text = f"trim(CAST({col} AS VARCHAR))"
    return (
        f"COALESCE(TRY_CAST({text} AS DATE), CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE),"
        f" CAST(TRY_STRPTIME({text}, '%d/%m/%Y') AS DATE),"
        f" CAST(TRY_STRPTIME({text}, '%d/%m/%Y %H:%M:%S') AS DATE),"
        f" CAST(TRY_STRPTIME({text}, '%d/%m/%Y %H:%M') AS DATE))"
    )


def _number_expression(column: str, kind: str) -> str:
    col = _ident(column)
    if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL") or "INT" in kind:
        return f"CAST({col} AS DOUBLE)"
    # Text: a decimal comma (with ';' separated files) is understood.
    return f"TRY_CAST(replace(trim(CAST({col} AS VARCHAR)), ',', '.') AS DOUBLE)"


# --------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------


def _kernel(bandwidth: float) -> FloatArray:
    radius = max(1, math.ceil(KERNEL_RADIUS_SD * bandwidth))
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    line = np.exp(-0.5 * (offsets / bandwidth) ** 2)
    kernel = np.outer(line, line)
    return np.asarray(kernel / kernel.sum(), dtype=np.float64)


def gaussian_smooth(values: npt.ArrayLike, bandwidth: float) -> FloatArray:
    """``values`` (a grid) convolved with a Gaussian kernel of standard deviation
    ``bandwidth`` cells, truncated at four standard deviations and normalised to sum 1
    (mass past the grid's edge is lost), by FFT (``scipy.signal.fftconvolve``). The FFT's
    rounding noise (~1e-16 of the largest value) is set to zero so empty areas tie."""
    if not (bandwidth > 0 and math.isfinite(bandwidth)):
        raise ValueError("the bandwidth must be a positive number of cells")
    grid = np.asarray(values, dtype=np.float64)
    if grid.ndim != 2:
        raise ValueError("values must be a 2-D grid")
    smoothed = np.asarray(fftconvolve(grid, _kernel(bandwidth), mode="same"), dtype=np.float64)
    peak = float(np.abs(smoothed).max()) if smoothed.size else 0.0
    smoothed[smoothed <= peak * 1e-12] = 0.0
    return smoothed


def kde_scores(train_counts: npt.ArrayLike, bandwidth: float = DEFAULT_KDE_BANDWIDTH) -> FloatArray:
    """The ``kde`` baseline: a Gaussian kernel density of the training incidents on the
    grid (their counts smoothed by :func:`gaussian_smooth`)."""
    return gaussian_smooth(train_counts, bandwidth)


@dataclass(frozen=True)
class OursParams:
    """The parameters of ``ours``'s score (see the module's documentation)."""

    blend: float
    bandwidth: float | None  # cells; None when blend is 0
    half_life_days: float | None  # None: no decay
    hot_spots_first: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "blend": round(self.blend, 4),
            "bandwidth_cells": self.bandwidth,
            "half_life_days": self.half_life_days,
            "hot_spots_first": self.hot_spots_first,
        }


#: Used when the training period cannot be split for validation.
DEFAULT_PARAMS = OursParams(blend=2 / 3, bandwidth=1.0, half_life_days=None, hot_spots_first=False)


def candidate_params(kde_bandwidth: float = DEFAULT_KDE_BANDWIDTH) -> list[OursParams]:
    """The fixed grid ``ours`` chooses from, simplest first (the order breaks ties)."""
    bandwidths = sorted({*BANDWIDTHS, float(kde_bandwidth)})
    candidates: list[OursParams] = []
    for half_life in HALF_LIVES:
        for first in (False, True):
            for blend in BLENDS:
                for bandwidth in bandwidths if blend > 0 else [None]:
                    candidates.append(OursParams(blend, bandwidth, half_life, first))
    return candidates


class _Surfaces:
    """``D_h``, its smoothings and its Gi* hot spots, computed once per half-life."""

    def __init__(self, cells: IntArray, age_days: IntArray, shape: tuple[int, int]):
        self.cells = cells
        self.age = age_days
        self.shape = shape
        self._decayed: dict[float | None, FloatArray] = {}
        self._smoothed: dict[tuple[float | None, float], FloatArray] = {}
        self._hot: dict[float | None, BoolArray] = {}

    def decayed(self, half_life: float | None) -> FloatArray:
        if half_life not in self._decayed:
            n = self.shape[0] * self.shape[1]
            weights = None if half_life is None else np.exp2(-self.age / half_life)
            counts = np.bincount(self.cells, weights=weights, minlength=n)
            self._decayed[half_life] = counts.astype(np.float64).reshape(self.shape)
        return self._decayed[half_life]

    def smoothed(self, half_life: float | None, bandwidth: float) -> FloatArray:
        key = (half_life, bandwidth)
        if key not in self._smoothed:
            self._smoothed[key] = gaussian_smooth(self.decayed(half_life), bandwidth)
        return self._smoothed[key]

    def hot(self, half_life: float | None) -> BoolArray:
        if half_life not in self._hot:
            values = self.decayed(half_life)
            if values.size < 2 or values.sum() <= 0 or values.var() <= 0:
                hot = np.zeros(self.shape, dtype=bool)
            else:
                result = gi_star(values, queen_weights(*self.shape))
                hot = classify(result, HOT_SPOT_FDR) == HOT
            self._hot[half_life] = hot
        return self._hot[half_life]

    def score(self, params: OursParams) -> tuple[FloatArray, BoolArray | None]:
        own = self.decayed(params.half_life_days)
        if params.blend > 0:
            assert params.bandwidth is not None
            smooth = self.smoothed(params.half_life_days, params.bandwidth)
            score = (1 - params.blend) * own + params.blend * smooth
        else:
            score = own
        first = self.hot(params.half_life_days) if params.hot_spots_first else None
        return score, first


def ours_scores(
    cells: npt.ArrayLike,
    age_days: npt.ArrayLike,
    shape: tuple[int, int],
    params: OursParams,
) -> tuple[FloatArray, BoolArray | None]:
    """``ours``'s score of every cell for given parameters, from the training incidents'
    cells (flat indices, row by row) and ages in days (before the end of training).
    Returns the score grid and the cells to rank first (Gi* hot spots), or ``None``."""
    surfaces = _Surfaces(
        np.asarray(cells, dtype=np.int64), np.asarray(age_days, dtype=np.int64), shape
    )
    return surfaces.score(params)


# --------------------------------------------------------------------------------------
# Selection and metrics
# --------------------------------------------------------------------------------------


def _largest(values: FloatArray, k: int) -> IntArray:
    """Positions of the ``k`` largest values, ties to the lowest position (unordered)."""
    n = values.size
    if k >= n:
        return np.arange(n, dtype=np.int64)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(values, n - k)[n - k]
    above = np.flatnonzero(values > threshold)
    equal = np.flatnonzero(values == threshold)[: k - above.size]
    return np.concatenate([above, equal]).astype(np.int64)


def top_cells(score: npt.ArrayLike, k: int, first: npt.ArrayLike | None = None) -> IntArray:
    """The flat indices of the ``k`` best cells by ``score`` (in no particular order;
    between equal scores the lower cell number wins), taking every cell of the boolean
    mask ``first`` before any other when given. Linear time (a partition, no sort)."""
    values = np.asarray(score, dtype=np.float64).ravel()
    if not np.all(np.isfinite(values)):
        raise ValueError("scores must be finite")
    if first is None:
        return _largest(values, k)
    mask = np.asarray(first, dtype=bool).ravel()
    preferred = np.flatnonzero(mask)
    if preferred.size >= k:
        return preferred[_largest(values[preferred], k)]
    rest = np.flatnonzero(~mask)
    return np.concatenate([preferred, rest[_largest(values[rest], k - preferred.size)]])


@dataclass(frozen=True)
class MethodScore:
    hit_rate: float
    pai: float
    pei: float
    hits: float  # test incidents in the selected cells (an expectation for random)

    def as_dict(self) -> dict[str, float]:
        return {
            "hit_rate": round(self.hit_rate, 6),
            "pai": round(self.pai, 6),
            "pei": round(self.pei, 6),
        }


def cell_count(coverage: float, n_cells: int) -> int:
    """How many cells a coverage (share of the area) selects: at least one."""
    if not (0 < coverage <= 1):
        raise BacktestError(f"coverage must be a share of the area in (0, 1], not {coverage!r}")
    return min(n_cells, max(1, round(coverage * n_cells)))


def best_hits(test_counts: npt.ArrayLike, k: int) -> int:
    """The most test incidents ``k`` cells could hold (the top cells by test counts)."""
    values = np.asarray(test_counts).ravel()
    return int(values[_largest(values.astype(np.float64), k)].sum())


def evaluate_selection(
    selected_hits: float, test_total: int, k: int, n_cells: int, best: int
) -> MethodScore:
    """Hit rate, PAI and PEI of a selection of ``k`` of ``n_cells`` cells holding
    ``selected_hits`` of the ``test_total`` test incidents, when the best ``k`` cells
    hold ``best``."""
    if test_total <= 0:
        raise BacktestError("no incidents in the test period")
    hit_rate = selected_hits / test_total
    area_share = k / n_cells
    best_rate = best / test_total
    return MethodScore(
        hit_rate=hit_rate,
        pai=hit_rate / area_share,
        pei=hit_rate / best_rate if best_rate > 0 else 0.0,
        hits=selected_hits,
    )


# --------------------------------------------------------------------------------------
# The backtest
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageResult:
    coverage: float
    cells: int  # selected
    area_share: float
    best_hit_rate: float
    methods: dict[str, MethodScore]
    ours_params: OursParams
    validation_hit_rate: float | None  # of the chosen parameters, on the validation split

    def as_dict(self) -> dict[str, Any]:
        return {
            "coverage": self.coverage,
            "cells": self.cells,
            "area_share": round(self.area_share, 6),
            "best_hit_rate": round(self.best_hit_rate, 6),
            "methods": {name: self.methods[name].as_dict() for name in METHODS},
            "ours_params": {
                **self.ours_params.as_dict(),
                "validation_hit_rate": (
                    None if self.validation_hit_rate is None else round(self.validation_hit_rate, 6)
                ),
            },
        }


@dataclass(frozen=True, eq=False)
class BacktestResult:
    train: Period
    test: Period
    validation: tuple[Period, Period] | None  # (fit, validate) inside the training period
    cell_m: float
    kde_bandwidth: float
    grid: GridTransform
    origin: tuple[float, float]  # lat, lon of the projection's centre
    train_incidents: int
    test_incidents: int
    skipped: int
    coverages: list[CoverageResult]
    train_counts: IntArray = field(repr=False)  # the grid of training incidents
    test_counts: IntArray = field(repr=False)  # the grid of test incidents

    @property
    def n_cells(self) -> int:
        return self.grid.n_rows * self.grid.n_cols

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON: with one coverage, ``{"methods": {...}, ...}`` (the metrics at
        that coverage beside the run's description); with several, the same per
        coverage under ``"coverages"`` keyed by the coverage (``"0.05"``)."""
        data: dict[str, Any] = {
            "train": {**_period_dict(self.train), "incidents": self.train_incidents},
            "test": {**_period_dict(self.test), "incidents": self.test_incidents},
            "validation": (
                None
                if self.validation is None
                else {
                    "fit": _period_dict(self.validation[0]),
                    "validate": _period_dict(self.validation[1]),
                }
            ),
            "cell_m": self.cell_m,
            "grid": {"rows": self.grid.n_rows, "cols": self.grid.n_cols, "cells": self.n_cells},
            "kde_bandwidth_cells": self.kde_bandwidth,
            "skipped": self.skipped,
        }
        if len(self.coverages) == 1:
            return {**self.coverages[0].as_dict(), **data}
        return {
            "coverages": {_coverage_key(c.coverage): c.as_dict() for c in self.coverages},
            **data,
        }


def _period_dict(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def _coverage_key(coverage: float) -> str:
    return f"{coverage:g}"


def _cell_index(x: FloatArray, y: FloatArray, transform: GridTransform) -> IntArray:
    """The flat cell of every point, by the rule of ``grid_counts`` (points are inside)."""
    cols = np.floor((x - transform.x_min) / transform.cell_size).astype(np.int64)
    rows = np.floor((transform.y_max - y) / transform.cell_size).astype(np.int64)
    np.clip(cols, 0, transform.n_cols - 1, out=cols)
    np.clip(rows, 0, transform.n_rows - 1, out=rows)
    return rows * transform.n_cols + cols


def _validation_split(train: Period, test: Period) -> tuple[Period, Period] | None:
    length = min(test.days, train.days // 2)
    if length < 1:
        return None
    cut = train.end - timedelta(days=length)
    return Period(train.start, cut), Period(cut + timedelta(days=1), train.end)


def _choose(
    candidates: list[OursParams],
    surfaces: _Surfaces,
    validate_counts: FloatArray,
    k: int,
) -> tuple[OursParams, float]:
    total = float(validate_counts.sum())
    flat = validate_counts.ravel()
    best: tuple[OursParams, float] | None = None
    for params in candidates:
        score, first = surfaces.score(params)
        rate = float(flat[top_cells(score, k, first)].sum()) / total
        if best is None or rate > best[1]:
            best = (params, rate)
    assert best is not None
    return best


def backtest_points(
    points: Points,
    train: Period,
    test: Period,
    cell_m: float,
    coverages: Sequence[float] = (0.05,),
    *,
    kde_bandwidth: float = DEFAULT_KDE_BANDWIDTH,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> BacktestResult:
    """Backtest every method on ``points`` (incidents of any dates: those outside the two
    periods are ignored): the grid, the scores, the selections and the metrics at each
    coverage. Raises :class:`BacktestError` on bad periods, cell size, coverage or when a
    period has no incidents."""
    _check_periods(train, test)
    if not (cell_m > 0 and math.isfinite(cell_m)):
        raise BacktestError("the cell size must be a positive number of metres")
    if not (kde_bandwidth > 0 and math.isfinite(kde_bandwidth)):
        raise BacktestError("the KDE bandwidth must be a positive number of cells")
    coverages = list(dict.fromkeys(float(c) for c in coverages))  # once each, in order
    if not coverages:
        raise BacktestError("give at least one coverage")
    for coverage in coverages:
        cell_count(coverage, 1)  # checks the range

    day = np.asarray(points.day, dtype=np.int64)
    in_train = (day >= day_number(train.start)) & (day <= day_number(train.end))
    in_test = (day >= day_number(test.start)) & (day <= day_number(test.end))
    n_train, n_test = int(in_train.sum()), int(in_test.sum())
    if n_train == 0:
        raise BacktestError(f"no incidents in the training period ({train})")
    if n_test == 0:
        raise BacktestError(f"no incidents in the test period ({test})")
    used = in_train | in_test
    lat = np.asarray(points.lat, dtype=np.float64)[used]
    lon = np.asarray(points.lon, dtype=np.float64)[used]
    day, in_train, in_test = day[used], in_train[used], in_test[used]
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise BacktestError("coordinates must be finite numbers")

    origin = (float(lat.mean()), float(lon.mean()))
    x, y = project(lat, lon, *origin)
    bounds = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    n_cells = max(1, math.ceil((bounds[2] - bounds[0]) / cell_m)) * max(
        1, math.ceil((bounds[3] - bounds[1]) / cell_m)
    )
    if n_cells > max_cells:
        raise BacktestError(
            f"{n_cells:,} cells of {cell_m:g} m: choose larger cells or a smaller area"
            f" (at most {max_cells:,})"
        )
    train_counts, transform = grid_counts(x[in_train], y[in_train], cell_m, bounds)
    test_counts, _ = grid_counts(x[in_test], y[in_test], cell_m, bounds)
    shape = (transform.n_rows, transform.n_cols)
    cells = _cell_index(x, y, transform)

    # ours: the validation split of the training period, then the refit on all of it.
    candidates = candidate_params(kde_bandwidth)
    split = _validation_split(train, test)
    fit_surfaces: _Surfaces | None = None
    validate_counts: FloatArray | None = None
    if split is not None:
        fit_end = day_number(split[0].end)
        in_fit = in_train & (day <= fit_end)
        in_validate = in_train & (day > fit_end)
        if in_fit.any() and in_validate.any():
            fit_surfaces = _Surfaces(cells[in_fit], fit_end - day[in_fit], shape)
            validate_counts = np.bincount(cells[in_validate], minlength=n_cells).astype(np.float64)
        else:
            split = None
    train_end = day_number(train.end)
    surfaces = _Surfaces(cells[in_train], train_end - day[in_train], shape)
    previous = train_counts.astype(np.float64)
    kde = kde_scores(previous, kde_bandwidth)
    test_flat = test_counts.ravel()

    results: list[CoverageResult] = []
    for coverage in coverages:
        k = cell_count(coverage, n_cells)
        best = best_hits(test_counts, k)

        def score_of(selected: IntArray, k: int = k, best: int = best) -> MethodScore:
            return evaluate_selection(float(test_flat[selected].sum()), n_test, k, n_cells, best)

        if fit_surfaces is not None and validate_counts is not None:
            params, validation_rate = _choose(candidates, fit_surfaces, validate_counts, k)
        else:
            params, validation_rate = DEFAULT_PARAMS, None
        ours, first = surfaces.score(params)
        methods = {
            "ours": score_of(top_cells(ours, k, first)),
            "previous": score_of(top_cells(previous, k)),
            "kde": score_of(top_cells(kde, k)),
            # The expectation over uniform draws of k cells: k / n of every test incident
            # (all inside the grid).
            "random": evaluate_selection(n_test * k / n_cells, n_test, k, n_cells, best),
        }
        results.append(
            CoverageResult(
                coverage=float(coverage),
                cells=k,
                area_share=k / n_cells,
                best_hit_rate=best / n_test,
                methods=methods,
                ours_params=params,
                validation_hit_rate=validation_rate,
            )
        )
    return BacktestResult(
        train=train,
        test=test,
        validation=split,
        cell_m=float(cell_m),
        kde_bandwidth=float(kde_bandwidth),
        grid=transform,
        origin=origin,
        train_incidents=n_train,
        test_incidents=n_test,
        skipped=points.skipped,
        coverages=results,
        train_counts=train_counts,
        test_counts=test_counts,
    )


def backtest(
    path: Path | str,
    train: Period,
    test: Period,
    cell_m: float,
    coverages: Sequence[float] = (0.05,),
    *,
    kde_bandwidth: float = DEFAULT_KDE_BANDWIDTH,
    crime_types: Iterable[str] | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> BacktestResult:
    """Read the incidents of ``path`` (:func:`read_incidents`) and backtest them
    (:func:`backtest_points`)."""
    _check_periods(train, test)
    points = read_incidents(path, (train, test), crime_types=crime_types)
    return backtest_points(
        points,
        train,
        test,
        cell_m,
        coverages,
        kde_bandwidth=kde_bandwidth,
        max_cells=max_cells,
    )


def format_table(result: BacktestResult) -> list[str]:
    """The result as text lines: one row per coverage and method."""
    lines = [
        f"train {result.train} ({result.train_incidents:,} incidents),"
        f" test {result.test} ({result.test_incidents:,} incidents)",
        f"grid {result.grid.n_rows} x {result.grid.n_cols} = {result.n_cells:,} cells"
        f" of {result.cell_m:g} m; KDE bandwidth {result.kde_bandwidth:g} cells",
    ]
    if result.skipped:
        lines.append(f"skipped {result.skipped:,} incidents without usable coordinates")
    lines.append(f"{'coverage':>8}  {'cells':>7}  {'method':<9}{'hit rate':>9}{'PAI':>9}{'PEI':>8}")
    for c in result.coverages:
        for name in METHODS:
            m = c.methods[name]
            lines.append(
                f"{c.coverage:>8.1%}  {c.cells:>7,}  {name:<9}"
                f"{m.hit_rate:>9.4f}{m.pai:>9.2f}{m.pei:>8.4f}"
            )
        p = c.ours_params
        smoothing = "none" if p.bandwidth is None else f"{p.bandwidth:g} cells"
        decay = "none" if p.half_life_days is None else f"half-life {p.half_life_days:g} days"
        lines.append(
            f"{'':>8}  {'':>7}  ours: blend {p.blend:.2f}, smoothing {smoothing}, decay {decay},"
            f" Gi* hot spots first: {'yes' if p.hot_spots_first else 'no'}"
        )
    return lines
