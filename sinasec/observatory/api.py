from django.http import Http404, HttpRequest
from ninja import Router, Schema

from sinasec.observatory.indicators import (
    LEVEL_LENGTH,
    indicators,
    survey_series,
    territory_hotspots,
)
from sinasec.observatory.models import CrimeCategory, Survey

router = Router(tags=["observatory"])


class CategoryOut(Schema):
    code: str
    name: str
    penal_family: str
    penal_articles: str
    iccs_section: str
    iccs_name: str


@router.get(
    "/categories", response=list[CategoryOut], summary="Crime categories mapped to UNODC ICCS"
)
def categories(request: HttpRequest) -> object:
    return CrimeCategory.objects.all()


def _level(level: str) -> str:
    if level not in LEVEL_LENGTH:
        raise Http404(f"unknown level {level!r}")
    return level


@router.get("/indicators", summary="Totals, change, shares, rates and ranking for a year")
def indicator_table(
    request: HttpRequest, year: int, level: str = "department", category: str | None = None
) -> dict:
    return indicators(year, _level(level), category)


@router.get(
    "/surveys/{code}", summary="A survey indicator per wave with Wilson intervals and change tests"
)
def survey(request: HttpRequest, code: str) -> dict:
    if not Survey.objects.filter(code=code).exists():
        raise Http404(f"unknown survey indicator {code!r}")
    return survey_series(code)


@router.get("/hotspots", summary="Getis-Ord Gi* over territories with false-discovery control")
def hotspots(
    request: HttpRequest,
    year: int,
    level: str = "department",
    category: str | None = None,
    q: float = 0.05,
) -> dict:
    return territory_hotspots(year, _level(level), category, q)
