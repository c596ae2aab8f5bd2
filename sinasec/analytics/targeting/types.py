"""The JSON shapes of targeting: a run's parameters, its stored results and the data
snapshot it ranked (two layouts: a list of units, or a grid; see
:mod:`sinasec.analytics.targeting.units`). The snapshots are collected by
:mod:`sinasec.barrios.targeting.data` and stored with the run, so a run can be scored
again from them alone."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

# --------------------------------------------------------------------------------------
# Parameters and results


class IndicatorChoiceData(TypedDict):
    key: str
    weight: float
    direction: int


class TargetingParamsData(TypedDict):
    year: int
    indicators: list[IndicatorChoiceData]
    unit: str
    method: str
    min_population: int | None
    max_population: int | None
    urban: bool
    q: float
    source: str | None
    cell_size_m: float | None
    area: str | None
    polygons: str | None
    include_forced: NotRequired[bool]  # absent in runs stored before it: False


class IndicatorSummary(IndicatorChoiceData):
    """An indicator of a run: its label and, when any unit was ranked, its normalised
    weight, location and spread (min and range, or mean and SD) and missing values."""

    label: str
    normalised_weight: NotRequired[float]
    location: NotRequired[float | None]
    spread: NotRequired[float | None]
    missing: NotRequired[int]


class UnitDescription(TypedDict):
    """What a result says of a unit besides its scores (``centre``: a grid cell's)."""

    ubigeo: str
    name: str
    values: dict[str, float | None]
    population: int | None
    centre: NotRequired[list[float]]


class RankedUnit(UnitDescription):
    rank: int
    score: float
    contributions: dict[str, float]
    normalised: dict[str, float | None]
    missing: list[str]
    hotspot: str  # hot, cold, not_significant or not_tested
    not_tested_reason: str | None
    gi_z: float | None
    gi_p: float | None


class RankingSummary(TypedDict):
    ranked: int
    hotspots: dict[str, int]  # units per hot spot class


class TargetingResultData(TypedDict):
    """The results stored with a run (its snapshot is stored on its own)."""

    parameters: TargetingParamsData
    units: list[RankedUnit]
    indicators: list[IndicatorSummary]
    source: str | None
    population_year: int | None
    excluded: dict[str, int]
    notes: list[str]  # codes ("hotspots_too_few"), translated by barrios.messages
    summary: RankingSummary


# --------------------------------------------------------------------------------------
# Data snapshots


class Geometry(TypedDict):
    """A GeoJSON Polygon or MultiPolygon (longitude, latitude)."""

    type: str
    coordinates: list[Any]


class GridData(TypedDict):
    """:class:`~sinasec.analytics.targeting.units.GridGeometry` in a snapshot."""

    lon_min: float
    lat_max: float
    lat0: float
    cell_m: float
    n_rows: int
    n_cols: int


class PolygonFeature(TypedDict):
    """A custom polygon to rank (a barrio's boundary or a feature of an uploaded file)."""

    code: str
    name: str
    population: int | None
    geometry: Geometry


class SnapshotUnit(TypedDict):
    """A district or custom polygon of a snapshot; ``neighbours`` are the codes of its
    queen neighbours (None without a polygon)."""

    ubigeo: str
    name: str
    population: int | None
    capital_category: NotRequired[str]  # districts
    listed_by_source: NotRequired[bool]  # districts
    values: dict[str, float | None]  # None: unknown
    neighbours: list[str] | None
    geometry: NotRequired[Geometry]  # custom polygons


class SnapshotBase(TypedDict):
    unit: str
    year: int
    source: str | None
    source_name: str | None
    is_demo: bool
    population_year: int | None
    category_names: dict[str, str]
    excluded: dict[str, int]  # units left out by each filter
    notes: list[str]  # codes ("no_population"), translated by barrios.messages


class DistrictSnapshot(SnapshotBase):
    units: list[SnapshotUnit]


class StoreSnapshot(SnapshotBase):
    """A snapshot counted from the incident store (custom polygons or a grid)."""

    area: str | None


class PolygonSnapshot(StoreSnapshot):
    units: list[SnapshotUnit]
    incidents: int  # read within the polygons' bounding box


class GridIncidents(TypedDict):
    on_grid: int
    outside: int  # located, but outside the area's polygon
    unlocated: int
    forced: NotRequired[int]  # left out: forced onto a police station or a centroid


class GridSnapshot(StoreSnapshot):
    grid: GridData
    cells: str  # the ranked cells' indices, packed
    values: dict[str, str]  # per indicator, one count per ranked cell, packed
    incidents: GridIncidents


Snapshot = DistrictSnapshot | PolygonSnapshot | GridSnapshot
