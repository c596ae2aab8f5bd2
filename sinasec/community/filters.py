"""The filters of the community lists: one definition serves the page (through
``core.filters.read_filter``) and the API list (``Query[...]``)."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from sinasec.community.models import RecognisedBy
from sinasec.core.params import Id, SupportedDate


class JuntaFilter(FilterSchema):
    # A territory's ubigeo: the juntas of its districts (a department, province or district).
    territory: Annotated[str | None, FilterLookup("district__ubigeo__startswith")] = None
    recognised_by: RecognisedBy | None = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "sector__icontains"])] = None


class TrainingFilter(FilterSchema):
    committee: Annotated[Id | None, FilterLookup("committee_id")] = None
    organiser: Annotated[str | None, FilterLookup("organiser__acronym")] = None
    held_from: Annotated[SupportedDate | None, FilterLookup("held_on__gte")] = None
    held_to: Annotated[SupportedDate | None, FilterLookup("held_on__lte")] = None
    q: Annotated[str | None, FilterLookup(["event__icontains", "topic__icontains"])] = None


class ProjectFilter(FilterSchema):
    committee: Annotated[Id | None, FilterLookup("committee_id")] = None
    territory: Annotated[str | None, FilterLookup("committee__ubigeo__startswith")] = None
    q: Annotated[str | None, FilterLookup(["cui", "name__icontains"])] = None
