"""The shapes of the observatory's figures, as the indicators compute them and the
dashboard, the command and the API read them: the API declares these as its response
schemas, so there is one definition of each."""

from typing import NotRequired, TypedDict

from sinasec.incidents.geocoding import LeftOut


class TerritoryFigure(TypedDict):
    rank: int
    ubigeo: str
    name: str
    count: int
    share_pct: float | None
    rate_per_100k: float | None
    population_year: int | None


class IndicatorTable(TypedDict):
    """A year's indicators (the dashboard shows only an empty ``territories`` and no
    ``national_total`` when there is no year with figures)."""

    year: NotRequired[int]
    level: NotRequired[str]
    category: NotRequired[str | None]
    source: NotRequired[str | None]
    is_demo: NotRequired[bool]
    national_total: int | None
    national_total_is_published: NotRequired[bool]
    listed_total: NotRequired[int]
    unlisted_remainder: NotRequired[int | None]
    previous_total: NotRequired[int | None]
    change_pct: NotRequired[float | None]
    territories: list[TerritoryFigure]
    population_year: NotRequired[int | None]
    population_years: NotRequired[list[int]]
    population_is_nearest: NotRequired[bool]


class SurveyWavePoint(TypedDict):
    year: int
    label: str
    pct: float
    n: int
    ci_low: float
    ci_high: float


# "from" and "class" are keywords: the functional form.
SurveyChange = TypedDict(
    "SurveyChange",
    {
        "from": int,
        "to": int,
        "difference_points": float,
        "z": float,
        "p_value": float,
        "significant": bool,
        "published_claim": str | None,
        "claim_supported": bool | None,
    },
)


class SurveySeries(TypedDict):
    indicator: str
    question: str
    answer: str
    waves: list[SurveyWavePoint]
    changes: list[SurveyChange]


HotspotUnit = TypedDict(
    "HotspotUnit",
    {"ubigeo": str, "name": str, "count": int, "z": float, "p": float, "class": str},
)


class Hotspots(TypedDict):
    year: int
    level: str
    category: str | None
    q: float
    units: list[HotspotUnit]  # "class": hot, cold or not_significant
    note: NotRequired[str]  # when there are too few territories to test
    left_out: NotRequired[list[str]]


# A significant cell of the grid hot spots: its centre, count, Gi* z and "class" (hot or
# cold; the cells that are not significant are left out).
GridHotspotCell = TypedDict(
    "GridHotspotCell",
    {"lat": float, "lon": float, "count": int, "z": float, "class": str},
)


class GridSize(TypedDict):
    rows: int
    cols: int


class GridHotspots(TypedDict):
    year: int
    cell_m: float
    q: float
    incidents: int
    cells: list[GridHotspotCell]
    left_out: LeftOut  # forced or missing placements not counted, per district
    grid: NotRequired[GridSize]
    note: NotRequired[str]  # when there are too few incidents to test
