"""The weighted displacement difference test of one barrio, on the monthly counts its
monitoring collected (:func:`sinasec.barrios.monitoring.series.monitor_barrio`).

Wheeler & Ratcliffe's test: treated = barrio, control = comparison, buffer = buffer,
control buffer = comparison buffer. After = the launch month and the following ones to
the end of the window, at most 12; before = as many months just before the launch
(:func:`sinasec.analytics.monitoring.wdd_window`)."""

from __future__ import annotations

from sinasec.analytics.monitoring import WDD_AREAS, WDDFigures, wdd_from_series, wdd_window
from sinasec.barrios.monitoring.types import Monitoring, Unavailable


def unavailable(reason: str) -> Unavailable:
    """A figure that could not be computed, with the code of why."""
    return {"available": False, "reason": reason}


def wdd_of_monitoring(
    result: Monitoring, launch_index: int | None, has_comparison: bool, why: str | None
) -> WDDFigures | Unavailable:
    """The WDD test on a monitoring ``result`` (its months and its areas' counts), or
    why it is not available (no launch in the window, no comparison barrios)."""
    window = wdd_window(result["window"]["months"], launch_index)
    if isinstance(window, str):
        return unavailable(window)
    if not has_comparison:
        return unavailable(why or "no_comparison")
    series = {area: _counts(result["areas"][area]["count"]) for area in WDD_AREAS}
    return wdd_from_series(series, window, result["months"])


def _counts(counts: list[int | None]) -> list[int]:
    """The monthly counts of an area of the test (counted, so none is unknown)."""
    known = [c for c in counts if c is not None]
    if len(known) != len(counts):
        raise ValueError("an area of the WDD test was not counted")
    return known
