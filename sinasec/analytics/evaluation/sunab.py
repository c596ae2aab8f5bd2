"""Event studies with staggered adoption: Sun & Abraham's interaction-weighted estimator
(:func:`sun_abraham`) and, for comparison, the ordinary TWFE event study
(:func:`twfe_event_study`).

The TWFE event study pools all cohorts in one coefficient per event time; when effects
differ between cohorts, each coefficient picks up effects of *other* event times
(Sun & Abraham 2021, proposition 3), so even its "pre-trends" can be contaminated.
Sun & Abraham estimate one coefficient per cohort and event time, ``delta_{g,e}``,
against a clean control cohort (the never treated, or the last treated cohort before it
starts), and average them per event time with the cohorts' shares of the cell's
observations. Standard errors are clustered by unit and treat the shares as fixed (as
``fixest::sunab`` does). The period before treatment (``e = -1``) is the reference.
Pure NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sinasec.analytics.evaluation.fixed_effects import TwoWayFit, long_rows, two_way_fit
from sinasec.analytics.evaluation.panel import FloatArray
from sinasec.analytics.evaluation.staggered import (
    Control,
    PanelError,
    StaggeredPanel,
    check_controls,
)


@dataclass(frozen=True)
class EventStudy:
    """Per event time ``e`` (``-1`` left out: the reference) the estimate, its clustered
    standard error and covariance; ``cells`` the cohort x event-time coefficients
    (``(g, e, estimate, se)``; empty for the pooled TWFE event study); ``att`` the
    average post-treatment effect weighted by observations, with ``se``."""

    event_time: FloatArray
    estimate: FloatArray
    covariance: FloatArray
    cells: list[tuple[int, int, float, float]]
    att: float
    se: float
    df_resid: int

    @property
    def event_se(self) -> FloatArray:
        return np.asarray(np.sqrt(np.clip(np.diag(self.covariance), 0.0, None)))

    def pretrend(self) -> dict[str, float | int | None]:
        """Wald F test that the pre-treatment coefficients (``e < -1``) are all 0."""
        pre = self.event_time < -1
        if not pre.any():
            return {"statistic": None, "df": 0, "p_value": None}
        v = self.covariance[np.ix_(pre, pre)]
        rank = int(np.linalg.matrix_rank(v))
        if not rank:
            return {"statistic": None, "df": 0, "p_value": None}
        theta = self.estimate[pre]
        statistic = float(theta @ np.linalg.pinv(v) @ theta) / rank
        p = float(stats.f.sf(statistic, rank, self.df_resid))
        return {"statistic": statistic, "df": rank, "p_value": p}


def _sample(panel: StaggeredPanel, control: Control) -> tuple[np.ndarray, ...]:
    """The observations and the cohort each one is estimated for (``inf`` for the
    control units). With ``control='not-yet'`` the last treated cohort is a control
    and the periods from its start on are dropped (Sun & Abraham, section 4)."""
    if control == "never":
        check_controls(panel, "never")
    unit, period, y = long_rows(panel)
    cohort = panel.cohort[unit].copy()
    time = panel.periods[period]
    if control == "not-yet":
        last = panel.groups[-1]
        if panel.groups.size == 1 and np.isfinite(panel.cohort).all():
            raise PanelError("panel_no_not_yet_treated", cohort=int(last), period=int(last))
        keep = time < last
        unit, period, y, cohort, time = (a[keep] for a in (unit, period, y, cohort, time))
        cohort[cohort == last] = math.inf
    _, unit = np.unique(unit, return_inverse=True)
    _, period = np.unique(period, return_inverse=True)
    return unit, period, y, cohort, time


def sun_abraham(panel: StaggeredPanel, *, control: Control = "never") -> EventStudy:
    """Sun & Abraham's interaction-weighted event study (see the module docstring)."""
    unit, period, y, cohort, time = _sample(panel, control)
    treated = np.isfinite(cohort)
    event = np.where(treated, time - np.where(treated, cohort, 0), 0).astype(np.int64)
    has = treated & (event != -1)
    cells = sorted({(int(g), int(e)) for g, e in zip(cohort[has], event[has], strict=True)})
    index = {cell: c for c, cell in enumerate(cells)}
    columns = np.zeros((y.size, len(cells)))
    rows = np.flatnonzero(has)
    columns[rows, [index[(int(cohort[r]), int(event[r]))] for r in rows]] = 1.0
    fit = two_way_fit(unit, period, y, columns)
    counts = columns.sum(axis=0)
    events = np.asarray(sorted({e for _, e in cells}), dtype=np.float64)
    weights = np.zeros((events.size, len(cells)))
    for c, (_, e) in enumerate(cells):
        weights[int(np.searchsorted(events, e)), c] = counts[c]
    weights /= weights.sum(axis=1, keepdims=True)
    post = np.asarray([e >= 0 for _, e in cells]) * counts
    se = fit.se
    return EventStudy(
        event_time=events,
        estimate=weights @ fit.coefficients,
        covariance=weights @ fit.covariance @ weights.T,
        cells=[
            (g, e, float(b), float(s))
            for (g, e), b, s in zip(cells, fit.coefficients, se, strict=True)
        ],
        df_resid=fit.df_resid,
        **_overall(fit, post / post.sum()),
    )


def twfe_event_study(panel: StaggeredPanel) -> EventStudy:
    """The ordinary TWFE event study: one pooled dummy per event time (no binning), the
    never treated and the not-yet treated as implicit controls."""
    unit, period, y = long_rows(panel)
    cohort = panel.cohort[unit]
    treated = np.isfinite(cohort)
    event = np.where(treated, panel.periods[period] - np.where(treated, cohort, 0), 0)
    has = treated & (event != -1)
    events = np.unique(event[has]).astype(np.float64)
    columns = np.zeros((y.size, events.size))
    rows = np.flatnonzero(has)
    columns[rows, np.searchsorted(events, event[rows])] = 1.0
    fit = two_way_fit(unit, period, y, columns)
    post = (events >= 0) * columns.sum(axis=0)
    return EventStudy(
        event_time=events,
        estimate=fit.coefficients,
        covariance=fit.covariance,
        cells=[],
        df_resid=fit.df_resid,
        **_overall(fit, post / post.sum()),
    )


def _overall(fit: TwoWayFit, weights: FloatArray) -> dict[str, float]:
    """The weighted average of the coefficients and its standard error."""
    att = float(weights @ fit.coefficients)
    se = math.sqrt(max(0.0, float(weights @ fit.covariance @ weights)))
    return {"att": att, "se": se}
