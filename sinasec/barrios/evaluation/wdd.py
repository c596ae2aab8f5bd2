"""The weighted displacement difference test of one barrio, on the monthly counts its
monitoring collected (:func:`sinasec.barrios.monitoring.series.monitor_barrio`).

Wheeler & Ratcliffe's test: treated = barrio, control = comparison, buffer = buffer,
control buffer = comparison buffer. After = the launch month and the following ones to
the end of the window, at most 12; before = as many months just before the launch
(:func:`sinasec.analytics.monitoring.wdd_window`)."""

from __future__ import annotations

from typing import Any

from sinasec.analytics.monitoring import AREAS, wdd_from_series, wdd_window


def unavailable(reason: str) -> dict[str, Any]:
    """A figure that could not be computed, with the code of why."""
    return {"available": False, "reason": reason}


def wdd_of_monitoring(
    result: dict[str, Any], launch_index: int | None, has_comparison: bool, why: str | None
) -> dict[str, Any]:
    """The WDD test on a monitoring ``result`` (its months and its areas' counts), or
    why it is not available (no launch in the window, no comparison barrios)."""
    window = wdd_window(result["window"]["months"], launch_index)
    if isinstance(window, str):
        return unavailable(window)
    if not has_comparison:
        return unavailable(why or "no_comparison")
    series = {area: result["areas"][area]["count"] for area in AREAS}
    return wdd_from_series(series, window, result["months"])
