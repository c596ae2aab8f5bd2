"""The crime-figures filter: one definition serves the dashboard page (whose form
writes its parameters in Spanish: ``anio``, ``nivel``, ``categoria``, ``territorio``,
``medida``) and the API (``year``, ``level``, ``category``, ``territory``, ``metric``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import Q
from ninja import FilterLookup, FilterSchema
from pydantic import AliasChoices, Field

from sinasec.core.params import Year

Level = Literal["department", "province", "district"]
Metric = Literal["count", "rate"]


def _named(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class CrimeFigureFilter(FilterSchema):
    year: Annotated[Year | None, _named("year", "anio")]
    level: Annotated[
        Level, Field(default="department", validation_alias=AliasChoices("level", "nivel"))
    ]
    category: Annotated[str | None, FilterLookup("category__code"), _named("category", "categoria")]
    territory: Annotated[
        str | None,
        FilterLookup("territory__ubigeo__startswith"),
        Field(
            default=None,
            pattern=r"^\d{2}$",
            validation_alias=AliasChoices("territory", "territorio"),
        ),
    ]
    metric: Annotated[
        Metric, Field(default="count", validation_alias=AliasChoices("metric", "medida"))
    ]
    # Rates with the nearest loaded population year when the year's own is missing:
    # only when asked for, and the page says which year it used.
    nearest_population: Annotated[
        bool,
        Field(
            default=False,
            validation_alias=AliasChoices("nearest_population", "poblacion_cercana"),
        ),
    ]

    def filter_level(self, value: str) -> Q:
        return Q()  # how figures are grouped, not which ones

    def filter_metric(self, value: str) -> Q:
        return Q()  # how figures are shown, not which ones

    def filter_nearest_population(self, value: bool) -> Q:
        return Q()  # how rates are computed, not which figures
