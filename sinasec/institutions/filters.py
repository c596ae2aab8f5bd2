"""The institution filter: one definition serves the list page and the API."""

from __future__ import annotations

from ninja import Field, FilterSchema

from sinasec.institutions.models import Kind


class InstitutionFilter(FilterSchema):
    q: str | None = Field(
        None, q=["acronym__icontains", "name__icontains", "aliases__text__icontains"]
    )
    kind: Kind | None = None
    current: bool | None = Field(None, q="successor__isnull")
