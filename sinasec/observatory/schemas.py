"""What the observatory's API returns for its records; the computed figures are
declared by their ``observatory.types`` directly."""

from __future__ import annotations

from ninja import Schema

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
