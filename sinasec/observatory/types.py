"""The shapes of the observatory's figures, as the indicators compute them and the
dashboard, the API and the command read them."""

from __future__ import annotations

from typing import TypedDict


class TerritoryFigure(TypedDict):
    rank: int
    ubigeo: str
    name: str
    count: int
    share_pct: float | None
    rate_per_100k: float | None
    population_year: int | None


class IndicatorTable(TypedDict, total=False):
    """A year's indicators (only ``territories`` and ``national_total`` when there is
    no year with figures)."""

    year: int
    level: str
    category: str | None
    source: str | None
    is_demo: bool
    national_total: int | None
    national_total_is_published: bool
    listed_total: int
    unlisted_remainder: int | None
    previous_total: int | None
    change_pct: float | None
    territories: list[TerritoryFigure]


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


class Hotspots(TypedDict, total=False):
    year: int
    level: str
    category: str | None
    q: float
    units: list[HotspotUnit]  # "class": hot, cold or not_significant
    note: str
    left_out: list[str]
