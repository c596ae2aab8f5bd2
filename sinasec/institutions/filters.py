"""The institution filter: one definition serves the list page and the API."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from sinasec.institutions.models import Kind


class InstitutionFilter(FilterSchema):
    q: Annotated[
        str | None,
        FilterLookup(["acronym__icontains", "name__icontains", "aliases__text__icontains"]),
    ] = None
    kind: Kind | None = None
    current: Annotated[bool | None, FilterLookup("successor__isnull")] = None
