"""The filters of Barrio Seguro's lists: one definition serves the page (which validates
``request.GET`` through it with :func:`from_query`) and the API list (``Query[...]``)."""

from __future__ import annotations

from typing import Annotated, TypeVar

from django.db.models import QuerySet
from ninja import FilterLookup, FilterSchema

from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.core.params import Id, SupportedDate, Year

F = TypeVar("F", bound=FilterSchema)


class BarrioFilter(FilterSchema):
    """The registry's list and the barrio x sector matrix."""

    status: BarrioStatus | None = None
    cohort: str | None = None
    goal_year: Year | None = None
    region: Annotated[str | None, FilterLookup("region_id")] = None
    # A territory's ubigeo: the barrios of its districts (a department, province or district).
    territory: Annotated[str | None, FilterLookup("district__ubigeo__startswith")] = None
    sector: Annotated[str | None, FilterLookup("commitments__sector__acronym")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "territory_label__icontains"])] = None

    def filter(self, queryset: QuerySet[Barrio]) -> QuerySet[Barrio]:  # type: ignore[override]
        # A sector with several commitments to one barrio must not list it twice.
        return super().filter(queryset).distinct()


class TargetingRunFilter(FilterSchema):
    unit: Annotated[str | None, FilterLookup("parameters__unit")] = None
    year: Annotated[Year | None, FilterLookup("parameters__year")] = None


class CommitmentFilter(FilterSchema):
    barrio: Annotated[Id | None, FilterLookup("barrio_id")] = None
    sector: Annotated[str | None, FilterLookup("sector__acronym")] = None


class DeliveryFilter(FilterSchema):
    barrio: Annotated[Id | None, FilterLookup("commitment__barrio_id")] = None
    commitment: Annotated[Id | None, FilterLookup("commitment_id")] = None
    sector: Annotated[str | None, FilterLookup("commitment__sector__acronym")] = None


class SessionFilter(FilterSchema):
    barrio: Annotated[Id | None, FilterLookup("barrio_id")] = None
    held_from: Annotated[SupportedDate | None, FilterLookup("held_on__gte")] = None
    held_to: Annotated[SupportedDate | None, FilterLookup("held_on__lte")] = None


def chosen(filters: FilterSchema) -> dict[str, str]:
    """The filter's values as the page's form shows them (blank: not chosen)."""
    return {
        name: "" if value is None else str(value)
        for name, value in filters.model_dump(mode="json").items()
    }
