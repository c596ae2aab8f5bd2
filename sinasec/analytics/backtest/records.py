"""The JSON of a backtest (``sinasec barrios backtest --json``), as typed dicts: see
``loop.BacktestResult.as_dict``."""

from __future__ import annotations

from typing import TypedDict

from sinasec.analytics.backtest.methods import OursParamsData, ProspectiveParamsData
from sinasec.analytics.backtest.metrics import ComparisonData, MethodScoreData


class ChosenParams(OursParamsData):
    validation_hit_rate: float | None  # of the chosen parameters, on the validation split


class CoverageData(TypedDict):
    coverage: float
    cells: int
    area_share: float
    best_hit_rate: float
    methods: dict[str, MethodScoreData]
    ours_params: ChosenParams
    prospective_params: ProspectiveParamsData
    comparison: ComparisonData  # ours against the best other method, paired bootstrap


PeriodData = TypedDict("PeriodData", {"from": str, "to": str})
CountedPeriod = TypedDict("CountedPeriod", {"from": str, "to": str, "incidents": int})


class ValidationData(TypedDict):
    fit: PeriodData
    validate: PeriodData


class GridSizeData(TypedDict):
    rows: int
    cols: int
    cells: int


class BootstrapData(TypedDict):
    resamples: int
    seed: int
    level: float


class RunData(TypedDict):
    """What a backtest ran on, beside its metrics."""

    train: CountedPeriod
    test: CountedPeriod
    validation: ValidationData | None
    cell_m: float
    grid: GridSizeData
    kde_bandwidth_cells: float
    skipped: int
    bootstrap: BootstrapData


class OneCoverageRun(CoverageData, RunData):
    """A backtest at one coverage: its metrics beside the run's description."""


class CoveragesRun(RunData):
    """A backtest at several coverages, keyed by the coverage (``"0.05"``)."""

    coverages: dict[str, CoverageData]
