"""The staggered difference in differences over Barrio Seguro: the barrio x month panel
of incidents inside each barrio with a boundary, read from the incident store, and the
event-study estimate of :func:`sinasec.analytics.evaluation.did.staggered_did` on it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import NotRequired, TypedDict

from sinasec.analytics.evaluation.did import DiDResult, staggered_did
from sinasec.analytics.monitoring import (
    Month,
    bounds,
    month_key,
    month_label,
    monthly_counts,
    parse_boundary,
)
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import describe_barrio
from sinasec.barrios.monitoring.store import Window, read_points
from sinasec.barrios.monitoring.types import BarrioDescription, MonitoringWindow
from sinasec.incidents import IncidentStore


class ExcludedBarrio(BarrioDescription):
    reason: str


class PanelBarrio(BarrioDescription):
    start: int | None  # the launch month's index in the window; None: a control
    launch_month: str | None
    count: list[int]


class EventTime(TypedDict):
    k: int  # months since the launch
    coefficient: float | None
    standard_error: float | None
    ci: list[float | None]
    p_value: float | None


class DiDEstimate(TypedDict):
    leads: int
    lags: int
    confidence: float
    cov_type: str
    n_obs: int
    n_units: int
    n_treated_units: int
    average_effect: float | None
    average_standard_error: float | None
    average_ci: list[float | None]
    average_p_value: float | None
    pretrend_statistic: float | None
    pretrend_df: int
    pretrend_p: float | None
    event_times: list[EventTime]


class DiDPanel(TypedDict):
    """The panel and its estimate (``estimate`` only when ``available``)."""

    window: MonitoringWindow
    months: list[str]
    outcome: str
    barrios: list[PanelBarrio]
    excluded: list[ExcludedBarrio]
    treated: int
    controls: int
    available: bool
    reason: str | None
    estimate: NotRequired[DiDEstimate]


def _number(value: float) -> float | None:
    return round(float(value), 6) if math.isfinite(value) else None


def barrio_counts(
    barrios: Sequence[Barrio],
    store: IncidentStore,
    start: date | Month | str,
    end: date | Month | str,
) -> tuple[Window, list[PanelBarrio], list[ExcludedBarrio]]:
    """The window, each barrio with a boundary and its incidents per month of the window
    (``start``: the launch month's index, ``None`` when not launched or launched after
    the window), and the barrios left out (no boundary)."""
    window = Window.of(start, end)
    n = window.n_months
    usable, excluded = [], []
    for barrio in barrios:
        polygon = parse_boundary(barrio.boundary)
        if polygon is None:
            excluded.append(ExcludedBarrio(**describe_barrio(barrio), reason="no_boundary"))
        else:
            usable.append((barrio, polygon))
    points = read_points(store, [bounds(p) for _b, p in usable], window)
    counts = monthly_counts(*points, [p for _b, p in usable], n)
    units: list[PanelBarrio] = []
    for (barrio, _polygon), row in zip(usable, counts, strict=True):
        start_index = window.index(barrio.launched_on)
        if start_index is not None and start_index >= n:
            start_index = None  # launched after the window: a control within it
        units.append(
            {
                **describe_barrio(barrio),
                "start": start_index,
                "launch_month": month_label(month_key(barrio.launched_on))
                if barrio.launched_on
                else None,
                "count": [int(c) for c in row],
            }
        )
    return window, units, excluded


def panel_for_did(
    barrios: Sequence[Barrio],
    store: IncidentStore,
    start: date | Month | str,
    end: date | Month | str,
    *,
    leads: int = 6,
    lags: int = 12,
) -> DiDPanel:
    """The barrio x month panel of incident counts inside each barrio from ``start`` to
    ``end``, and the event-study DiD of :func:`sinasec.analytics.evaluation.did.staggered_did`
    on it (SE clustered by barrio), as a JSON-able dict.

    A barrio's launch period is its launch month (the first month under the programme);
    barrios launched before the window are treated throughout it; those not launched,
    or launched after the window, are controls (not yet treated: never treated within
    the panel). Barrios without a boundary are left out and listed. When the design
    cannot be estimated the dict says why (``available`` false, ``reason``)."""
    window, units, excluded = barrio_counts(barrios, store, start, end)
    records = [(u["id"], t, float(c), u["start"]) for u in units for t, c in enumerate(u["count"])]
    result: DiDPanel = {
        "window": {
            "start": window.labels[0],
            "end": window.labels[-1],
            "months": window.n_months,
        },
        "months": window.labels,
        "outcome": "incidents per barrio and month",
        "barrios": units,
        "excluded": excluded,
        "treated": sum(1 for u in units if u["start"] is not None),
        "controls": sum(1 for u in units if u["start"] is None),
        "available": False,
        "reason": None,
    }
    try:
        did = staggered_did(records, leads=leads, lags=lags)
    except ValueError as exc:
        result["reason"] = str(exc)
        return result
    result["available"] = True
    result["estimate"] = _estimate(did)
    return result


def _estimate(did: DiDResult) -> DiDEstimate:
    """The estimate as JSON (no NaN: an undefined figure is None)."""
    return {
        "leads": did.leads,
        "lags": did.lags,
        "confidence": did.confidence,
        "cov_type": did.cov_type,
        "n_obs": did.n_obs,
        "n_units": did.n_units,
        "n_treated_units": did.n_treated_units,
        "average_effect": _number(did.average_effect),
        "average_standard_error": _number(did.average_standard_error),
        "average_ci": [_number(did.average_ci_lower), _number(did.average_ci_upper)],
        "average_p_value": _number(did.average_p_value),
        "pretrend_statistic": _number(did.pretrend_statistic),
        "pretrend_df": did.pretrend_df,
        "pretrend_p": _number(did.pretrend_p),
        "event_times": [
            {
                "k": int(k),
                "coefficient": _number(b),
                "standard_error": _number(se),
                "ci": [_number(lo), _number(hi)],
                "p_value": _number(p),
            }
            for k, b, se, lo, hi, p in zip(
                did.event_times,
                did.coefficients,
                did.standard_errors,
                did.ci_lower,
                did.ci_upper,
                did.p_values,
                strict=True,
            )
        ],
    }
