"""The plan filter: one definition serves the plans page and the API list, and the
execution report filter for the API's execution list."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _
from ninja import FilterLookup, FilterSchema
from pydantic import Field

from sinasec.core.params import Id, Month, Year
from sinasec.plans.models import PlanStatus, ReportStatus


class PlanLevel(TextChoices):
    """Whose plan: the national council's, or a committee's of that level."""

    NATIONAL = "national", _("National (CONASEC)")
    REGIONAL = "regional", _("Regional (CORESEC)")
    PROVINCIAL = "provincial", _("Provincial (COPROSEC)")
    DISTRICT = "district", _("District (CODISEC)")


class PlanFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup("title__icontains")] = None
    year: Year | None = None
    level: PlanLevel | None = None
    committee: Annotated[Id | None, FilterLookup("committee_id")] = None
    # A ubigeo prefix: the plans of the committees inside that territory.
    territory: Annotated[
        str | None, FilterLookup("committee__ubigeo__startswith"), Field(pattern=r"^\d{2,6}$")
    ] = None
    status: PlanStatus | None = None

    def filter_level(self, value: PlanLevel | None) -> Q:
        if value is None:
            return Q()
        if value == PlanLevel.NATIONAL:
            return Q(committee__isnull=True)
        return Q(committee__level=value.value)


class ExecutionFilter(FilterSchema):
    status: ReportStatus | None = None
    month: Month | None = None
    institution: Annotated[Id | None, FilterLookup("institution_id")] = None
    part: Annotated[Id | None, FilterLookup("part_id")] = None
