"""Backtesting the targeting: train on one period, test on a later one.

Pure functions over NumPy arrays (no Django), in the style of
:mod:`sinasec.analytics.hotspots`. This module runs a backtest; its parts live beside
it: :mod:`~sinasec.analytics.backtest.data` (periods, the incidents as arrays),
:mod:`~sinasec.analytics.backtest.methods` (the methods' scores: ``ours`` and the
baselines ``previous``, ``kde`` and ``random``) and
:mod:`~sinasec.analytics.backtest.metrics` (the selection of the top cells; hit rate, PAI
and PEI). Their public names are importable from here too. Reading a file of incidents
and backtesting it is :func:`sinasec.incidents.backtest.backtest`.

The question a backtest answers: had we chosen the cells to patrol with the data of the
training period, how many of the next period's incidents would have happened in them?
Every method ranks the cells of one grid by a score computed from the training
incidents only; the top cells covering a given share of the area (the *coverage*, as a
share of the grid's cells) are "selected" and scored against the test incidents by hit
rate, PAI and PEI.

The grid: incidents of both periods are projected to metres with the local projection
of :func:`sinasec.analytics.grid.project` (centred on their mean point) and binned with
:func:`~sinasec.analytics.hotspots.grid_counts` over their bounding box into square
cells of ``cell_m`` metres; the area is that box. Ties in a ranking are broken by the cell
number (row by row from the north-west corner), so the same data give the same selection.

``ours``'s four parameters are chosen here, for each coverage, by their hit rate on a
validation split of the training period only (the last ``L`` days, ``L`` the length of
the test period, at most half the training period), then refitted on the whole
training period; :mod:`~sinasec.analytics.backtest.methods` says why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np

from sinasec.analytics.backtest.data import (
    BacktestError,
    BoolArray,
    FloatArray,
    IntArray,
    Period,
    Points,
    check_periods,
    day_number,
    parse_period,
)
from sinasec.analytics.backtest.methods import (
    BANDWIDTHS,
    BLENDS,
    DEFAULT_KDE_BANDWIDTH,
    DEFAULT_PARAMS,
    DEFAULT_PROSPECTIVE,
    HALF_LIVES,
    METHODS,
    OursParams,
    ProspectiveParams,
    Surfaces,
    candidate_params,
    gaussian_smooth,
    kde_scores,
    ours_scores,
    prospective_candidates,
    prospective_scores,
)
from sinasec.analytics.backtest.metrics import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    Comparison,
    MethodScore,
    best_hits,
    bootstrap_hits,
    cell_count,
    compare,
    evaluate_selection,
    interval,
    top_cells,
)
from sinasec.analytics.backtest.records import (
    CountedPeriod,
    CoverageData,
    CoveragesRun,
    OneCoverageRun,
    PeriodData,
    RunData,
)
from sinasec.analytics.grid import project
from sinasec.analytics.hotspots import GridTransform, grid_counts

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
    "backtest_points",
    "best_hits",
    "candidate_params",
    "cell_count",
    "day_number",
    "evaluate_selection",
    "gaussian_smooth",
    "kde_scores",
    "ours_scores",
    "parse_period",
    "top_cells",
]

DEFAULT_MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class CoverageResult:
    coverage: float
    cells: int  # selected
    area_share: float
    best_hit_rate: float
    methods: dict[str, MethodScore]
    ours_params: OursParams
    validation_hit_rate: float | None  # of the chosen parameters, on the validation split
    prospective_params: ProspectiveParams
    comparison: Comparison  # ours against the best other method

    def as_dict(self) -> CoverageData:
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
            "prospective_params": self.prospective_params.as_dict(),
            "comparison": self.comparison.as_dict(),
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
    resamples: int
    seed: int
    train_counts: IntArray = field(repr=False)  # the grid of training incidents
    test_counts: IntArray = field(repr=False)  # the grid of test incidents

    @property
    def n_cells(self) -> int:
        return self.grid.n_rows * self.grid.n_cols

    def as_dict(self) -> OneCoverageRun | CoveragesRun:
        """The CLI's JSON: with one coverage, ``{"methods": {...}, ...}`` (the metrics at
        that coverage beside the run's description); with several, the same per
        coverage under ``"coverages"`` keyed by the coverage (``"0.05"``)."""
        data: RunData = {
            "train": _counted(self.train, self.train_incidents),
            "test": _counted(self.test, self.test_incidents),
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
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "level": 0.95},
        }
        if len(self.coverages) == 1:
            one: OneCoverageRun = {**self.coverages[0].as_dict(), **data}
            return one
        return {
            "coverages": {_coverage_key(c.coverage): c.as_dict() for c in self.coverages},
            **data,
        }


def _period_dict(period: Period) -> PeriodData:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def _counted(period: Period, incidents: int) -> CountedPeriod:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "incidents": incidents}


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
    surfaces: Surfaces,
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
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> BacktestResult:
    """Backtest every method on ``points`` (incidents of any dates: those outside the two
    periods are ignored): the grid, the scores, the selections and the metrics at each
    coverage, each hit rate with its bootstrap interval over the test incidents
    (``resamples`` resamples drawn with ``seed``). Raises :class:`BacktestError` on bad periods, cell size, coverage or when a
    period has no incidents."""
    coverages = _checked(train, test, cell_m, kde_bandwidth, coverages)
    lat, lon, day, in_train, in_test = _in_periods(points, train, test)
    origin = (float(lat.mean()), float(lon.mean()))
    x, y = project(lat, lon, *origin)
    bounds = _bounds(x, y, cell_m, max_cells)
    train_counts, transform = grid_counts(x[in_train], y[in_train], cell_m, bounds)
    test_counts, _ = grid_counts(x[in_test], y[in_test], cell_m, bounds)
    shape = (transform.n_rows, transform.n_cols)
    cells = _cell_index(x, y, transform)
    # ours: the validation split of the training period, then the refit on all of it.
    split, validation = _validation(train, test, cells, day, in_train, shape)
    previous = train_counts.astype(np.float64)
    scores = _Scores(
        candidates=candidate_params(kde_bandwidth),
        validation=validation,
        surfaces=Surfaces(cells[in_train], day_number(train.end) - day[in_train], shape),
        previous=previous,
        kde=kde_scores(previous, kde_bandwidth),
        prospective=_ProspectiveFit(
            validation, cells[in_train], day_number(train.end) - day[in_train]
        ),
        resamples=resamples,
        seed=seed,
    )
    n_test = int(in_test.sum())
    return BacktestResult(
        train=train,
        test=test,
        validation=split,
        cell_m=float(cell_m),
        kde_bandwidth=float(kde_bandwidth),
        grid=transform,
        origin=origin,
        train_incidents=int(in_train.sum()),
        test_incidents=n_test,
        skipped=points.skipped,
        coverages=[_at_coverage(c, scores, test_counts, n_test) for c in coverages],
        resamples=resamples,
        seed=seed,
        train_counts=train_counts,
        test_counts=test_counts,
    )


def _checked(
    train: Period, test: Period, cell_m: float, kde_bandwidth: float, coverages: Sequence[float]
) -> list[float]:
    """The coverages, once each in order, after checking every argument."""
    check_periods(train, test)
    if not (cell_m > 0 and math.isfinite(cell_m)):
        raise BacktestError("the cell size must be a positive number of metres")
    if not (kde_bandwidth > 0 and math.isfinite(kde_bandwidth)):
        raise BacktestError("the KDE bandwidth must be a positive number of cells")
    unique = list(dict.fromkeys(float(c) for c in coverages))
    if not unique:
        raise BacktestError("give at least one coverage")
    for coverage in unique:
        cell_count(coverage, 1)  # checks the range
    return unique


def _in_periods(
    points: Points, train: Period, test: Period
) -> tuple[FloatArray, FloatArray, IntArray, BoolArray, BoolArray]:
    """Latitude, longitude and day of the incidents of either period, and which are in
    the training and which in the test period."""
    day = np.asarray(points.day, dtype=np.int64)
    in_train = (day >= day_number(train.start)) & (day <= day_number(train.end))
    in_test = (day >= day_number(test.start)) & (day <= day_number(test.end))
    if not in_train.any():
        raise BacktestError(f"no incidents in the training period ({train})")
    if not in_test.any():
        raise BacktestError(f"no incidents in the test period ({test})")
    used = in_train | in_test
    lat = np.asarray(points.lat, dtype=np.float64)[used]
    lon = np.asarray(points.lon, dtype=np.float64)[used]
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise BacktestError("coordinates must be finite numbers")
    return lat, lon, day[used], in_train[used], in_test[used]


def _bounds(
    x: FloatArray, y: FloatArray, cell_m: float, max_cells: int
) -> tuple[float, float, float, float]:
    """The box of the projected incidents, when a grid of ``cell_m`` over it is not too
    large."""
    bounds = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    n_cells = max(1, math.ceil((bounds[2] - bounds[0]) / cell_m)) * max(
        1, math.ceil((bounds[3] - bounds[1]) / cell_m)
    )
    if n_cells > max_cells:
        raise BacktestError(
            f"{n_cells:,} cells of {cell_m:g} m: choose larger cells or a smaller area"
            f" (at most {max_cells:,})"
        )
    return bounds


def _validation(
    train: Period,
    test: Period,
    cells: IntArray,
    day: IntArray,
    in_train: BoolArray,
    shape: tuple[int, int],
) -> tuple[tuple[Period, Period] | None, tuple[Surfaces, FloatArray] | None]:
    """The validation split of the training period, and the surfaces fitted on its first
    part with the counts of its second (None when it cannot be split or a part has no
    incidents)."""
    split = _validation_split(train, test)
    if split is None:
        return None, None
    fit_end = day_number(split[0].end)
    in_fit = in_train & (day <= fit_end)
    in_validate = in_train & (day > fit_end)
    if not (in_fit.any() and in_validate.any()):
        return None, None
    fit_surfaces = Surfaces(cells[in_fit], fit_end - day[in_fit], shape)
    n_cells = shape[0] * shape[1]
    validate_counts = np.bincount(cells[in_validate], minlength=n_cells).astype(np.float64)
    return split, (fit_surfaces, validate_counts)


@dataclass(frozen=True, eq=False)
class _Scores:
    """What every coverage selects from: ``ours``'s candidates, its validation (fitted
    surfaces and the validation counts) and refitted surfaces, and the baselines."""

    candidates: list[OursParams]
    validation: tuple[Surfaces, FloatArray] | None
    surfaces: Surfaces
    previous: FloatArray
    kde: FloatArray
    prospective: _ProspectiveFit
    resamples: int
    seed: int


class _ProspectiveFit:
    """``prospective``'s candidates scored on the validation split (fitted on its first
    part, cached across coverages) and its refit on the whole training period: only
    the training incidents' cells and ages ever reach it."""

    def __init__(
        self,
        validation: tuple[Surfaces, FloatArray] | None,
        cells: IntArray,
        age_days: IntArray,
    ):
        self.validation = validation
        self.cells = cells
        self.age = age_days
        self._fit: dict[ProspectiveParams, FloatArray] = {}

    def choose(self, k: int) -> ProspectiveParams:
        if self.validation is None:
            return DEFAULT_PROSPECTIVE
        surfaces, validate_counts = self.validation
        flat = validate_counts.ravel()
        best: tuple[ProspectiveParams, float] | None = None
        for params in prospective_candidates():
            if params not in self._fit:
                self._fit[params] = prospective_scores(
                    surfaces.cells, surfaces.age, surfaces.shape, params
                )
            rate = float(flat[top_cells(self._fit[params], k)].sum())
            if best is None or rate > best[1]:
                best = (params, rate)
        assert best is not None
        return best[0]

    def scores(self, params: ProspectiveParams, shape: tuple[int, int]) -> FloatArray:
        return prospective_scores(self.cells, self.age, shape, params)


def _at_coverage(
    coverage: float, scores: _Scores, test_counts: IntArray, n_test: int
) -> CoverageResult:
    """Every method's selection at ``coverage``, scored against the test incidents."""
    n_cells = test_counts.size
    test_flat = test_counts.ravel()
    k = cell_count(coverage, n_cells)
    best = best_hits(test_counts, k)

    def score_of(selected: IntArray) -> MethodScore:
        return evaluate_selection(float(test_flat[selected].sum()), n_test, k, n_cells, best)

    if scores.validation is not None:
        params, validation_rate = _choose(scores.candidates, *scores.validation, k)
    else:
        params, validation_rate = DEFAULT_PARAMS, None
    ours, first = scores.surfaces.score(params)
    prospective_params = scores.prospective.choose(k)
    prospective = scores.prospective.scores(prospective_params, scores.surfaces.shape)
    selections = {
        "ours": top_cells(ours, k, first),
        "prospective": top_cells(prospective, k),
        "previous": top_cells(scores.previous, k),
        "kde": top_cells(scores.kde, k),
    }
    samples = bootstrap_hits(test_counts, selections, scores.resamples, scores.seed)
    methods = {
        name: replace(score_of(selected), ci=interval(samples[name]))
        for name, selected in selections.items()
    }
    # The expectation over uniform draws of k cells: k / n of every test incident (all
    # inside the grid); an expectation has no sampling noise to resample.
    rate = k / n_cells
    methods["random"] = replace(
        evaluate_selection(n_test * rate, n_test, k, n_cells, best), ci=(rate, rate)
    )
    rates = {name: m.hit_rate for name, m in methods.items()}
    rival = max((n for n in METHODS if n != "ours"), key=lambda n: rates[n])
    return CoverageResult(
        coverage=float(coverage),
        cells=k,
        area_share=k / n_cells,
        best_hit_rate=best / n_test,
        methods=methods,
        ours_params=params,
        validation_hit_rate=validation_rate,
        prospective_params=prospective_params,
        comparison=compare("ours", rival, rates, samples),
    )
