"""Committee filters: one definition serves each list page and its API list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import FilterLookup, FilterSchema, Schema

from sinasec.committees.compliance import indicator as registered
from sinasec.committees.models import CommitteeLevel
from sinasec.core.params import SupportedDate, Year

# The longest monthly series one request computes (50 years).
MAX_SERIES_MONTHS = 600


class CommitteeFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["name__icontains", "ubigeo__startswith"])] = None
    level: CommitteeLevel | None = None


class ComplianceQuery(Schema):
    """The compliance report's parameters, as the page's query string spells them."""

    fecha: SupportedDate | None = None
    region: str | None = None
    anio_plan: Year | None = None
    indicador: str | None = None

    @property
    def as_of(self) -> date:
        return self.fecha or date.today()

    @property
    def indicator(self) -> str:
        return self.indicador if self.indicador and registered(self.indicador) else "installed"
