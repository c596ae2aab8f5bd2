"""One report for the staggered estimators, as JSON-able data: :func:`staggered_report`.

The command line (``sinasec barrios did --panel``) prints its :data:`REPORT_KEYS`; the
pages also draw its ``bands`` (simultaneous bands of the event study) and its
``comparison`` (the TWFE coefficient and its Goodman-Bacon decomposition). Numbers are
floats at full precision, ``None`` where undefined (never NaN). Pure functions.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from scipy import stats

from sinasec.analytics.evaluation.bacon import bacon_decomposition, twfe
from sinasec.analytics.evaluation.callaway import (
    BasePeriod,
    Weights,
    aggregate,
    group_time_att,
    pretrend_test,
    uniform_band,
)
from sinasec.analytics.evaluation.panel import FloatArray
from sinasec.analytics.evaluation.staggered import Control, PanelError, StaggeredPanel
from sinasec.analytics.evaluation.sunab import EventStudy, sun_abraham, twfe_event_study

Estimator = Literal["callaway-santanna", "sun-abraham", "twfe"]
ESTIMATORS: tuple[Estimator, ...] = ("callaway-santanna", "sun-abraham", "twfe")
REPORT_KEYS = (
    "estimator",
    "control",
    "att",
    "se",
    "ci_low",
    "ci_high",
    "group_time",
    "event_time",
    "pretrend",
    "n_units",
    "n_periods",
    "cohorts",
)


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def staggered_report(
    panel: StaggeredPanel,
    *,
    estimator: Estimator = "callaway-santanna",
    control: Control = "never",
    confidence: float = 0.95,
    base_period: BasePeriod = "varying",
    covariates: bool = False,
    draws: int = 999,
    seed: int = 0,
    weights: Weights = "mammen",
) -> dict[str, Any]:
    """The estimate of ``estimator`` on ``panel`` (see :data:`REPORT_KEYS`), with
    ``bands`` (per event time, the simultaneous ``confidence`` band: multiplier
    bootstrap for Callaway & Sant'Anna, seeded normal draws from the clustered
    covariance for the regressions) and ``comparison`` (TWFE and its decomposition,
    ``None`` on an unbalanced panel). Raises
    :class:`~sinasec.analytics.evaluation.staggered.PanelError` for panels the
    estimator cannot use."""
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if estimator == "callaway-santanna":
        body = _callaway(panel, control, confidence, base_period, covariates, draws, seed, weights)
    else:
        study = sun_abraham(panel, control=control) if estimator == "sun-abraham" else None
        body = _regression(panel, study, confidence, draws, seed)
    return {
        "estimator": estimator,
        "control": control,
        **body,
        "n_units": panel.n_units,
        "n_periods": panel.n_periods,
        "cohorts": {str(g): n for g, n in panel.cohort_sizes().items()},
        "confidence": confidence,
        "comparison": _comparison(panel, confidence),
    }


def _callaway(
    panel: StaggeredPanel,
    control: Control,
    confidence: float,
    base_period: BasePeriod,
    covariates: bool,
    draws: int,
    seed: int,
    weights: Weights,
) -> dict[str, Any]:
    gt = group_time_att(panel, control=control, base_period=base_period, covariates=covariates)
    simple = aggregate(gt, "simple")
    event = aggregate(gt, "event")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    se = simple.overall_se
    critical = uniform_band(
        event.influence, confidence=confidence, draws=draws, seed=seed, weights=weights
    )
    pre = event.index < 0
    pretrend = pretrend_test(event.att[pre], event.influence[:, pre])
    return {
        "att": _num(simple.overall),
        "se": _num(se),
        "ci_low": _num(simple.overall - z * se),
        "ci_high": _num(simple.overall + z * se),
        "group_time": [
            {"group": int(g), "time": int(t), "att": _num(a), "se": _num(s)}
            for g, t, a, s in zip(gt.group, gt.time, gt.att, gt.se, strict=True)
        ],
        "event_time": _events(event.index, event.att, event.se),
        "pretrend": {"test": "wald_chi2", **pretrend},
        "bands": _bands(event.index, event.att, event.se, critical),
        "critical_value": _num(critical),
    }


def _regression(
    panel: StaggeredPanel,
    study: EventStudy | None,
    confidence: float,
    draws: int,
    seed: int,
) -> dict[str, Any]:
    """Sun & Abraham (``study``), or TWFE (``None``: the static coefficient and the
    pooled event study)."""
    events = study if study is not None else twfe_event_study(panel)
    q = float(stats.t.ppf(0.5 + confidence / 2, events.df_resid))
    if study is None:
        static = twfe(panel, confidence=confidence)
        att, se = static.att, static.se
    else:
        att, se = study.att, study.se
    # The reference period e = -1 is 0 by construction: shown, not estimated.
    index = np.append(events.event_time, -1.0)
    order = np.argsort(index)
    estimate = np.append(events.estimate, 0.0)[order]
    event_se = np.append(events.event_se, 0.0)[order]
    critical = _sup_t(events.covariance, confidence, draws, seed)
    return {
        "att": _num(att),
        "se": _num(se),
        "ci_low": _num(att - q * se),
        "ci_high": _num(att + q * se),
        "group_time": [
            {"group": g, "time": g + e, "att": _num(b), "se": _num(s)}
            for g, e, b, s in events.cells
        ],
        "event_time": _events(index[order], estimate, event_se),
        "pretrend": {"test": "wald_f", **events.pretrend()},
        "bands": _bands(index[order], estimate, event_se, critical),
        "critical_value": _num(critical),
    }


def _sup_t(covariance: FloatArray, confidence: float, draws: int, seed: int) -> float:
    """Critical value of a simultaneous band from the estimates' covariance: the
    ``confidence`` quantile of ``max |z_k| / se_k`` over seeded normal draws."""
    se = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    live = se > 1e-12
    if not live.any():
        return math.nan
    correlation = covariance[np.ix_(live, live)] / np.outer(se[live], se[live])
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal(np.zeros(int(live.sum())), correlation, size=draws)
    return float(np.quantile(np.max(np.abs(z), axis=1), confidence))


def _events(index: FloatArray, att: FloatArray, se: FloatArray) -> list[dict[str, Any]]:
    return [
        {"e": int(e), "att": _num(a), "se": _num(s)} for e, a, s in zip(index, att, se, strict=True)
    ]


def _bands(
    index: FloatArray, att: FloatArray, se: FloatArray, critical: float
) -> list[dict[str, Any]]:
    return [
        {"e": int(e), "low": _num(a - critical * s), "high": _num(a + critical * s)}
        for e, a, s in zip(index, att, se, strict=True)
    ]


def _comparison(panel: StaggeredPanel, confidence: float) -> dict[str, Any] | None:
    """TWFE and its Goodman-Bacon decomposition, for the page's table."""
    if not panel.balanced:
        return None
    try:
        static = twfe(panel, confidence=confidence)
    except PanelError:
        return None
    return {
        "twfe": {"att": _num(static.att), "se": _num(static.se)},
        "decomposition": [
            {
                "kind": c.kind,
                "treated": c.treated,
                "control": c.control,
                "estimate": _num(c.estimate),
                "weight": _num(c.weight),
                "forbidden": c.forbidden,
            }
            for c in bacon_decomposition(panel)
        ],
    }
