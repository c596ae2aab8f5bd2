"""Two-way fixed-effects least squares for the staggered estimators: unit effects
absorbed by the within transformation, period dummies and the caller's columns, with
standard errors clustered by unit. Used by :mod:`~sinasec.analytics.evaluation.sunab`
and :mod:`~sinasec.analytics.evaluation.bacon`. Pure NumPy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sinasec.analytics.evaluation.panel import FloatArray, IntArray
from sinasec.analytics.evaluation.staggered import PanelError, StaggeredPanel


@dataclass(frozen=True)
class TwoWayFit:
    """The coefficients of the caller's columns, their clustered covariance (CRV1 with
    Stata's small-sample factor, counting the unit effects as parameters) and the
    degrees of freedom for inference (clusters minus one)."""

    coefficients: FloatArray
    covariance: FloatArray
    df_resid: int

    @property
    def se(self) -> FloatArray:
        return np.asarray(np.sqrt(np.clip(np.diag(self.covariance), 0.0, None)))


def long_rows(panel: StaggeredPanel) -> tuple[IntArray, IntArray, FloatArray]:
    """The observed cells of a wide panel as ``(unit index, period index, outcome)``."""
    unit, period = np.nonzero(~np.isnan(panel.outcome))
    return unit.astype(np.int64), period.astype(np.int64), panel.outcome[unit, period]


def two_way_fit(
    unit: IntArray, period: IntArray, outcome: FloatArray, columns: FloatArray
) -> TwoWayFit:
    """OLS of ``outcome`` on unit effects, period effects and ``columns`` (one row per
    observation). Raises :class:`PanelError` when ``columns`` are not identified."""
    n = outcome.size
    n_units = int(unit.max()) + 1
    n_periods = int(period.max()) + 1
    dummies = np.zeros((n, n_periods - 1))
    later = period > 0
    dummies[np.flatnonzero(later), period[later] - 1] = 1.0
    design = np.column_stack([columns, dummies])
    size = np.bincount(unit, minlength=n_units).astype(np.float64)

    def within(values: FloatArray) -> FloatArray:
        sums = np.zeros((n_units, *values.shape[1:]))
        np.add.at(sums, unit, values)
        return values - (sums / size.reshape((-1,) + (1,) * (values.ndim - 1)))[unit]

    x = within(design)
    y = within(outcome)
    k = design.shape[1]
    if n <= n_units + k or np.linalg.matrix_rank(x) < k:
        raise PanelError("panel_not_identified")
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ x.T @ y
    residual = y - x @ beta
    scores = np.zeros((n_units, k))
    np.add.at(scores, unit, x * residual[:, None])
    factor = n_units / (n_units - 1) * (n - 1) / (n - n_units - k)
    covariance = factor * bread @ (scores.T @ scores) @ bread
    m = columns.shape[1]
    return TwoWayFit(beta[:m], covariance[:m, :m], n_units - 1)
