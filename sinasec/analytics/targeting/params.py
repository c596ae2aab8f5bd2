"""The parameters of a targeting run (:class:`TargetingParams`), the indicators chosen
(:class:`IndicatorChoice`) and the error of every part of targeting
(:class:`TargetingError`, a code with parameters for the application to translate)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, ClassVar, cast

from sinasec.analytics.notes import AnalyticsError
from sinasec.analytics.targeting.types import TargetingParamsData

UNITS = ("district", "grid", "polygons")
METHODS = ("minmax", "z")
# Indicators that need a population, and so cannot rank grid cells.
NEEDS_POPULATION = ("rate",)


class TargetingError(AnalyticsError):
    """Parameters a run cannot use (unknown indicator, bad weight…): said to the user."""

    messages: ClassVar[Mapping[str, str]] = {
        "survey_indicator": (
            "survey indicators (victimisation…) are national figures with no district "
            "values: they cannot rank districts yet"
        ),
        "unknown_indicator": (
            "unknown indicator “%(key)s”: use rate, total, homicides or count:<category>"
        ),
        "unknown_unit": "unknown unit “%(unit)s”",
        "unknown_method": "unknown normalisation “%(m)s”",
        "no_indicator": "choose at least one indicator",
        "repeated_indicator": "each indicator may be chosen once",
        "negative_weight": "the weight of %(key)s must be a number not below 0",
        "zero_weights": "the weights must not all be 0",
        "bad_fdr": "the false-discovery rate must be between 0 and 1",
        "population_range": "the minimum population is above the maximum",
        "cell_size": "a grid needs a cell size between 50 and 50,000 metres",
        "grid_rate": (
            "grid cells have no population, so no rate: use total, homicides or count:<category>"
        ),
        "grid_filters": "population and urban filters apply to districts, not cells",
        # Only a programmer calling composite_index directly meets these.
        "composite_method": "unknown normalisation %(method)r (use 'minmax' or 'z')",
        "composite_empty": "at least one indicator is needed",
        "composite_weights": "every indicator needs exactly one weight",
        "composite_direction": "the direction of %(key)s must be 1 or -1",
        "composite_lengths": "every indicator needs one value per unit",
    }


# ---------------------------------------------------------------------------------------
# Parameters.


@dataclass(frozen=True)
class IndicatorChoice:
    key: str  # "rate", "total", "homicides", "count:<category code>"
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
    if key in ("rate", "total", "homicides"):
        return
    if key.startswith("count:") and key[6:]:
        return
    if key.startswith("survey:"):
        raise TargetingError("survey_indicator")
    raise TargetingError("unknown_indicator", key=key)


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
    cell_size_m: float | None = None  # the side of a grid cell, in metres
    # A territory (ubigeo of a department, province or district) that bounds a grid or
    # the incidents counted in custom polygons; None: every incident of the year.
    area: str | None = None
    # Custom polygons: "barrios" (every barrio with a boundary) or the name of the
    # GeoJSON file they came from (the polygons themselves are in the data snapshot).
    polygons: str | None = None
    # Count the incidents whose point is forced onto a police station or a centroid (or
    # missing: never on a map) too; by default the grid and polygons leave them out.
    include_forced: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise TargetingError("unknown_unit", unit=self.unit)
        if self.unit == "grid":
            self._check_grid()
        if self.method not in METHODS:
            raise TargetingError("unknown_method", m=self.method)
        if not self.indicators:
            raise TargetingError("no_indicator")
        keys = [i.key for i in self.indicators]
        if len(set(keys)) != len(keys):
            raise TargetingError("repeated_indicator")
        for choice in self.indicators:
            check_indicator_key(choice.key)
            if not (math.isfinite(choice.weight) and choice.weight >= 0):
                raise TargetingError("negative_weight", key=choice.key)
        if sum(i.weight for i in self.indicators) <= 0:
            raise TargetingError("zero_weights")
        if not 0 < self.q < 1:
            raise TargetingError("bad_fdr")
        low, high = self.min_population, self.max_population
        if low is not None and high is not None and low > high:
            raise TargetingError("population_range")

    def _check_grid(self) -> None:
        size = self.cell_size_m
        if size is None or not (math.isfinite(size) and 50 <= size <= 50_000):
            raise TargetingError("cell_size")
        for choice in self.indicators:
            if choice.key in NEEDS_POPULATION:
                raise TargetingError("grid_rate")
        if self.min_population is not None or self.max_population is not None or self.urban:
            raise TargetingError("grid_filters")

    def as_dict(self) -> TargetingParamsData:
        data = asdict(self)
        data["indicators"] = [asdict(i) for i in self.indicators]
        return cast(TargetingParamsData, data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TargetingParams:
        values = dict(data)
        values["indicators"] = tuple(IndicatorChoice(**i) for i in data["indicators"])
        return cls(**values)
