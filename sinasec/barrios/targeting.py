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

The district data (:func:`collect_district_data`)
-------------------------------------------------

- Counts come from the observatory's aggregated records (``CrimeCount``) of one source
  (the one ``indicators()`` would pick: :func:`~sinasec.observatory.indicators.pick_source`)
  for the year, summed over months, with one grouped query.
- ``rate``: all crimes per 100,000 inhabitants, with the population year
  ``indicators()`` uses (the closest within 3 years; the same figure as its
  ``rate_per_100k``, unrounded). Unknown where the population is unknown.
- ``count:<category>``: the crimes of one category (``CrimeCategory.code``);
  ``homicides`` is ``count:homicidio``. A district the source lists (with any crime that
  year) but without that category has 0 of it; a district the source does not list at
  all is **unknown**, not zero, for every indicator.
- Filters: ``min_population`` / ``max_population`` (the Population table, same year as
  the rate; districts with unknown population are left out when a population filter is
  set, and counted) and ``urban``: only districts whose capital is a "Ciudad" in INEI's
  capital category (``Territory.category``). That is a proxy: INEI's category is the
  capital's (Ciudad / Villa / Pueblo), not an urban share of the district.
- Gi* contiguity: queen neighbours among the district polygons (``Boundary``, tolerance
  1e-4 degrees, as the observatory's hot spots), computed among the districts kept by
  the filters. Districts without a polygon, without neighbours among those tested, or
  with a missing indicator are not tested (flagged with the reason).

Grid cells and custom polygons are not implemented yet (``NotImplementedError``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

UNITS = ("district", "grid", "polygons")
METHODS = ("minmax", "z")
URBAN_CATEGORY = "Ciudad"
HOMICIDE_CATEGORY = "homicidio"
BOUNDARY_TOLERANCE = 1e-4  # degrees: the simplified boundaries have slivers

# Hot spot classes of a unit.
HOT, COLD, NOT_SIGNIFICANT, NOT_TESTED = "hot", "cold", "not_significant", "not_tested"


class TargetingError(ValueError):
    """Parameters a run cannot use (unknown indicator, bad weight…): said to the user."""


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
    if method not in METHODS:
        raise TargetingError(f"unknown normalisation {method!r} (use 'minmax' or 'z')")
    if not values:
        raise TargetingError("at least one indicator is needed")
    if set(weights) != set(values):
        raise TargetingError("every indicator needs exactly one weight")
    directions = directions or {}
    for key, weight in weights.items():
        if not (isinstance(weight, int | float) and math.isfinite(weight) and weight >= 0):
            raise TargetingError(f"the weight of {key} must be a number not below 0")
        if directions.get(key, 1) not in (1, -1):
            raise TargetingError(f"the direction of {key} must be 1 or -1")
    total = float(sum(weights.values()))
    if total <= 0:
        raise TargetingError("the weights must not all be 0")

    arrays = {k: np.array(v, dtype=np.float64).ravel() for k, v in values.items()}
    lengths = {a.size for a in arrays.values()}
    if len(lengths) != 1:
        raise TargetingError("every indicator needs one value per unit")
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
        known = x[~absent]
        z = np.full(n, np.nan)
        if known.size == 0:
            location[key] = spread[key] = None
        elif method == "minmax":
            low, high = float(known.min()), float(known.max())
            location[key], spread[key] = low, high - low
            if high > low:
                scaled = (x - low) / (high - low)
                z = scaled if directions.get(key, 1) == 1 else 1.0 - scaled
            else:
                z = np.zeros(n)
        else:
            mean, sd = float(known.mean()), float(known.std())
            location[key], spread[key] = mean, sd
            z = (x - mean) / sd * directions.get(key, 1) if sd > 0 else np.zeros(n)
        z = np.where(absent, np.nan, z)
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


# ---------------------------------------------------------------------------------------
# Parameters.


@dataclass(frozen=True)
class IndicatorChoice:
    key: str  # "rate", "homicides", "count:<category code>"
    weight: float = 1.0
    direction: int = 1

    @classmethod
    def parse(cls, text: str) -> IndicatorChoice:
        """``rate``, ``rate:1``, ``homicides:2``, ``count:robo``, ``count:robo:0.5``."""
        parts = [p.strip() for p in text.strip().split(":")]
        weight = 1.0
        if len(parts) > 1:
            try:
                weight = float(parts[-1])
            except ValueError:
                pass
            else:
                parts = parts[:-1]
        key = ":".join(parts)
        check_indicator_key(key)
        return cls(key=key, weight=weight)


def check_indicator_key(key: str) -> None:
    if key in ("rate", "homicides"):
        return
    if key.startswith("count:") and key[6:]:
        return
    if key.startswith("survey:"):
        raise TargetingError(
            "survey indicators (victimisation…) are national figures with no district "
            "values: they cannot rank districts yet"
        )
    raise TargetingError(f"unknown indicator {key!r}: use rate, homicides or count:<category>")


@dataclass(frozen=True)
class TargetingParams:
    year: int
    indicators: tuple[IndicatorChoice, ...] = (IndicatorChoice("rate"),)
    unit: str = "district"
    method: str = "minmax"
    min_population: int | None = None
    max_population: int | None = None
    urban: bool = False
    q: float = 0.05  # false-discovery rate of the hot spots
    source: str | None = None  # observatory source code; default: the one indicators() picks
    cell_size_m: float | None = None  # for unit "grid" (not implemented yet)

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise TargetingError(f"unknown unit {self.unit!r}")
        if self.method not in METHODS:
            raise TargetingError(f"unknown normalisation {self.method!r}")
        if not self.indicators:
            raise TargetingError("choose at least one indicator")
        keys = [i.key for i in self.indicators]
        if len(set(keys)) != len(keys):
            raise TargetingError("each indicator may be chosen once")
        for choice in self.indicators:
            check_indicator_key(choice.key)
            if not (math.isfinite(choice.weight) and choice.weight >= 0):
                raise TargetingError(f"the weight of {choice.key} must be a number not below 0")
        if sum(i.weight for i in self.indicators) <= 0:
            raise TargetingError("the weights must not all be 0")
        if not 0 < self.q < 1:
            raise TargetingError("the false-discovery rate must be between 0 and 1")
        low, high = self.min_population, self.max_population
        if low is not None and high is not None and low > high:
            raise TargetingError("the minimum population is above the maximum")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["indicators"] = [asdict(i) for i in self.indicators]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TargetingParams:
        values = dict(data)
        values["indicators"] = tuple(IndicatorChoice(**i) for i in data["indicators"])
        return cls(**values)


# ---------------------------------------------------------------------------------------
# The result.


@dataclass
class TargetingResult:
    parameters: dict[str, Any]
    units: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    source: str | None
    population_year: int | None
    excluded: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The data the result was computed from (stored as the run's data snapshot).
    snapshot: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The results to store (the snapshot is stored on its own)."""
        return {
            "parameters": self.parameters,
            "units": self.units,
            "indicators": self.indicators,
            "source": self.source,
            "population_year": self.population_year,
            "excluded": self.excluded,
            "notes": self.notes,
        }

    def top(self, n: int | None) -> list[dict[str, Any]]:
        return self.units if n is None else self.units[:n]


def indicator_label(key: str, names: Mapping[str, str] | None = None) -> str:
    if key == "rate":
        return "Crimes per 100,000 inhabitants"
    if key == "homicides":
        return "Homicides"
    code = key.removeprefix("count:")
    return (names or {}).get(code, code)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def score(parameters: TargetingParams, snapshot: Mapping[str, Any]) -> TargetingResult:
    """Rank the units of ``snapshot`` (the data a run used) with ``parameters``: pure, so
    a stored run is reproduced from its own snapshot, with no database read."""
    from scipy import sparse

    from sinasec.observatory.hotspots import classify, gi_star

    units: list[dict[str, Any]] = list(snapshot["units"])
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
    if not units:
        result.notes.append("no unit left to rank")
        for choice in parameters.indicators:
            result.indicators.append(
                {**asdict(choice), "label": indicator_label(choice.key, names)}
            )
        return result
    values = {
        k: np.array([np.nan if u["values"].get(k) is None else u["values"][k] for u in units])
        for k in keys
    }
    composite = composite_index(
        values,
        {i.key: i.weight for i in parameters.indicators},
        {i.key: i.direction for i in parameters.indicators},
        parameters.method,
    )
    for choice in parameters.indicators:
        result.indicators.append(
            {
                **asdict(choice),
                "label": indicator_label(choice.key, names),
                "normalised_weight": composite.weights[choice.key],
                "location": composite.location[choice.key],
                "spread": composite.spread[choice.key],
                "missing": int(composite.missing[choice.key].sum()),
            }
        )

    # Gi* over the units with every value and a polygon, queen contiguity among them.
    n = len(units)
    complete = ~composite.any_missing
    reasons: list[str | None] = [None] * n
    index = {u["ubigeo"]: i for i, u in enumerate(units)}
    for i, unit in enumerate(units):
        if unit.get("neighbours") is None:
            reasons[i] = "no_boundary"
        elif not complete[i]:
            reasons[i] = "missing_data"
    candidates = [i for i in range(n) if reasons[i] is None]
    links = {
        i: [
            index[u]
            for u in units[i]["neighbours"]
            if u in index and reasons[index[u]] is None and index[u] != i
        ]
        for i in candidates
    }
    for i in candidates:
        if not links[i]:
            reasons[i] = "no_neighbour"
    tested = [i for i in candidates if links[i]]
    classes = [NOT_TESTED] * n
    z_scores: list[float | None] = [None] * n
    p_values: list[float | None] = [None] * n
    if len(tested) >= 3:
        position = {unit: j for j, unit in enumerate(tested)}
        rows = [position[i] for i in tested for _ in links[i]]
        cols = [position[k] for i in tested for k in links[i]]
        matrix = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(tested), len(tested))
        )
        matrix.data[:] = 1.0
        matrix = matrix.maximum(matrix.T).tocsr()
        y = composite.score[tested]
        # Gi*'s z-score does not change when a constant is added to every value, and Gi*
        # wants non-negative values: z-normalised scores are shifted to start at 0.
        y = y - min(0.0, float(y.min()))
        try:
            gi = gi_star(y, matrix)
        except ValueError as exc:
            result.notes.append(f"hot spots not computed: {exc}")
        else:
            labels = classify(gi, parameters.q)
            names_of = {1: HOT, -1: COLD, 0: NOT_SIGNIFICANT}
            for j, i in enumerate(tested):
                classes[i] = names_of[int(labels[j])]
                z_scores[i] = _finite(float(gi.z[j]))
                p_values[i] = _finite(float(gi.p[j]))
    else:
        result.notes.append("hot spots not computed: fewer than three units can be tested")
        for i in tested:
            reasons[i] = "too_few_units"

    order = sorted(range(n), key=lambda i: (-composite.score[i], units[i]["ubigeo"]))
    for rank, i in enumerate(order, start=1):
        unit = units[i]
        result.units.append(
            {
                "rank": rank,
                "ubigeo": unit["ubigeo"],
                "name": unit["name"],
                "score": float(composite.score[i]),
                "contributions": {k: float(composite.contributions[k][i]) for k in keys},
                "normalised": {k: _finite(float(composite.normalised[k][i])) for k in keys},
                "values": {k: unit["values"].get(k) for k in keys},
                "missing": [k for k in keys if composite.missing[k][i]],
                "population": unit.get("population"),
                "hotspot": classes[i],
                "not_tested_reason": reasons[i] if classes[i] == NOT_TESTED else None,
                "gi_z": z_scores[i],
                "gi_p": p_values[i],
            }
        )
    return result


# ---------------------------------------------------------------------------------------
# Data from the database.


def collect_district_data(parameters: TargetingParams) -> dict[str, Any]:
    """The per-district values the run uses, after the filters, with each district's
    queen neighbours among them (None without a polygon): the snapshot stored with the
    run. See the module's documentation for the rules."""
    from django.db.models import Sum

    from sinasec.observatory.indicators import _population, pick_source
    from sinasec.observatory.models import CrimeCategory, CrimeCount
    from sinasec.territories.models import Boundary, Level, Territory

    year = parameters.year
    categories = dict(CrimeCategory.objects.values_list("code", "name"))
    wanted = {
        HOMICIDE_CATEGORY if i.key == "homicides" else i.key.removeprefix("count:")
        for i in parameters.indicators
        if i.key != "rate"
    }
    unknown = sorted(wanted - set(categories))
    if unknown:
        raise TargetingError(f"unknown crime category: {', '.join(unknown)}")
    source = pick_source(year, parameters.source)
    if parameters.source and source is None:
        raise TargetingError(f"unknown source {parameters.source!r}")
    population_year, population = _population(year, 6)
    districts = list(
        Territory.objects.filter(level=Level.DISTRICT).values_list("ubigeo", "name", "category")
    )
    totals: dict[str, int] = {}
    by_category: dict[tuple[str, str | None], int] = {}
    if source is not None:
        rows = (
            CrimeCount.objects.filter(year=year, source=source, territory__isnull=False)
            .values_list("territory_id", "category__code")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for ubigeo, code, count in rows:
            if len(ubigeo) != 6:
                continue
            totals[ubigeo] = totals.get(ubigeo, 0) + count
            by_category[(ubigeo, code)] = by_category.get((ubigeo, code), 0) + count

    excluded = {"population_unknown": 0, "population_range": 0, "not_urban": 0}
    kept = []
    low, high = parameters.min_population, parameters.max_population
    for ubigeo, name, category in districts:
        people = population.get(ubigeo)
        if low is not None or high is not None:
            if people is None:
                excluded["population_unknown"] += 1
                continue
            if (low is not None and people < low) or (high is not None and people > high):
                excluded["population_range"] += 1
                continue
        if parameters.urban and category != URBAN_CATEGORY:
            excluded["not_urban"] += 1
            continue
        listed = ubigeo in totals
        values: dict[str, float | None] = {}
        for choice in parameters.indicators:
            if not listed:
                values[choice.key] = None
            elif choice.key == "rate":
                values[choice.key] = totals[ubigeo] * 100_000 / people if people else None
            else:
                code = (
                    HOMICIDE_CATEGORY
                    if choice.key == "homicides"
                    else choice.key.removeprefix("count:")
                )
                values[choice.key] = float(by_category.get((ubigeo, code), 0))
        kept.append(
            {
                "ubigeo": ubigeo,
                "name": name,
                "population": people,
                "capital_category": category,
                "listed_by_source": listed,
                "values": values,
                "neighbours": None,
            }
        )

    notes = []
    if source is None:
        notes.append(f"no crime counts for {year}: every value is unknown")
    if population_year is None:
        notes.append(f"no population within 3 years of {year}: rates are unknown")
    _add_neighbours(kept, Boundary)
    return {
        "unit": "district",
        "year": year,
        "source": source.code if source else None,
        "source_name": source.name if source else None,
        "is_demo": bool(source and source.is_demo),
        "population_year": population_year,
        "category_names": {c: categories[c] for c in sorted(wanted)},
        "excluded": excluded,
        "notes": notes,
        "units": kept,
    }


def _add_neighbours(units: list[dict[str, Any]], boundary_model: Any) -> None:
    from shapely.geometry import shape

    from sinasec.observatory.hotspots import queen_weights_from_polygons

    by_ubigeo = {u["ubigeo"]: u for u in units}
    polygons = list(
        boundary_model.objects.filter(territory_id__in=list(by_ubigeo)).values_list(
            "territory_id", "geometry"
        )
    )
    if not polygons:
        return
    ubigeos = [u for u, _g in polygons]
    weights = queen_weights_from_polygons(
        [shape(json.loads(g)) for _u, g in polygons], tolerance=BOUNDARY_TOLERANCE
    )
    for row, ubigeo in enumerate(ubigeos):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        by_ubigeo[ubigeo]["neighbours"] = sorted(ubigeos[k] for k in weights.indices[start:end])


def collect(parameters: TargetingParams) -> dict[str, Any]:
    if parameters.unit == "grid":
        raise NotImplementedError(
            "targeting by grid cells is not available yet: choose the district unit"
        )
    if parameters.unit == "polygons":
        raise NotImplementedError(
            "targeting by custom polygons is not available yet: choose the district unit"
        )
    return collect_district_data(parameters)


def run_targeting(parameters: TargetingParams) -> TargetingResult:
    """Collect the data and rank the units (the snapshot is ``result.snapshot``)."""
    return score(parameters, collect(parameters))


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
