"""Panels for the difference in differences: one row per barrio and period.

:class:`Panel` holds one; :func:`as_panel` reads one given as a :class:`Panel`, a
mapping or data frame of columns, a structured array or records, and checks it;
:func:`simulate_panel` builds one with a known effect, for the tests and for checking a
design before the real data are in. Pure functions over NumPy arrays (no Django).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Panel:
    """A long panel: one row per barrio and period.

    ``unit`` identifies the barrio (any hashable values: ids, ubigeo-like codes),
    ``period`` is an integer time index (e.g. months since January 2020), ``outcome`` the
    value (crime count or rate) and ``start`` the barrio's launch period, the same on all
    its rows, NaN for barrios never treated.
    """

    unit: npt.NDArray[Any]
    period: IntArray
    outcome: FloatArray
    start: FloatArray

    def __len__(self) -> int:
        return int(self.outcome.size)

    def records(self) -> list[tuple[Any, int, float, int | None]]:
        """The rows as ``(unit, period, outcome, start)`` tuples, ``start`` ``None`` for
        the never treated."""
        return [
            (u, int(p), float(y), None if math.isnan(s) else int(s))
            for u, p, y, s in zip(
                self.unit.tolist(), self.period, self.outcome, self.start, strict=True
            )
        ]


def _start_array(values: Any) -> FloatArray:
    """Launch periods as floats, NaN for the never treated (``None`` or NaN given)."""
    array = np.asarray(values)
    if array.dtype.kind in "iub":
        return array.astype(np.float64)
    if array.dtype.kind == "f":
        return array.astype(np.float64, copy=True)
    out = np.empty(array.size, dtype=np.float64)
    for i, value in enumerate(array.ravel().tolist()):
        if value is None:
            out[i] = math.nan
            continue
        try:
            out[i] = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"start must be a period or None, not {value!r}") from None
    return out.reshape(array.shape)


def _integer_array(name: str, values: Any) -> IntArray:
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    try:
        floats = array.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be integer periods") from None
    if not np.all(np.isfinite(floats)) or np.any(floats != np.round(floats)):
        raise ValueError(f"{name} must be integer periods")
    return floats.astype(np.int64)


def as_panel(panel: Any) -> Panel:
    """Read a panel given as a :class:`Panel`, a mapping (or data frame) with ``unit``,
    ``period``, ``outcome`` and ``start`` columns, a NumPy structured array with those
    fields, or an iterable of ``(unit, period, outcome, start)`` records."""
    if isinstance(panel, Panel):
        columns: tuple[Any, Any, Any, Any] = (panel.unit, panel.period, panel.outcome, panel.start)
    elif isinstance(panel, Mapping) or callable(getattr(panel, "keys", None)):
        missing = [c for c in ("unit", "period", "outcome", "start") if c not in panel]
        if missing:
            raise ValueError(f"the panel lacks the column(s) {', '.join(missing)}")
        columns = (panel["unit"], panel["period"], panel["outcome"], panel["start"])
    elif isinstance(panel, np.ndarray) and panel.dtype.names:
        columns = (panel["unit"], panel["period"], panel["outcome"], panel["start"])
    elif isinstance(panel, Iterable):
        rows = list(panel)
        if any(len(row) != 4 for row in rows):
            raise ValueError("panel records must be (unit, period, outcome, start)")
        if rows:
            unit_col, period_col, outcome_col, start_col = zip(*rows, strict=True)
            columns = (list(unit_col), list(period_col), list(outcome_col), list(start_col))
        else:
            columns = ([], [], [], [])
    else:
        raise TypeError("panel must be a Panel, a mapping of columns or an iterable of records")

    unit = np.asarray(columns[0])
    sizes = {np.size(unit), np.size(columns[1]), np.size(columns[2]), np.size(columns[3])}
    if len(sizes) != 1:
        raise ValueError(
            "unit, period, outcome and start must have the same length "
            f"(got {np.size(unit)}, {np.size(columns[1])}, {np.size(columns[2])}, "
            f"{np.size(columns[3])})"
        )
    if unit.ndim != 1:
        unit = unit.ravel()
    period = _integer_array("period", columns[1]).ravel()
    try:
        outcome = np.asarray(columns[2], dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ValueError("outcome must be numbers") from None
    if not np.all(np.isfinite(outcome)):
        raise ValueError("outcome must be finite (no missing values)")
    start = _start_array(columns[3]).ravel()
    treated = ~np.isnan(start)
    if np.any(np.isinf(start)) or np.any(start[treated] != np.round(start[treated])):
        raise ValueError("start must be an integer period or None")
    return Panel(unit=unit, period=period, outcome=outcome, start=start)


# --------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------


def simulate_panel(
    n_units: int,
    n_periods: int,
    effect: float,
    seed: int | None = None,
    *,
    treated_share: float = 0.5,
    launch_window: tuple[int, int] | None = None,
    noise: Literal["normal", "poisson"] = "normal",
    baseline: float = 30.0,
    unit_sd: float = 4.0,
    period_sd: float = 2.0,
    sigma: float = 2.0,
    rho: float = 0.0,
) -> Panel:
    """A balanced panel with a known, constant effect after a staggered launch.

    ``n_units`` units observed on periods ``0 .. n_periods - 1``. The mean of unit ``i``
    in period ``t`` is ``baseline + a_i + b_t + effect * 1[t >= start_i]``, with unit
    effects ``a_i ~ N(0, unit_sd²)`` and period effects ``b_t ~ N(0, period_sd²)``. A share
    ``treated_share`` of the units, drawn at random, launch at a period drawn uniformly
    from ``launch_window`` (inclusive; by default the middle half of the panel); the
    others are never treated (``start`` NaN).

    Noise: a latent AR(1) shock per unit, stationary with standard deviation ``sigma``
    and autocorrelation ``rho`` (``rho > 0`` gives the serial correlation that clustered
    errors are for). With ``noise='normal'`` the outcome is the mean plus that shock;
    with ``noise='poisson'`` it is a Poisson count whose rate is the mean plus the shock
    (extra-Poisson variation; ``sigma=0`` for pure Poisson), floored at 0 — keep
    ``baseline`` well above ``|effect|`` and the spreads so that the floor does not bias
    the effect.

    ``seed`` makes the draws reproducible (``numpy.random.default_rng``).
    """
    if n_units < 2 or n_periods < 2:
        raise ValueError("a panel needs at least two units and two periods")
    if not 0 <= treated_share <= 1:
        raise ValueError("treated_share must be between 0 and 1")
    if not -1 < rho < 1:
        raise ValueError("rho must be between -1 and 1 (exclusive)")
    if min(unit_sd, period_sd, sigma) < 0:
        raise ValueError("standard deviations must not be negative")
    if noise not in ("normal", "poisson"):
        raise ValueError(f"noise must be 'normal' or 'poisson', not {noise!r}")
    if launch_window is None:
        launch_window = (n_periods // 4, (3 * n_periods) // 4)
    first, last = int(launch_window[0]), int(launch_window[1])
    if first > last:
        raise ValueError("launch_window must be (first, last) with first <= last")

    rng = np.random.default_rng(seed)
    n_treated = round(treated_share * n_units)
    start = np.full(n_units, np.nan)
    treated = rng.permutation(n_units)[:n_treated]
    start[treated] = rng.integers(first, last + 1, size=n_treated)

    unit_effect = rng.normal(0.0, unit_sd, size=n_units)
    period_effect = rng.normal(0.0, period_sd, size=n_periods)
    shock = np.empty((n_units, n_periods))
    shock[:, 0] = rng.normal(0.0, sigma, size=n_units)
    innovation_sd = sigma * math.sqrt(1.0 - rho * rho)
    for t in range(1, n_periods):
        shock[:, t] = rho * shock[:, t - 1] + rng.normal(0.0, innovation_sd, size=n_units)

    periods = np.arange(n_periods)
    after = (periods[None, :] >= start[:, None]) & ~np.isnan(start)[:, None]
    mean = baseline + unit_effect[:, None] + period_effect[None, :] + effect * after
    if noise == "normal":
        outcome = mean + shock
    else:
        outcome = rng.poisson(np.clip(mean + shock, 0.0, None)).astype(np.float64)

    return Panel(
        unit=np.repeat(np.arange(n_units), n_periods),
        period=np.tile(periods, n_units).astype(np.int64),
        outcome=outcome.ravel().astype(np.float64),
        start=np.repeat(start, n_periods),
    )


def simulate_dynamic_panel(
    n_units: int,
    n_periods: int,
    cohorts: dict[int, float],
    seed: int | None = None,
    *,
    never_share: float = 0.25,
    trend: float = 0.3,
    sigma: float = 1.0,
) -> tuple[dict[str, Any], dict[tuple[int, int], float]]:
    """A balanced staggered panel whose effect grows with time since treatment and
    differs between cohorts: the case where two-way fixed effects is biased.

    Periods are ``1 .. n_periods``; ``cohorts`` maps each first treated period ``g`` to
    a slope, and a unit of cohort ``g`` gains ``slope * (t - g + 1)`` in each period
    ``t >= g``. A share ``never_share`` of the units is never treated (``first_treated``
    0), the rest are spread evenly over the cohorts. The outcome adds a unit effect, a
    common ``trend`` per period and normal noise (``sigma``). Returns the columns
    (``unit``, ``period``, ``outcome``, ``first_treated``, and a time-invariant
    covariate ``x`` that shifts the trend) and the true ATT(g, t) of every treated
    cell."""
    rng = np.random.default_rng(seed)
    n_never = round(never_share * n_units)
    groups = sorted(cohorts)
    first = np.zeros(n_units, dtype=np.int64)
    first[n_never:] = [groups[i % len(groups)] for i in range(n_units - n_never)]
    unit_effect = rng.normal(0.0, 1.0, n_units)
    x = rng.normal(0.0, 1.0, n_units)
    periods = np.arange(1, n_periods + 1)
    slope = np.asarray([cohorts.get(int(g), 0.0) for g in first])
    since = periods[None, :] - first[:, None] + 1
    effect = np.where((first[:, None] > 0) & (since > 0), slope[:, None] * since, 0.0)
    outcome = (
        unit_effect[:, None]
        + trend * periods[None, :] * (1 + 0.2 * x[:, None])
        + effect
        + rng.normal(0.0, sigma, (n_units, n_periods))
    )
    columns = {
        "unit": np.repeat(np.arange(n_units), n_periods),
        "period": np.tile(periods, n_units),
        "outcome": outcome.ravel(),
        "first_treated": np.repeat(first, n_periods),
        "x": np.repeat(x, n_periods),
    }
    truth = {(g, int(t)): cohorts[g] * (int(t) - g + 1) for g in groups for t in periods if t >= g}
    return columns, truth
