"""The plan filter: one definition serves the plans page and the API list, and the
execution report filter for the API's execution list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.db.models import Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import FilterLookup, FilterSchema, Schema
from pydantic import Field

from sinasec.core.params import Id, Month, SupportedDate, Year
from sinasec.plans.models import PlanStatus, ReportStatus
from sinasec.plans.multiyear.rates import QUARTER, SEMESTER, Period


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


class RankingQuery(Schema):
    """The execution ranking's parameters, as the page's query string and the API spell
    them: a year, a semester or a quarter (the semester when both are given; the
    semester that has begun by the date when neither), and the date."""

    anio: Year | None = None
    semestre: Annotated[int | None, Field(ge=1, le=2)] = None
    trimestre: Annotated[int | None, Field(ge=1, le=4)] = None
    fecha: SupportedDate | None = None

    @property
    def as_of(self) -> date:
        return self.fecha or timezone.localdate()

    @property
    def period(self) -> Period:
        year = self.anio or self.as_of.year
        if self.semestre is None and self.trimestre is not None:
            return Period(year, QUARTER, self.trimestre)
        default = 1 if self.as_of.year != year or self.as_of.month <= 6 else 2
        return Period(year, SEMESTER, self.semestre or default)
