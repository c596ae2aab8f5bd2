"""Callaway & Sant'Anna (2021): difference in differences with staggered adoption that
stays unbiased when effects differ between cohorts and change over time.

:func:`group_time_att` estimates every ATT(g, t), the average effect in period ``t`` on
the units first treated in ``g``, each from a clean 2x2 comparison: the cohort's change
since its last untreated period against the change of units that are never treated
(``control='never'``) or not yet treated in ``t`` (``'not-yet'``). Already-treated units
are never used as controls, which is what biases two-way fixed effects (see
:mod:`~sinasec.analytics.evaluation.bacon`). Without covariates each ATT(g, t) is a
difference of mean changes; with covariates it is the outcome-regression estimator
(Heckman, Ichimura & Todd 1997; ``est_method='reg'`` of R's ``did``): the controls'
change is predicted from the covariates at the earlier of the two periods.

:func:`aggregate` averages them as R's ``did::aggte`` does (simple, by group, by event
time, by calendar time, with cohort-size weights) and :func:`uniform_band` draws a
seeded multiplier bootstrap for simultaneous bands. Standard errors come from the
influence functions (clustered by unit), including the estimation of the cohort-size
weights; with the same options they equal R's ``did`` / the Python ``csdid`` package
with ``bstrap=False`` (a test checks it to 1e-6). Pure functions over NumPy arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from sinasec.analytics.evaluation.panel import FloatArray
from sinasec.analytics.evaluation.staggered import (
    Control,
    PanelError,
    StaggeredPanel,
    check_controls,
)

BasePeriod = Literal["varying", "universal"]
Aggregation = Literal["simple", "group", "event", "calendar"]
Weights = Literal["mammen", "rademacher"]


@dataclass(frozen=True)
class GroupTime:
    """Every ATT(g, t): ``group[k]``, ``time[k]``, ``att[k]`` with its influence function
    ``influence[:, k]`` (one value per unit; the standard error is
    ``sqrt(sum(influence[:, k] ** 2)) / n_units``). ``cohort`` is each unit's cohort
    (``inf`` for the never treated), used for the aggregation weights."""

    group: FloatArray
    time: FloatArray
    att: FloatArray
    influence: FloatArray
    cohort: FloatArray
    control: Control
    base_period: BasePeriod

    @property
    def n_units(self) -> int:
        return int(self.cohort.size)

    @property
    def se(self) -> FloatArray:
        return standard_errors(self.influence)


def standard_errors(influence: FloatArray) -> FloatArray:
    """Standard errors from influence functions (units in rows), as R's ``did``."""
    n = influence.shape[0]
    return np.asarray(np.sqrt(np.sum(influence**2, axis=0)) / n, dtype=np.float64)


def group_time_att(
    panel: StaggeredPanel,
    *,
    control: Control = "never",
    base_period: BasePeriod = "varying",
    covariates: bool = False,
) -> GroupTime:
    """ATT(g, t) for every treated cohort ``g`` and period ``t`` but the first.

    After treatment (``t >= g``) the base period is the cohort's last untreated period;
    before it, the previous period (``base_period='varying'``, short differences: a
    pre-trend check) or also the last untreated one (``'universal'``, long differences;
    the cell ``t = g - 1`` is then 0 by construction, as in R's ``did``). Not-yet-treated
    controls are the units first treated after ``max(t, base)`` (and the never treated),
    other than the cohort itself. ``covariates`` uses the panel's covariates (outcome
    regression). On an unbalanced panel each cell uses the units observed in both of its
    periods. Raises :class:`PanelError` when a cohort has no controls or the covariates
    are collinear."""
    if control not in ("never", "not-yet"):
        raise ValueError(f"control must be 'never' or 'not-yet', not {control!r}")
    if base_period not in ("varying", "universal"):
        raise ValueError(f"base_period must be 'varying' or 'universal', not {base_period!r}")
    if covariates and panel.covariates is None:
        raise ValueError("the panel has no covariates")
    check_controls(panel, control)
    periods, cohort, y = panel.periods, panel.cohort, panel.outcome
    n = panel.n_units
    groups, times, atts, columns = [], [], [], []
    for g in panel.groups:
        last_untreated = int(np.flatnonzero(periods < g)[-1])
        for j in range(0 if base_period == "universal" else 1, periods.size):
            t = periods[j]
            base = last_untreated if t >= g or base_period == "universal" else j - 1
            if base == j:  # universal base: the reference cell itself
                att, influence = 0.0, np.zeros(n)
            else:
                later = periods[max(j, base)]
                if control == "never":
                    controls = ~np.isfinite(cohort)
                else:
                    controls = (cohort > later) & (cohort != g)
                change = y[:, j] - y[:, base]
                if not np.isfinite(change[cohort == g]).any():
                    continue  # unbalanced: no unit of the cohort observed in both periods
                if not np.isfinite(change[controls]).any():
                    code = (
                        "panel_no_never_treated"
                        if control == "never"
                        else "panel_no_not_yet_treated"
                    )
                    raise PanelError(code, cohort=int(g), period=int(t))
                x = panel.covariates[:, min(j, base), :] if covariates else None  # type: ignore[index]
                att, influence = _cell(change, cohort == g, controls, x, (g, t))
            groups.append(g)
            times.append(float(t))
            atts.append(att)
            columns.append(influence)
    return GroupTime(
        group=np.asarray(groups, dtype=np.float64),
        time=np.asarray(times, dtype=np.float64),
        att=np.asarray(atts, dtype=np.float64),
        influence=np.column_stack(columns) if columns else np.zeros((n, 0)),
        cohort=cohort,
        control=control,
        base_period=base_period,
    )


def _cell(
    change: FloatArray,
    treated: np.ndarray,
    controls: np.ndarray,
    x: FloatArray | None,
    where: tuple[float, float],
) -> tuple[float, FloatArray]:
    """One 2x2 ATT and its influence function over all the units: the outcome
    regression estimator of DRDID's ``reg_did_panel`` (an intercept only without
    covariates: the difference of mean changes)."""
    n = change.size
    rows = (treated | controls) & np.isfinite(change)
    dy = change[rows]
    d = treated[rows].astype(np.float64)
    n_cell = dy.size
    design = np.ones((n_cell, 1)) if x is None else np.column_stack([np.ones(n_cell), x[rows]])
    control_rows = d == 0
    xpx = design[control_rows].T @ design[control_rows] / n_cell
    if np.linalg.matrix_rank(xpx) < design.shape[1]:
        raise PanelError("panel_covariates_singular", cohort=int(where[0]), period=int(where[1]))
    beta = np.linalg.solve(xpx * n_cell, design[control_rows].T @ dy[control_rows])
    predicted = design @ beta
    share = d.mean()
    eta_treated = np.mean(d * dy) / share
    eta_control = np.mean(d * predicted) / share
    # Influence of the regression coefficients (fitted on the controls) on the ATT.
    ols = ((1 - d) * (dy - predicted))[:, None] * design @ np.linalg.inv(xpx)
    leverage = ols @ np.mean(d[:, None] * design, axis=0)
    inf_treated = (d * dy - d * eta_treated) / share
    inf_control = (d * predicted - d * eta_control + leverage) / share
    influence = np.zeros(n)
    influence[rows] = n / n_cell * (inf_treated - inf_control)
    return float(eta_treated - eta_control), influence


@dataclass(frozen=True)
class Aggregate:
    """An aggregation of the ATT(g, t): one estimate per ``index`` value (the group,
    event time or calendar period; empty for ``'simple'``), their influence functions
    (``influence[:, k]``) and the overall average ``att`` with its ``influence_overall``
    as R's ``did::aggte`` defines it."""

    kind: Aggregation
    index: FloatArray
    att: FloatArray
    influence: FloatArray
    overall: float
    influence_overall: FloatArray

    @property
    def se(self) -> FloatArray:
        return standard_errors(self.influence)

    @property
    def overall_se(self) -> float:
        return float(standard_errors(self.influence_overall[:, None])[0])


def aggregate(gt: GroupTime, kind: Aggregation) -> Aggregate:
    """Average the ATT(g, t) with the weights of R's ``did::aggte``.

    ``'simple'``: every post-treatment cell weighted by its cohort's size. ``'group'``:
    each cohort's mean over its post-treatment periods, overall weighted by cohort
    size. ``'event'``: each event time ``e = t - g`` weighted by cohort size (pre-periods
    included), overall the mean over ``e >= 0``. ``'calendar'``: each period's
    post-treatment cells weighted by cohort size, overall their mean. The influence
    functions include the estimation of the weights (cohort shares)."""
    share = np.asarray([np.mean(gt.cohort == g) for g in gt.group])
    post = gt.group <= gt.time
    n = gt.n_units
    if kind == "simple":
        simple, simple_if = _weighted(gt, post, share)
        return Aggregate(kind, np.zeros(0), np.zeros(0), np.zeros((n, 0)), simple, simple_if)
    if kind == "group":
        index = np.unique(gt.group)
        masks = [post & (gt.group == g) for g in index]
    elif kind == "event":
        index = np.unique(gt.time - gt.group)
        masks = [(gt.time - gt.group) == e for e in index]
    elif kind == "calendar":
        index = np.unique(gt.time[gt.time >= gt.group.min()])
        masks = [post & (gt.time == t) for t in index]
    else:
        raise ValueError(f"unknown aggregation {kind!r}")
    parts = [_weighted(gt, mask, share) for mask in masks]
    att = np.asarray([a for a, _ in parts])
    influence = np.column_stack([f for _, f in parts])
    if kind == "group":
        sizes = np.asarray([np.mean(gt.cohort == g) for g in index])
        overall, overall_if = _weighted_groups(att, influence, sizes, gt.cohort, index)
    else:
        chosen = index >= 0 if kind == "event" else np.ones(index.size, dtype=bool)
        overall = float(att[chosen].mean())
        overall_if = influence[:, chosen].mean(axis=1)
    return Aggregate(kind, index, att, influence, overall, overall_if)


def _weighted(gt: GroupTime, mask: np.ndarray, share: FloatArray) -> tuple[float, FloatArray]:
    """The cohort-size weighted mean of the cells in ``mask`` and its influence function."""
    keep = np.flatnonzero(mask)
    weights = share[keep] / share[keep].sum()
    influence = gt.influence[:, keep] @ weights
    influence += _share_influence(gt.cohort, gt.group[keep], share[keep]) @ gt.att[keep]
    return float(weights @ gt.att[keep]), influence


def _weighted_groups(
    att: FloatArray,
    influence: FloatArray,
    sizes: FloatArray,
    cohort: FloatArray,
    groups: FloatArray,
) -> tuple[float, FloatArray]:
    """The cohort-size weighted mean of the group effects (R's "selective" overall)."""
    weights = sizes / sizes.sum()
    total = influence @ weights + _share_influence(cohort, groups, sizes) @ att
    return float(weights @ att), total


def _share_influence(cohort: FloatArray, groups: FloatArray, shares: FloatArray) -> FloatArray:
    """The influence of estimating the weights ``shares / sum(shares)`` (the cohorts'
    shares of the units, one per averaged estimate): ``wif`` in R's ``did``."""
    member = (cohort[:, None] == groups[None, :]).astype(np.float64)
    total = shares.sum()
    first = (member - shares) / total
    second = np.sum(member - shares, axis=1)[:, None] * (shares / total**2)[None, :]
    return np.asarray(first - second, dtype=np.float64)


def uniform_band(
    influence: FloatArray,
    *,
    confidence: float = 0.95,
    draws: int = 999,
    seed: int = 0,
    weights: Weights = "mammen",
) -> float:
    """The critical value of a simultaneous band over the estimates whose influence
    functions are the columns of ``influence``: the ``confidence`` quantile of the
    largest ``|bootstrap deviation| / se`` over a multiplier bootstrap with ``draws``
    seeded draws of Mammen's two-point weights (or Rademacher's ±1). ``estimate ±
    critical * se`` covers all of them at once with probability ``confidence``. Columns
    with no variance (a reference fixed at 0) are left out."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if weights not in ("mammen", "rademacher"):
        raise ValueError(f"weights must be 'mammen' or 'rademacher', not {weights!r}")
    se = standard_errors(influence)
    live = se > 1e-12
    if not live.any():
        return math.nan
    scaled = influence[:, live] / se[live]
    n = scaled.shape[0]
    rng = np.random.default_rng(seed)
    largest = np.empty(draws)
    for start in range(0, draws, 256):  # blocks keep the draws x units matrix small
        size = min(256, draws - start)
        if weights == "mammen":
            root5 = math.sqrt(5.0)
            low = rng.random((size, n)) < (root5 + 1) / (2 * root5)
            v = np.where(low, (1 - root5) / 2, (1 + root5) / 2)
        else:
            v = rng.choice([-1.0, 1.0], size=(size, n))
        largest[start : start + size] = np.max(np.abs(v @ scaled / n), axis=1)
    return float(np.quantile(largest, confidence))


def pretrend_test(estimates: FloatArray, influence: FloatArray) -> dict[str, float | int | None]:
    """Wald test that pre-treatment effects are all 0: ``estimates`` and their influence
    functions (columns). Chi-square with the rank of their covariance; ``None`` figures
    when there is nothing to test."""
    n = influence.shape[0]
    live = standard_errors(influence) > 1e-12
    if not live.any():
        return {"statistic": None, "df": 0, "p_value": None}
    covariance = influence[:, live].T @ influence[:, live] / n**2
    theta = estimates[live]
    rank = int(np.linalg.matrix_rank(covariance))
    statistic = float(theta @ np.linalg.pinv(covariance) @ theta)
    return {"statistic": statistic, "df": rank, "p_value": float(stats.chi2.sf(statistic, rank))}
