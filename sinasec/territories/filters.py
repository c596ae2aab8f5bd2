"""The territory filter: one definition serves the search page and the API list."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, FilterSchema, Schema

from sinasec.core.params import Year
from sinasec.core.text import search_key
from sinasec.territories.models import Level


class TerritoryFilter(FilterSchema):
    # A name in any case, with or without accents ("huanuco" finds Huánuco), or the
    # start of a ubigeo.
    q: str | None = None
    level: Level | None = None
    parent: Annotated[str | None, FilterLookup("parent_id")] = None
    region: Annotated[str | None, FilterLookup("region_id")] = None

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(search_name__contains=search_key(value)) | Q(ubigeo__startswith=value.strip())


class YearQuery(Schema):
    """The population year a page shows (default: the latest imported)."""

    year: Year | None = None
