"""The territory filter: one definition serves the search page and the API list."""

from __future__ import annotations

from ninja import Field, FilterSchema

from sinasec.territories.models import Level


class TerritoryFilter(FilterSchema):
    q: str | None = Field(None, q=["name__icontains", "ubigeo__startswith"])
    level: Level | None = None
    parent: str | None = Field(None, q="parent_id")
    region: str | None = Field(None, q="region_id")
