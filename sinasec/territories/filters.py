"""The territory filter: one definition serves the search page and the API list."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema

from sinasec.core.params import Year
from sinasec.territories.models import Level


class TerritoryFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["name__icontains", "ubigeo__startswith"])] = None
    level: Level | None = None
    parent: Annotated[str | None, FilterLookup("parent_id")] = None
    region: Annotated[str | None, FilterLookup("region_id")] = None


class YearQuery(Schema):
    """The population year a page shows (default: the latest imported)."""

    year: Year | None = None
