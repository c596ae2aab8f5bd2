"""The data behind the public dashboard: one function per panel, all from records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.db.models import Sum

from sinasec.observatory.filters import CrimeFigureFilter
from sinasec.observatory.indicators import indicators, pick_source, survey_series
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source, Survey
from sinasec.observatory.types import (
    IndicatorTable,
    SurveySeries,
    SurveyWavePoint,
    TerritoryFigure,
)


@dataclass(frozen=True)
class Filters:
    """The dashboard's selection: the filter resolved against the data there is (the
    latest year when none or a year without figures is asked; no category when the
    one asked does not exist)."""

    year: int | None
    level: str
    category: str | None
    territory: str | None  # a department ubigeo to focus on
    metric: str  # "count" or "rate"
    nearest_population: bool = False  # asked for: rates with the nearest population year

    @classmethod
    def resolve(cls, wanted: CrimeFigureFilter) -> Filters:
        years = available_years()
        year = wanted.year if wanted.year in years else (years[-1] if years else None)
        category = wanted.category
        if category and not CrimeCategory.objects.filter(code=category).exists():
            category = None
        return cls(
            year,
            wanted.level,
            category,
            wanted.territory,
            wanted.metric,
            wanted.nearest_population,
        )


@dataclass(frozen=True)
class TrendPoint:
    year: int
    count: int | None


def available_years() -> list[int]:
    return sorted(set(CrimeCount.objects.values_list("year", flat=True)))


def table(filters: Filters) -> IndicatorTable:
    """The indicators table, restricted to the focused department when one is chosen."""
    if filters.year is None:
        return {"territories": [], "national_total": None}
    data = cast(
        IndicatorTable,
        indicators(
            filters.year,
            filters.level,
            filters.category,
            nearest_population=filters.nearest_population,
        ),
    )
    if filters.territory:
        data["territories"] = [
            t for t in data["territories"] if t["ubigeo"].startswith(filters.territory)
        ]
    return data


def trend(filters: Filters) -> list[TrendPoint]:
    """Yearly totals of the same source (the focused department's, or national)."""
    if filters.year is None:
        return []
    source: Source | None = pick_source(filters.year)
    rows = CrimeCount.objects.filter(source=source)
    if filters.category:
        rows = rows.filter(category__code=filters.category)
    if filters.territory:
        rows = rows.filter(territory__ubigeo__startswith=filters.territory)
        totals = dict(rows.values_list("year").annotate(n=Sum("count")).order_by())
    else:
        published = dict(
            rows.filter(scope="PE").values_list("year").annotate(n=Sum("count")).order_by()
        )
        summed = dict(
            rows.filter(territory__isnull=False)
            .values_list("year")
            .annotate(n=Sum("count"))
            .order_by()
        )
        totals = {y: published.get(y, summed.get(y)) for y in set(published) | set(summed)}
    return [TrendPoint(y, totals[y]) for y in sorted(totals)]


def surveys() -> list[SurveySeries]:
    return [
        cast(SurveySeries, survey_series(code))
        for code in Survey.objects.values_list("code", flat=True)
    ]


@dataclass(frozen=True)
class SurveyHighlight:
    question: str
    answer: str
    latest: SurveyWavePoint


@dataclass(frozen=True)
class Highlights:
    """The public start page's figures: the latest year's national total and its change,
    the departments with the most crimes reported, each survey's latest wave."""

    year: int | None
    national_total: int | None
    change_pct: float | None
    top: list[TerritoryFigure]
    surveys: list[SurveyHighlight]
    source: str | None
    is_demo: bool


def highlights(top: int = 3) -> Highlights:
    filters = Filters.resolve(CrimeFigureFilter.model_validate({}))
    data = table(filters)
    latest = [
        SurveyHighlight(s["question"], s["answer"], s["waves"][-1]) for s in surveys() if s["waves"]
    ]
    return Highlights(
        filters.year,
        data["national_total"],
        data.get("change_pct"),
        data["territories"][:top],
        latest,
        data.get("source"),
        bool(data.get("is_demo")),
    )
