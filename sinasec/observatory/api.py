"""Observatory API: public aggregates (categories, counts, indicators, surveys, hot
spots), filtered with the dashboard's own filter."""

from typing import cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from sinasec.core.params import Probability
from sinasec.core.schemas import ErrorOut
from sinasec.observatory import dashboard
from sinasec.observatory.access import get_survey_for_user
from sinasec.observatory.filters import CrimeFigureFilter
from sinasec.observatory.indicators import survey_series, territory_hotspots
from sinasec.observatory.models import CrimeCategory, CrimeCount
from sinasec.observatory.schemas import CategoryOut, CrimeCountOut
from sinasec.observatory.types import Hotspots, IndicatorTable, SurveySeries

router = Router(tags=["observatory"])
NotFound = tuple[int, dict[str, str]]


@router.get(
    "/categories", response=list[CategoryOut], summary="Crime categories mapped to UNODC ICCS"
)
@paginate
def categories(request: HttpRequest) -> QuerySet[CrimeCategory]:
    return CrimeCategory.objects.order_by("code")


@router.get("/counts", response=list[CrimeCountOut], summary="The counts, as published or imported")
@paginate
def counts(request: HttpRequest, filters: Query[CrimeFigureFilter]) -> QuerySet[CrimeCount]:
    rows = CrimeCount.objects.select_related("source", "category").order_by(
        "source__code", "year", "month", "territory_id", "modality", "pk"
    )
    return filters.filter(rows)


def _selection(filters: CrimeFigureFilter) -> dashboard.Filters | None:
    """The dashboard's selection for exactly what was asked (the latest year when none
    is), or None when there are no figures for that year or category."""
    selection = dashboard.Filters.resolve(filters)
    asked = (filters.year or selection.year, filters.category)
    if selection.year is None or (selection.year, selection.category) != asked:
        return None
    return selection


def _not_found() -> NotFound:
    return 404, {"detail": _("There are no crime figures for that year or category.")}


@router.get(
    "/indicators",
    response={200: IndicatorTable, 404: ErrorOut},
    summary="Totals, change, shares, rates and ranking for a year",
)
def indicator_table(
    request: HttpRequest, filters: Query[CrimeFigureFilter]
) -> IndicatorTable | NotFound:
    selection = _selection(filters)
    if selection is None:
        return _not_found()
    return dashboard.table(selection)


@router.get(
    "/surveys/{code}",
    response={200: SurveySeries, 404: ErrorOut},
    summary="A survey indicator per wave with Wilson intervals and change tests",
)
def survey(request: HttpRequest, code: str) -> SurveySeries:
    return cast(SurveySeries, survey_series(get_survey_for_user(request.user, code).code))


@router.get(
    "/hotspots",
    response={200: Hotspots, 404: ErrorOut},
    summary="Getis-Ord Gi* over territories with false-discovery control",
)
def hotspots(
    request: HttpRequest, filters: Query[CrimeFigureFilter], q: Probability = 0.05
) -> Hotspots | NotFound:
    selection = _selection(filters)
    if selection is None or selection.year is None:
        return _not_found()
    found = territory_hotspots(selection.year, selection.level, selection.category, q)
    return cast(Hotspots, found)
