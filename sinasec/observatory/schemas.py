"""What the observatory's API returns: the figures of ``observatory.types`` as
OpenAPI-described schemas. Keys that are Python keywords ("from", "class") are
aliases, sent as written by endpoints declared with ``by_alias=True``."""

from __future__ import annotations

from ninja import Field, Schema

from sinasec.observatory.models import CrimeCount


class CategoryOut(Schema):
    code: str
    name: str
    penal_family: str
    penal_articles: str
    iccs_section: str
    iccs_name: str


class CrimeCountOut(Schema):
    """One published or imported count (``territory`` null and ``scope`` "PE": a
    national total printed by the source)."""

    source: str
    territory: str | None
    scope: str
    year: int
    month: int | None
    category: str | None
    modality: str
    count: int
    is_demo: bool

    @staticmethod
    def resolve_source(obj: CrimeCount) -> str:
        return obj.source.code

    @staticmethod
    def resolve_territory(obj: CrimeCount) -> str | None:
        return obj.territory_id

    @staticmethod
    def resolve_category(obj: CrimeCount) -> str | None:
        return obj.category.code if obj.category else None


class TerritoryFigureOut(Schema):
    rank: int
    ubigeo: str
    name: str
    count: int
    share_pct: float | None
    rate_per_100k: float | None
    population_year: int | None


class IndicatorsOut(Schema):
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
    territories: list[TerritoryFigureOut]


class SurveyWaveOut(Schema):
    year: int
    label: str
    pct: float
    n: int
    ci_low: float
    ci_high: float


class SurveyChangeOut(Schema):
    from_year: int = Field(..., alias="from")
    to: int
    difference_points: float
    z: float
    p_value: float
    significant: bool
    published_claim: str | None
    claim_supported: bool | None


class SurveySeriesOut(Schema):
    indicator: str
    question: str
    answer: str
    waves: list[SurveyWaveOut]
    changes: list[SurveyChangeOut]


class HotspotUnitOut(Schema):
    ubigeo: str
    name: str
    count: int
    z: float
    p: float
    label: str = Field(..., alias="class")


class HotspotsOut(Schema):
    year: int
    level: str
    category: str | None
    q: float
    units: list[HotspotUnitOut]
    note: str | None = None
    left_out: list[str] = []
