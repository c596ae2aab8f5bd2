"""Any staggered-adoption panel, checked and put in the wide form the heterogeneity-robust
estimators read: :func:`build_panel` and :class:`StaggeredPanel`.

A unit (a barrio, a district, a school...) is observed over integer periods and is
first treated in period ``g`` (its *cohort*), or never. The estimators of
:mod:`~sinasec.analytics.evaluation.callaway` (Callaway & Sant'Anna),
:mod:`~sinasec.analytics.evaluation.sunab` (Sun & Abraham) and
:mod:`~sinasec.analytics.evaluation.bacon` (two-way fixed effects and its Goodman-Bacon
decomposition) all start from here, so they refuse the same bad panels with the same
errors: a unit whose first treated period changes between its rows (treated twice), a
duplicated unit-period, a missing outcome, units treated from the first observed period
(no period before treatment to compare with), an unbalanced panel unless the caller
allows it, and cohorts without any comparison unit. Errors are
:class:`PanelError` (a code and the unit or column it is about) for the application to
translate. Pure functions over NumPy arrays (no Django).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt

from sinasec.analytics.evaluation.panel import FloatArray, IntArray
from sinasec.analytics.notes import AnalyticsError

Control = Literal["never", "not-yet"]
NEVER = math.inf  # the cohort of the never treated: later than every period


class PanelError(AnalyticsError):
    """A panel the staggered estimators refuse; ``params`` name the unit or column."""

    messages: ClassVar[Mapping[str, str]] = {
        "panel_empty": "the panel has no rows",
        "panel_unreadable": "“%(name)s” is not a CSV or Parquet table",
        "panel_too_many_rows": "the panel has %(rows)s rows, more than the limit of %(limit)s",
        "panel_column_missing": "the panel file has no column “%(column)s”",
        "panel_not_integer": "column “%(column)s” must hold integer periods (unit %(unit)s)",
        "panel_missing_outcome": (
            "column “%(column)s” has a missing or non-numeric value for unit %(unit)s, "
            "period %(period)s"
        ),
        "panel_duplicate": "unit %(unit)s appears twice in period %(period)s",
        "panel_treated_twice": (
            "unit %(unit)s has more than one first treated period in column “%(column)s” "
            "(%(values)s): a unit is treated once and stays treated"
        ),
        "panel_unbalanced": (
            "the panel is unbalanced: unit %(unit)s is observed in %(observed)s of "
            "%(periods)s periods (allow an unbalanced panel explicitly, or complete it)"
        ),
        "panel_treated_from_start": (
            "unit %(unit)s is treated from the first period (%(period)s) in column "
            "“%(column)s”: there is no period before treatment to compare it with"
        ),
        "panel_no_treated": "no unit is treated within the panel's periods",
        "panel_not_identified": (
            "the fixed-effects regression is not identified on this panel: too few units "
            "or periods for its cohorts and event times"
        ),
        "panel_no_never_treated": (
            "the cohort first treated in %(cohort)s has no never-treated comparison units "
            "in period %(period)s"
        ),
        "panel_no_not_yet_treated": (
            "the cohort first treated in %(cohort)s has no not-yet-treated comparison "
            "units in period %(period)s"
        ),
        "panel_covariates_singular": (
            "the covariates are collinear among the comparison units of the cohort "
            "%(cohort)s in period %(period)s"
        ),
    }


@dataclass(frozen=True)
class StaggeredPanel:
    """A panel in wide form: ``outcome[i, j]`` is unit ``units[i]`` in ``periods[j]``
    (NaN where the unit is not observed; only with ``balanced`` false), ``cohort[i]``
    its first treated period (``inf`` for the never treated, also those first treated
    after the last period) and ``covariates[i, j, :]`` the optional covariates."""

    units: npt.NDArray[Any]
    periods: IntArray
    outcome: FloatArray
    cohort: FloatArray
    covariates: FloatArray | None
    covariate_names: tuple[str, ...]
    balanced: bool

    @property
    def n_units(self) -> int:
        return int(self.units.size)

    @property
    def n_periods(self) -> int:
        return int(self.periods.size)

    @property
    def groups(self) -> FloatArray:
        """The treated cohorts, sorted."""
        return np.unique(self.cohort[np.isfinite(self.cohort)])

    def cohort_sizes(self) -> dict[int, int]:
        """Units per cohort, ``0`` for the never treated (as ``--first-treated`` writes
        them)."""
        sizes = {int(g): int(np.sum(self.cohort == g)) for g in self.groups}
        never = int(np.sum(~np.isfinite(self.cohort)))
        return {0: never, **sizes} if never else sizes


def _label(value: Any) -> str:
    return str(value.item() if isinstance(value, np.generic) else value)


def _integers(values: Any, column: str, units: npt.NDArray[Any]) -> FloatArray:
    """Integer periods as floats (NaN kept), refusing fractions and text."""
    array = np.asarray(values)
    out = np.empty(array.size, dtype=np.float64)
    for i, value in enumerate(array.tolist()):
        try:
            number = math.nan if value is None or value == "" else float(value)
        except (TypeError, ValueError):
            raise PanelError("panel_not_integer", column=column, unit=_label(units[i])) from None
        if math.isinf(number) or (not math.isnan(number) and number != round(number)):
            raise PanelError("panel_not_integer", column=column, unit=_label(units[i]))
        out[i] = number
    return out


def build_panel(
    unit: Sequence[Any] | npt.NDArray[Any],
    period: Sequence[Any] | npt.NDArray[Any],
    outcome: Sequence[Any] | npt.NDArray[Any],
    first_treated: Sequence[Any] | npt.NDArray[Any],
    *,
    covariates: Mapping[str, Sequence[Any] | npt.NDArray[Any]] | None = None,
    allow_unbalanced: bool = False,
    columns: Mapping[str, str] | None = None,
) -> StaggeredPanel:
    """Check a long panel (one row per unit and period) and return it in wide form.

    ``first_treated`` is the unit's first treated period; ``0``, empty, ``None`` or NaN
    for a unit never treated (as in R's ``did``). A unit first treated after the last
    observed period is never treated within the panel. ``columns`` maps ``unit``,
    ``period``, ``outcome`` and ``first_treated`` to the caller's column names, used in
    the errors. Raises :class:`PanelError` (see the module docstring for what is
    refused)."""
    names = {"unit": "unit", "period": "period", "outcome": "outcome"}
    names |= {"first_treated": "first_treated", **(columns or {})}
    units_long = np.asarray(unit, dtype=object)
    n = units_long.size
    if n == 0:
        raise PanelError("panel_empty")
    times = _integers(period, names["period"], units_long)
    if np.isnan(times).any():
        where = int(np.flatnonzero(np.isnan(times))[0])
        raise PanelError(
            "panel_not_integer", column=names["period"], unit=_label(units_long[where])
        )
    values = np.asarray(
        [_number(v) for v in np.asarray(outcome, dtype=object).tolist()], dtype=np.float64
    )
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise PanelError(
            "panel_missing_outcome",
            column=names["outcome"],
            unit=_label(units_long[i]),
            period=int(times[i]),
        )
    starts = _integers(first_treated, names["first_treated"], units_long)
    starts[np.isnan(starts) | (starts == 0)] = NEVER

    labels, unit_code = np.unique(units_long.astype(str), return_inverse=True)
    periods, period_code = np.unique(times.astype(np.int64), return_inverse=True)
    first_row = np.full(labels.size, -1)
    first_row[unit_code[::-1]] = np.arange(n)[::-1]
    units = units_long[first_row]
    n_units, n_periods = labels.size, periods.size
    seen = np.zeros((n_units, n_periods), dtype=np.int64)
    np.add.at(seen, (unit_code, period_code), 1)
    if (seen > 1).any():
        i, j = np.argwhere(seen > 1)[0]
        raise PanelError("panel_duplicate", unit=_label(units[i]), period=int(periods[j]))
    cohort = _cohorts(starts, unit_code, units, names["first_treated"])
    observed = seen.sum(axis=1)
    if not allow_unbalanced and (observed < n_periods).any():
        i = int(np.argmin(observed))
        raise PanelError(
            "panel_unbalanced",
            unit=_label(units[i]),
            observed=int(observed[i]),
            periods=n_periods,
        )
    cohort[cohort > periods[-1]] = NEVER
    early = cohort <= periods[0]
    if early.any():
        raise PanelError(
            "panel_treated_from_start",
            unit=_label(units[int(np.flatnonzero(early)[0])]),
            period=int(periods[0]),
            column=names["first_treated"],
        )
    if not np.isfinite(cohort).any():
        raise PanelError("panel_no_treated")
    wide = np.full((n_units, n_periods), np.nan)
    wide[unit_code, period_code] = values
    x, x_names = _covariates(covariates, unit_code, period_code, units, times, n_units, n_periods)
    return StaggeredPanel(
        units=units,
        periods=periods.astype(np.int64),
        outcome=wide,
        cohort=cohort,
        covariates=x,
        covariate_names=x_names,
        balanced=bool((observed == n_periods).all()),
    )


def _number(value: Any) -> float:
    try:
        return math.nan if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return math.nan


def _cohorts(
    starts: FloatArray, unit_code: IntArray, units: npt.NDArray[Any], column: str
) -> FloatArray:
    """One first treated period per unit; a unit with two is refused (treated twice)."""
    n_units = units.size
    low = np.full(n_units, np.inf)
    high = np.full(n_units, -np.inf)
    np.minimum.at(low, unit_code, starts)
    np.maximum.at(high, unit_code, starts)
    if (low != high).any():
        i = int(np.flatnonzero(low != high)[0])
        found = sorted({0 if math.isinf(s) else int(s) for s in starts[unit_code == i]})
        raise PanelError(
            "panel_treated_twice",
            unit=_label(units[i]),
            column=column,
            values=", ".join(str(v) for v in found),
        )
    return low


def _covariates(
    covariates: Mapping[str, Sequence[Any] | npt.NDArray[Any]] | None,
    unit_code: IntArray,
    period_code: IntArray,
    units: npt.NDArray[Any],
    times: FloatArray,
    n_units: int,
    n_periods: int,
) -> tuple[FloatArray | None, tuple[str, ...]]:
    if not covariates:
        return None, ()
    cube = np.full((n_units, n_periods, len(covariates)), np.nan)
    for k, (name, column) in enumerate(covariates.items()):
        values = np.asarray(
            [_number(v) for v in np.asarray(column, dtype=object).tolist()], dtype=np.float64
        )
        if not np.isfinite(values).all():
            i = int(np.flatnonzero(~np.isfinite(values))[0])
            raise PanelError(
                "panel_missing_outcome",
                column=name,
                unit=_label(units[unit_code[i]]),
                period=int(times[i]),
            )
        cube[unit_code, period_code, k] = values
    return cube, tuple(covariates)


def check_controls(panel: StaggeredPanel, control: Control) -> None:
    """Refuse a panel where a treated cohort has no comparison unit in one of its
    treated periods: no never-treated unit at all (``control='never'``), or no unit
    yet untreated (``'not-yet'``: never treated or first treated later)."""
    for g in panel.groups:
        for t in panel.periods[panel.periods >= g]:
            if control == "never":
                available = ~np.isfinite(panel.cohort)
            else:
                available = (panel.cohort > t) & (panel.cohort != g)
            column = panel.periods == t
            observed = ~np.isnan(panel.outcome[:, column].ravel())
            if not (available & observed).any():
                code = (
                    "panel_no_never_treated" if control == "never" else "panel_no_not_yet_treated"
                )
                raise PanelError(code, cohort=int(g), period=int(t))
