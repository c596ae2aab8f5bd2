"""Synthetic control for a single treated unit (Abadie, Diamond & Hainmueller 2010).

The treated unit's outcome before the launch is approximated by a weighted average of
donor units (weights non-negative, summing to one); the same weights applied after the
launch give the *synthetic* unit, what the treated unit would plausibly have looked
like without the programme. The *gap* (treated minus synthetic) after the launch is the
estimated effect.

Weights: the constrained least squares ``min ||y0 - X0 w||^2`` over the simplex, on the
pre-launch periods only, solved by SLSQP (``scipy.optimize.minimize``) with the analytic
gradient, started from the non-negative least squares solution of the system augmented
with a heavily weighted row ``sum(w) = 1`` (``scipy.optimize.nnls``), which is already
the exact answer when the treated series is a convex combination of the donors. Series
are scaled by the treated unit's pre-launch spread so the tolerances mean the same for
counts of 5 and of 5,000. No covariates: the pre-launch outcomes themselves are matched,
which (Kaul et al. 2022) makes covariates redundant when every pre-launch period is used.

Inference: placebo in space. Each donor in turn is treated as if it had been launched,
its synthetic control built from the other donors (never from the treated unit), and
the ratio of its post- to pre-launch root mean squared prediction error (RMSPE) taken.
The treated unit's rank among all ``n + 1`` ratios (1 = the largest) gives the
permutation p-value ``rank / (n + 1)``: the share of units whose gap is at least as
unusual. With few donors the smallest possible p-value is ``1 / (n + 1)``: with 9
donors it is 0.10, so a "significant" result needs at least 19.

Pure NumPy/SciPy, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize, nnls

FloatArray = npt.NDArray[np.float64]

#: The weight of the ``sum(w) = 1`` row in the augmented NNLS start.
_SUM_ROW_WEIGHT = 1e4
#: Pre-launch RMSPEs below this share of the scale count as an exact fit.
_EXACT = 1e-9


class SynthError(ValueError):
    """The synthetic control cannot be built (too few periods or donors, bad values).
    ``code`` names the reason for translation."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def fit_weights(treated_pre: npt.ArrayLike, donors_pre: npt.ArrayLike) -> FloatArray:
    """The donor weights (non-negative, summing to one) whose weighted average of the
    donors' pre-launch series (``donors_pre``: periods x donors) is closest, in squared
    error, to the treated unit's (``treated_pre``)."""
    y = np.asarray(treated_pre, dtype=np.float64)
    x = np.asarray(donors_pre, dtype=np.float64)
    if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.size:
        raise SynthError("shape", "donors_pre must be periods x donors, matching treated_pre")
    n_donors = x.shape[1]
    if n_donors == 0:
        raise SynthError("no_donors", "there are no donors")
    if n_donors == 1:
        return np.ones(1)
    scale = float(np.std(y)) or float(np.abs(y).max()) or 1.0
    y, x = y / scale, x / scale
    augmented = np.vstack([x, np.full((1, n_donors), _SUM_ROW_WEIGHT)])
    start, _ = nnls(augmented, np.append(y, _SUM_ROW_WEIGHT))
    start = _to_simplex(start)
    if _loss(start, x, y) <= _EXACT**2:
        return start
    result = minimize(
        _loss,
        start,
        args=(x, y),
        jac=_gradient,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * n_donors,
        constraints=[
            {"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones_like(w)}
        ],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    weights = _to_simplex(np.asarray(result.x, dtype=np.float64))
    # SLSQP only improves on the start in theory; keep whichever fits better.
    return weights if _loss(weights, x, y) <= _loss(start, x, y) else start


def _loss(w: FloatArray, x: FloatArray, y: FloatArray) -> float:
    residual = x @ w - y
    return float(residual @ residual)


def _gradient(w: FloatArray, x: FloatArray, y: FloatArray) -> FloatArray:
    return np.asarray(2.0 * x.T @ (x @ w - y), dtype=np.float64)


def _to_simplex(w: FloatArray) -> FloatArray:
    """Clip the solver's rounding (tiny negatives) and renormalise to sum one."""
    w = np.clip(w, 0.0, None)
    total = w.sum()
    return w / total if total > 0 else np.full(w.size, 1.0 / w.size)


def _rmspe(gap: FloatArray) -> float:
    return float(np.sqrt(np.mean(gap**2))) if gap.size else 0.0


@dataclass(frozen=True)
class UnitFit:
    """One unit's synthetic control: its synthetic series, gap and RMSPEs."""

    synthetic: FloatArray
    gap: FloatArray
    pre_rmspe: float
    post_rmspe: float
    ratio: float  # post / pre RMSPE (inf when the pre-launch fit is exact and post is not)


def _fit_unit(y: FloatArray, donors: FloatArray, launch: int) -> tuple[FloatArray, UnitFit]:
    weights = fit_weights(y[:launch], donors[:launch])
    synthetic = donors @ weights
    gap = y - synthetic
    pre, post = _rmspe(gap[:launch]), _rmspe(gap[launch:])
    scale = max(float(np.std(y[:launch])), float(np.abs(y).max()), 1.0)
    if pre <= _EXACT * scale:
        ratio = float("inf") if post > _EXACT * scale else 1.0
    else:
        ratio = post / pre
    return weights, UnitFit(synthetic, gap, pre, post, ratio)


class PlaceboData(TypedDict):
    unit: str
    pre_rmspe: float
    post_rmspe: float
    ratio: float | None  # None: infinite
    gap: list[float]


class SynthData(TypedDict):
    """:class:`SynthResult` as JSON."""

    launch_index: int
    weights: dict[str, float]
    treated: list[float]
    synthetic: list[float]
    gap: list[float]
    average_gap: float
    pre_rmspe: float
    post_rmspe: float
    ratio: float | None
    rank: int
    n_placebos: int
    p_value: float
    placebos: list[PlaceboData]


@dataclass(frozen=True)
class SynthResult:
    launch_index: int  # first post-launch period
    donors: list[str]
    weights: FloatArray
    treated: FloatArray
    fit: UnitFit
    placebos: dict[str, UnitFit]
    rank: int  # of the treated ratio among all, 1 = the largest
    p_value: float

    @property
    def average_gap(self) -> float:
        """The mean post-launch gap: the estimated effect per period."""
        return float(self.fit.gap[self.launch_index :].mean())

    def as_dict(self) -> SynthData:
        return {
            "launch_index": self.launch_index,
            "weights": {
                d: round(float(w), 6) for d, w in zip(self.donors, self.weights, strict=True)
            },
            "treated": _rounded(self.treated),
            "synthetic": _rounded(self.fit.synthetic),
            "gap": _rounded(self.fit.gap),
            "average_gap": round(self.average_gap, 6),
            "pre_rmspe": round(self.fit.pre_rmspe, 6),
            "post_rmspe": round(self.fit.post_rmspe, 6),
            "ratio": _finite(self.fit.ratio),
            "rank": self.rank,
            "n_placebos": len(self.placebos),
            "p_value": round(self.p_value, 6),
            "placebos": [
                {
                    "unit": name,
                    "pre_rmspe": round(p.pre_rmspe, 6),
                    "post_rmspe": round(p.post_rmspe, 6),
                    "ratio": _finite(p.ratio),
                    "gap": _rounded(p.gap),
                }
                for name, p in self.placebos.items()
            ],
        }


def _rounded(values: FloatArray) -> list[float]:
    return [round(float(v), 6) for v in values]


def _finite(value: float) -> float | None:
    return round(value, 6) if np.isfinite(value) else None


def synthetic_control(
    treated: npt.ArrayLike,
    donors: npt.ArrayLike,
    launch_index: int,
    donor_names: Sequence[str] | None = None,
    *,
    placebos: bool = True,
) -> SynthResult:
    """The synthetic control of ``treated`` (one value per period) from ``donors``
    (periods x donors), launched at period ``launch_index`` (the first post-launch
    period), with placebo-in-space inference over the donors."""
    y = np.asarray(treated, dtype=np.float64)
    x = np.asarray(donors, dtype=np.float64)
    if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.size:
        raise SynthError("shape", "donors must be periods x donors, matching the treated series")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(x))):
        raise SynthError("not_finite", "the series must be finite numbers")
    if not 2 <= launch_index < y.size:
        raise SynthError(
            "periods", "at least two periods before the launch and one after are needed"
        )
    if x.shape[1] < 2:
        raise SynthError("no_donors", "at least two donors are needed")
    names = list(donor_names) if donor_names is not None else [str(i) for i in range(x.shape[1])]
    if len(names) != x.shape[1]:
        raise SynthError("shape", "one name per donor")
    weights, fit = _fit_unit(y, x, launch_index)
    fits: dict[str, UnitFit] = {}
    if placebos:
        for j, name in enumerate(names):
            others = np.delete(x, j, axis=1)
            fits[name] = _fit_unit(x[:, j], others, launch_index)[1]
    ratios = [p.ratio for p in fits.values()]
    # Ties count against the treated unit (a conservative p-value).
    rank = 1 + sum(1 for r in ratios if r >= fit.ratio)
    return SynthResult(
        launch_index=launch_index,
        donors=names,
        weights=weights,
        treated=y,
        fit=fit,
        placebos=fits,
        rank=rank,
        p_value=rank / (len(fits) + 1),
    )
