"""Targeting runs: rank territorial units by a transparent composite index.

The analyst chooses the unit, the indicators with their weights and the filters; a run
ranks the units by a composite index, explains every rank by each indicator's
contribution and marks Getis-Ord Gi* hot spots of the index with Benjamini-Hochberg
false-discovery control. The run is stored with its parameters and the data it used
(``TargetingRun``), so :func:`score` can reproduce it from the stored data alone.

The composite index (:func:`composite_index`)
---------------------------------------------

- Every indicator is normalised over the units ranked. The default is **min-max**:
  ``(x - min) / (max - min)``, 0 for the lowest unit and 1 for the highest, so each
  indicator contributes between 0 and its weight and the index lies between 0 and 1 (it
  reads "this district is 80 % of the way from the lowest to the highest rate"). The
  alternative ``"z"`` (``(x - mean) / standard deviation``, population SD) is unbounded
  and gives negative contributions to units below the mean. An indicator whose known
  values are all equal cannot tell units apart: it is normalised to 0 everywhere.
- ``direction`` +1 means "more is worse" (more crime: a higher rank); -1 reverses the
  indicator (``max - x`` for min-max, ``-z`` for z).
- Weights are relative: they are divided by their sum, so ``rate 1, robo 0.5`` weighs
  the rate 2/3 and robberies 1/3. They must not be negative (use ``direction``).
- ``score = sum of contributions`` and ``contribution = normalised weight x normalised
  value``, so the contributions of a unit add up to its score exactly (up to rounding).
- **Missing values are never imputed.** A unit without a value for an indicator
  contributes 0 for it and is flagged (``missing``); the normalisation uses only the
  known values. Its score is then a lower bound, and it is not tested for hot spots.

Units and data
--------------

The units are districts, custom polygons or the cells of a regular grid; how their
values are collected is in :mod:`sinasec.barrios.targeting.data`, how a snapshot is read
back as arrays in :mod:`sinasec.analytics.targeting.units`. Hot spots use queen contiguity
among the units' polygons (the 8 surrounding cells on a grid).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from sinasec.analytics.hotspots import classify, gi_star
from sinasec.analytics.targeting.params import (
    METHODS,
    NEEDS_POPULATION,
    UNITS,
    IndicatorChoice,
    TargetingError,
    TargetingParams,
    check_indicator_key,
)
from sinasec.analytics.targeting.types import (
    IndicatorSummary,
    RankedUnit,
    RankingSummary,
    TargetingParamsData,
    TargetingResultData,
)
from sinasec.analytics.targeting.units import UnitTable, unit_table

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

URBAN_CATEGORY = "Ciudad"
HOMICIDE_CATEGORY = "homicidio"
BOUNDARY_TOLERANCE = 1e-4  # degrees: the simplified boundaries have slivers
GRID_UNITS_KEPT = 2_000  # cells kept in a grid run's stored results (all are ranked)
MAX_GRID_CELLS = 4_000_000
__all__ = [
    "METHODS",
    "NEEDS_POPULATION",
    "UNITS",
    "IndicatorChoice",
    "TargetingError",
    "TargetingParams",
    "check_indicator_key",
]

# Hot spot classes of a unit.
HOT, COLD, NOT_SIGNIFICANT, NOT_TESTED = "hot", "cold", "not_significant", "not_tested"


# ---------------------------------------------------------------------------------------
# The composite index: pure NumPy.


@dataclass(frozen=True)
class Composite:
    """The composite index of ``n`` units. Unpacks as ``score, contributions``.

    ``weights`` are the normalised weights (summing to 1); ``normalised`` the indicator
    values after normalisation (NaN where missing); ``missing`` True where a unit has no
    value; ``contributions[k] = weights[k] * normalised[k]`` (0 where missing);
    ``score`` their sum. ``location`` and ``spread`` are each indicator's min and range
    (min-max) or mean and standard deviation (z)."""

    score: FloatArray
    contributions: dict[str, FloatArray]
    normalised: dict[str, FloatArray]
    missing: dict[str, BoolArray]
    weights: dict[str, float]
    location: dict[str, float | None]
    spread: dict[str, float | None]
    method: str

    def __iter__(self) -> Any:
        return iter((self.score, self.contributions))

    @property
    def any_missing(self) -> BoolArray:
        flags = np.zeros(self.score.shape, dtype=bool)
        for mask in self.missing.values():
            flags |= mask
        return flags


def composite_index(
    values: Mapping[str, npt.ArrayLike],
    weights: Mapping[str, float],
    directions: Mapping[str, int] | None = None,
    method: str = "minmax",
) -> Composite:
    """The composite index of the units: see the module's documentation.

    ``values`` maps each indicator to one value per unit (NaN or None: missing), all of
    the same length; ``weights`` gives every indicator a non-negative weight (not all
    zero); ``directions`` +1 (default: more is worse) or -1 per indicator."""
    directions = directions or {}
    _check_composite(values, weights, directions, method)
    total = float(sum(weights.values()))
    arrays = {k: np.array(v, dtype=np.float64).ravel() for k, v in values.items()}
    lengths = {a.size for a in arrays.values()}
    if len(lengths) != 1:
        raise TargetingError("composite_lengths")
    n = lengths.pop()
    score = np.zeros(n, dtype=np.float64)
    contributions: dict[str, FloatArray] = {}
    normalised: dict[str, FloatArray] = {}
    missing: dict[str, BoolArray] = {}
    location: dict[str, float | None] = {}
    spread: dict[str, float | None] = {}
    norm_weights = {k: float(w) / total for k, w in weights.items()}
    for key, x in arrays.items():
        absent = ~np.isfinite(x)
        z, location[key], spread[key] = _normalise(x, absent, method, directions.get(key, 1))
        contribution = np.where(absent, 0.0, norm_weights[key] * np.nan_to_num(z))
        normalised[key], missing[key], contributions[key] = z, absent, contribution
        score += contribution
    return Composite(
        score=score,
        contributions=contributions,
        normalised=normalised,
        missing=missing,
        weights=norm_weights,
        location=location,
        spread=spread,
        method=method,
    )


def _check_composite(
    values: Mapping[str, npt.ArrayLike],
    weights: Mapping[str, float],
    directions: Mapping[str, int],
    method: str,
) -> None:
    if method not in METHODS:
        raise TargetingError("composite_method", method=method)
    if not values:
        raise TargetingError("composite_empty")
    if set(weights) != set(values):
        raise TargetingError("composite_weights")
    for key, weight in weights.items():
        if not (isinstance(weight, int | float) and math.isfinite(weight) and weight >= 0):
            raise TargetingError("negative_weight", key=key)
        if directions.get(key, 1) not in (1, -1):
            raise TargetingError("composite_direction", key=key)
    if float(sum(weights.values())) <= 0:
        raise TargetingError("zero_weights")


def _normalise(
    x: FloatArray, absent: BoolArray, method: str, direction: int
) -> tuple[FloatArray, float | None, float | None]:
    """One indicator normalised over its known values (NaN where ``absent``), with its
    location and spread (min and range, or mean and SD; None when no value is known)."""
    known = x[~absent]
    location: float | None
    spread: float | None
    if known.size == 0:
        z, location, spread = np.full(x.size, np.nan), None, None
    elif method == "minmax":
        low, high = float(known.min()), float(known.max())
        location, spread = low, high - low
        if high > low:
            scaled = (x - low) / (high - low)
            z = scaled if direction == 1 else 1.0 - scaled
        else:
            z = np.zeros(x.size)
    else:
        mean, sd = float(known.mean()), float(known.std())
        location, spread = mean, sd
        z = (x - mean) / sd * direction if sd > 0 else np.zeros(x.size)
    return np.where(absent, np.nan, z), location, spread


# ---------------------------------------------------------------------------------------
# The result.


@dataclass
class TargetingResult:
    parameters: TargetingParamsData
    units: list[RankedUnit]
    indicators: list[IndicatorSummary]
    source: str | None
    population_year: int | None
    excluded: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Units ranked and hot spot classes over all of them (a grid keeps only its top).
    summary: RankingSummary = field(default_factory=lambda: RankingSummary(ranked=0, hotspots={}))
    # The data the result was computed from (stored as the run's data snapshot).
    snapshot: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> TargetingResultData:
        """The results to store (the snapshot is stored on its own)."""
        return {
            "parameters": self.parameters,
            "units": self.units,
            "indicators": self.indicators,
            "source": self.source,
            "population_year": self.population_year,
            "excluded": self.excluded,
            "notes": self.notes,
            "summary": self.summary,
        }

    def top(self, n: int | None) -> list[RankedUnit]:
        return self.units if n is None else self.units[:n]


def indicator_label(key: str, names: Mapping[str, str] | None = None) -> str:
    if key == "rate":
        return "Crimes per 100,000 inhabitants"
    if key == "homicides":
        return "Homicides"
    if key == "total":
        return "All crimes"
    code = key.removeprefix("count:")
    return (names or {}).get(code, code)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def score(parameters: TargetingParams, snapshot: Mapping[str, Any]) -> TargetingResult:
    """Rank the units of ``snapshot`` (the data a run used) with ``parameters``: pure, so
    a stored run is reproduced from its own snapshot, with no database read. Every unit
    is ranked; the result keeps them all, except on a grid, where it keeps the first
    :data:`GRID_UNITS_KEPT` cells (the counts of hot spots are over every cell)."""
    keys = [i.key for i in parameters.indicators]
    result = TargetingResult(
        parameters=parameters.as_dict(),
        units=[],
        indicators=[],
        source=snapshot.get("source"),
        population_year=snapshot.get("population_year"),
        excluded=dict(snapshot.get("excluded", {})),
        notes=list(snapshot.get("notes", [])),
        snapshot=dict(snapshot),
    )
    names = snapshot.get("category_names", {})
    table = unit_table(snapshot, keys)
    if table.n == 0:
        result.notes.append("no_unit_left")
        result.indicators = _indicator_summaries(parameters, names, None)
        result.summary = {"ranked": 0, "hotspots": {}}
        return result
    composite = composite_index(
        table.values,
        {i.key: i.weight for i in parameters.indicators},
        {i.key: i.direction for i in parameters.indicators},
        parameters.method,
    )
    result.indicators = _indicator_summaries(parameters, names, composite)
    spots = _hot_spots(table, composite, parameters.q, result.notes)
    order = np.lexsort((table.sort_key, -composite.score))
    kept = order if table.grid is None else order[:GRID_UNITS_KEPT]
    result.units = [
        _ranked_unit(rank, i, keys, table, composite, spots)
        for rank, i in enumerate(kept.tolist(), start=1)
    ]
    classes, counts = np.unique(spots.classes, return_counts=True)
    result.summary = {
        "ranked": table.n,
        "hotspots": {str(c): int(n) for c, n in zip(classes, counts, strict=True)},
    }
    return result


def _indicator_summaries(
    parameters: TargetingParams, names: Mapping[str, str], composite: Composite | None
) -> list[IndicatorSummary]:
    """Each indicator's label and, when units were ranked, its normalised weight,
    location, spread and missing values."""
    summaries: list[IndicatorSummary] = []
    for choice in parameters.indicators:
        summary: IndicatorSummary = {
            "key": choice.key,
            "weight": choice.weight,
            "direction": choice.direction,
            "label": indicator_label(choice.key, names),
        }
        if composite is not None:
            summary["normalised_weight"] = composite.weights[choice.key]
            summary["location"] = composite.location[choice.key]
            summary["spread"] = composite.spread[choice.key]
            summary["missing"] = int(composite.missing[choice.key].sum())
        summaries.append(summary)
    return summaries


def _ranked_unit(
    rank: int, i: int, keys: Sequence[str], table: UnitTable, composite: Composite, spots: _Spots
) -> RankedUnit:
    return {
        "rank": rank,
        **table.describe(i, keys),
        "score": float(composite.score[i]),
        "contributions": {k: float(composite.contributions[k][i]) for k in keys},
        "normalised": {k: _finite(float(composite.normalised[k][i])) for k in keys},
        "missing": [k for k in keys if composite.missing[k][i]],
        "hotspot": spots.classes[i],
        "not_tested_reason": spots.reasons[i] if spots.classes[i] == NOT_TESTED else None,
        "gi_z": _finite(float(spots.z[i])),
        "gi_p": _finite(float(spots.p[i])),
    }


@dataclass(frozen=True)
class _Spots:
    classes: npt.NDArray[Any]  # HOT, COLD, NOT_SIGNIFICANT or NOT_TESTED per unit
    reasons: npt.NDArray[Any]  # why a unit was not tested (None otherwise)
    z: FloatArray
    p: FloatArray


def _hot_spots(table: UnitTable, composite: Composite, q: float, notes: list[str]) -> _Spots:
    """Gi* of the index over the units with every value and a polygon, contiguity among
    them; Benjamini-Hochberg at false-discovery rate ``q``."""
    n = table.n
    reasons = np.full(n, None, dtype=object)
    reasons[~table.has_geometry] = "no_boundary"
    reasons[table.has_geometry & composite.any_missing] = "missing_data"
    candidates = np.flatnonzero(table.has_geometry & ~composite.any_missing)
    links = table.weights[candidates][:, candidates].tocsr()
    degree = np.diff(links.indptr)
    reasons[candidates[degree == 0]] = "no_neighbour"
    tested = candidates[degree > 0]
    classes = np.full(n, NOT_TESTED, dtype=object)
    z = np.full(n, np.nan)
    p = np.full(n, np.nan)
    if tested.size < 3:
        notes.append("hotspots_too_few")
        reasons[tested] = "too_few_units"
        return _Spots(classes, reasons, z, p)
    keep = degree > 0
    matrix = links[keep][:, keep].tocsr()
    y = composite.score[tested]
    # Gi*'s z-score does not change when a constant is added to every value, and Gi*
    # wants non-negative values: z-normalised scores are shifted to start at 0.
    y = y - min(0.0, float(y.min()))
    try:
        gi = gi_star(y, matrix)
    except ValueError:
        notes.append("hotspots_failed")
        return _Spots(classes, reasons, z, p)
    labels = classify(gi, q)
    classes[tested] = np.select(
        [labels > 0, labels < 0], [HOT, COLD], default=NOT_SIGNIFICANT
    ).astype(object)
    z[tested], p[tested] = gi.z, gi.p
    return _Spots(classes, reasons, z, p)


def rows_for_export(results: Mapping[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The stored results as a table: header and one row per unit."""
    keys = [i["key"] for i in results["indicators"]]
    header = ["rank", "ubigeo", "name", "score", "hotspot", "gi_z", "gi_p", "missing"]
    for key in keys:
        header += [f"{key} value", f"{key} normalised", f"{key} contribution"]
    rows = []
    for u in results["units"]:
        row: list[Any] = [
            u["rank"],
            u["ubigeo"],
            u["name"],
            round(u["score"], 6),
            u["hotspot"],
            None if u["gi_z"] is None else round(u["gi_z"], 4),
            None if u["gi_p"] is None else round(u["gi_p"], 6),
            " ".join(u["missing"]),
        ]
        for key in keys:
            norm = u["normalised"][key]
            value = u["values"][key]
            row += [
                None if value is None else round(value, 4),
                None if norm is None else round(norm, 6),
                round(u["contributions"][key], 6),
            ]
        rows.append(row)
    return header, rows


def compare(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]) -> bool:
    """Whether two result lists rank the same units with the same scores and classes."""
    if len(a) != len(b):
        return False
    return all(
        x["ubigeo"] == y["ubigeo"]
        and x["rank"] == y["rank"]
        and x["hotspot"] == y["hotspot"]
        and math.isclose(x["score"], y["score"], rel_tol=1e-12, abs_tol=1e-12)
        for x, y in zip(a, b, strict=True)
    )
