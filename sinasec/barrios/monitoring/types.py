"""The JSON shapes of a barrio's monitoring (:func:`sinasec.barrios.monitoring.series.monitor_barrio`),
as the page, its CSV, the command and the API read them, and of the evaluation built on
it. Apart from the collector so that the evaluation, which the collector calls, can
name them too."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from sinasec.analytics.monitoring import WDDFigures


class Unavailable(TypedDict):
    """A figure that could not be computed, with the code of why (``REASONS``)."""

    available: Literal[False]
    reason: str


class BarrioDescription(TypedDict):
    id: int
    name: str | None
    label: str
    district: str | None  # ubigeo
    launched_on: str | None  # ISO date
    population: int | None


class ComparisonBarrio(BarrioDescription):
    distance: NotRequired[float]  # of its pre-launch months to the barrio's (RMS)


class Comparison(TypedDict):
    """How the comparison barrios were chosen: ``explicit`` or by ``similarity`` (then
    with the candidates, the pre-launch months compared and why none, if so)."""

    chosen_by: str
    candidates: NotRequired[int]
    ranked: NotRequired[list[ComparisonBarrio]]
    pre_launch_months: NotRequired[int]
    reason: NotRequired[str]
    barrios: NotRequired[list[ComparisonBarrio]]


class AreaSeries(TypedDict):
    """One area's monthly series (None: unknown, never 0)."""

    available: bool
    reason: str | None
    count: list[int | None]
    rate: list[float | None]
    population: list[int | None]
    population_year: list[int | None]
    area_km2: NotRequired[float]


class MonitoringWindow(TypedDict):
    start: str  # YYYY-MM
    end: str
    months: int


class Monitoring(TypedDict):
    barrio: BarrioDescription
    window: MonitoringWindow
    months: list[str]
    buffer_m: float
    launch_month: str | None
    launch_index: int | None
    available: bool
    reason: str | None
    areas: dict[str, AreaSeries]  # by AREAS
    comparison: Comparison
    incidents_without_coordinates: int | None
    wdd: WDDFigures | Unavailable
    notes: list[str]
