"""Two-way fixed effects with staggered adoption, kept for comparison, and what it is
made of: :func:`twfe` and :func:`bacon_decomposition`.

The static regression ``y_it = a_i + b_t + beta D_it + e_it`` (``D_it = 1`` from the
unit's first treated period on) is a weighted average of every 2x2 difference in
differences the panel contains (Goodman-Bacon 2021, theorem 1): each treated cohort
against the never treated, each earlier cohort against a later one before the later one
starts, and each later cohort against an earlier one *after the earlier one is already
treated*. That last kind is "forbidden": the already-treated cohort's own changing
effect enters the control's trend, so when effects grow after launch it is subtracted
from the later cohort's effect and TWFE can be far from every group's true effect, or
of the wrong sign. :func:`bacon_decomposition` lists the comparisons, their estimates
and weights (summing to 1 and reproducing the TWFE coefficient exactly on a balanced
panel) and flags the forbidden ones. Pure NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sinasec.analytics.evaluation.fixed_effects import long_rows, two_way_fit
from sinasec.analytics.evaluation.panel import FloatArray
from sinasec.analytics.evaluation.staggered import StaggeredPanel


@dataclass(frozen=True)
class TWFEResult:
    """The static TWFE coefficient with its clustered standard error and interval
    (Student's t with clusters minus one degrees of freedom)."""

    att: float
    se: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Comparison:
    """One 2x2 comparison of the decomposition: ``kind`` is ``treated_vs_never``,
    ``earlier_vs_later`` (the later cohort, not yet treated, as control) or
    ``later_vs_earlier`` (the earlier cohort, already treated, as control:
    ``forbidden``). ``control`` is ``None`` for the never treated."""

    kind: str
    treated: int
    control: int | None
    estimate: float
    weight: float

    @property
    def forbidden(self) -> bool:
        return self.kind == "later_vs_earlier"


def treatment_indicator(panel: StaggeredPanel) -> FloatArray:
    """``D_it`` in wide form: 1 from the unit's first treated period on."""
    return (panel.periods[None, :] >= panel.cohort[:, None]).astype(np.float64)


def twfe(panel: StaggeredPanel, *, confidence: float = 0.95) -> TWFEResult:
    """The static two-way fixed-effects DiD coefficient, SE clustered by unit."""
    unit, period, y = long_rows(panel)
    d = treatment_indicator(panel)[unit, period]
    fit = two_way_fit(unit, period, y, d[:, None])
    beta, se = float(fit.coefficients[0]), float(fit.se[0])
    q = float(stats.t.ppf(0.5 + confidence / 2, fit.df_resid))
    return TWFEResult(beta, se, beta - q * se, beta + q * se)


def bacon_decomposition(panel: StaggeredPanel) -> list[Comparison]:
    """The Goodman-Bacon decomposition of the static TWFE coefficient (balanced panels;
    ``ValueError`` otherwise). The weights are theorem 1's variance shares, normalised
    to sum to 1."""
    if not panel.balanced:
        raise ValueError("the Goodman-Bacon decomposition needs a balanced panel")
    periods = panel.periods
    n = panel.n_units
    mean = {}  # cohort -> its mean outcome per period
    share = {}  # cohort -> (share of units, share of periods treated)
    for g in np.unique(panel.cohort):
        members = panel.cohort == g
        mean[g] = panel.outcome[members].mean(axis=0)
        share[g] = (members.sum() / n, float(np.mean(periods >= g)))
    never = math.inf
    groups = [g for g in sorted(mean) if math.isfinite(g)]
    raw: list[tuple[str, float, float | None, float, float]] = []
    if never in mean:
        n_u = share[never][0]
        for k in groups:
            n_k, d_k = share[k]
            estimate = _did(mean[k], mean[never], periods < k, periods >= k)
            s = n_k / (n_k + n_u)
            raw.append(
                (
                    "treated_vs_never",
                    k,
                    None,
                    estimate,
                    (n_k + n_u) ** 2 * s * (1 - s) * d_k * (1 - d_k),
                )
            )
    for i, k in enumerate(groups):
        for l in groups[i + 1 :]:  # noqa: E741 (the paper's letters)
            (n_k, d_k), (n_l, d_l) = share[k], share[l]
            s = n_k / (n_k + n_l)
            before = periods < l
            estimate = _did(mean[k], mean[l], before & (periods < k), before & (periods >= k))
            weight = ((n_k + n_l) * (1 - d_l)) ** 2 * s * (1 - s)
            weight *= (d_k - d_l) / (1 - d_l) * (1 - d_k) / (1 - d_l)
            raw.append(("earlier_vs_later", k, l, estimate, weight))
            after = periods >= k
            estimate = _did(mean[l], mean[k], after & (periods < l), after & (periods >= l))
            weight = ((n_k + n_l) * d_k) ** 2 * s * (1 - s) * (d_l / d_k) * (d_k - d_l) / d_k
            raw.append(("later_vs_earlier", l, k, estimate, weight))
    total = sum(r[4] for r in raw)
    return [
        Comparison(kind, int(t), None if c is None else int(c), float(b), float(w / total))
        for kind, t, c, b, w in raw
    ]


def _did(treated: FloatArray, control: FloatArray, pre: np.ndarray, post: np.ndarray) -> float:
    """The 2x2 DiD of two cohort mean series over the ``pre`` and ``post`` periods."""
    change = treated[post].mean() - treated[pre].mean()
    return float(change - (control[post].mean() - control[pre].mean()))
