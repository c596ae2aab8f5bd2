"""Targeting's API: the runs (the page's filter), a run with its ranked units
(paginated), a new run with the page form's parameters, and a barrio from a unit.
National administrators and analysts; writes call the page's services."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.analytics.targeting.index import IndicatorChoice, TargetingError, TargetingParams
from sinasec.barrios.access import get_targeting_run_for_user, get_targeting_runs_for_user
from sinasec.barrios.filters import TargetingRunFilter
from sinasec.barrios.messages import run_note_text
from sinasec.barrios.models import Barrio, TargetingRun
from sinasec.barrios.schemas import WRITE_ERRORS, BarrioDetailOut, responses
from sinasec.barrios.targeting import services
from sinasec.core.params import Count, FiniteFloat, Probability, Year

router = Router(tags=["barrios"])


class RunOut(Schema):
    id: int
    created_at: datetime
    created_by: str = Field(alias="created_by.username")
    parameters: dict[str, Any]
    is_demo: bool


class RunDetailOut(RunOut):
    indicators: list[dict[str, Any]]
    summary: dict[str, Any]
    source: str | None
    population_year: int | None
    excluded: dict[str, int]
    notes: list[str]
    units_stored: int

    @staticmethod
    def resolve_indicators(obj: TargetingRun) -> list[dict[str, Any]]:
        return obj.results.get("indicators", [])

    @staticmethod
    def resolve_summary(obj: TargetingRun) -> dict[str, Any]:
        return obj.results.get("summary") or {}

    @staticmethod
    def resolve_source(obj: TargetingRun) -> str | None:
        return obj.results.get("source")

    @staticmethod
    def resolve_population_year(obj: TargetingRun) -> int | None:
        return obj.results.get("population_year")

    @staticmethod
    def resolve_excluded(obj: TargetingRun) -> dict[str, int]:
        return obj.results.get("excluded") or {}

    @staticmethod
    def resolve_notes(obj: TargetingRun) -> list[str]:
        # Codes as stored; a data warning (a code with values) in the reader's language.
        year = obj.parameters.get("year")
        return [
            n if isinstance(n, str) else run_note_text(n, year)
            for n in obj.results.get("notes") or []
        ]

    @staticmethod
    def resolve_units_stored(obj: TargetingRun) -> int:
        return len(obj.results.get("units", []))


class UnitOut(Schema):
    ubigeo: str  # the unit's code: a district's ubigeo, a cell's or a polygon's code
    name: str
    rank: int
    score: float
    hotspot: str
    values: dict[str, float | None]
    normalised: dict[str, float | None]
    contributions: dict[str, float | None]
    missing: list[str]


class IndicatorIn(Schema):
    key: str = Field(description="rate, total, homicides or count:<category code>")
    weight: FiniteFloat = 1.0


class TargetingIn(Schema):
    """The page form's parameters (custom polygons: the barrios with a boundary)."""

    year: Year
    indicators: list[IndicatorIn] = Field(min_length=1)
    unit: Literal["district", "grid", "polygons"] = "district"
    cell_size_m: FiniteFloat | None = None
    area: str | None = None
    method: Literal["minmax", "z"] = "minmax"
    min_population: Count | None = None
    max_population: Count | None = None
    urban: bool = False
    q: Probability = 0.05
    # Grid and polygons: count incidents forced onto a police station or a centroid too.
    include_forced: bool = False


class BarrioFromUnitIn(Schema):
    name: str = Field("", max_length=160)


def _params(payload: TargetingIn) -> TargetingParams:
    return TargetingParams(
        year=payload.year,
        indicators=tuple(IndicatorChoice(i.key, i.weight) for i in payload.indicators),
        unit=payload.unit,
        cell_size_m=payload.cell_size_m if payload.unit == "grid" else None,
        area=payload.area or None,
        polygons="barrios" if payload.unit == "polygons" else None,
        method=payload.method,
        min_population=payload.min_population,
        max_population=payload.max_population,
        urban=payload.urban,
        q=payload.q,
        include_forced=payload.include_forced,
    )


@router.get("/targeting", response=list[RunOut], auth=user_auth)
@paginate
def runs(request: HttpRequest, filters: Query[TargetingRunFilter]) -> QuerySet[TargetingRun]:
    return filters.filter(get_targeting_runs_for_user(request.user))


@router.post("/targeting", response=responses(RunDetailOut, WRITE_ERRORS, 201), auth=user_auth)
def run(request: HttpRequest, payload: TargetingIn) -> tuple[int, TargetingRun]:
    """Run a targeting and store it (national administrators and analysts; audited)."""
    get_targeting_runs_for_user(request.user)
    try:
        stored = services.run_and_store_targeting(request.user, _params(payload))
    except TargetingError as exc:
        raise HttpError(422, str(exc)) from None
    return 201, stored


@router.get("/targeting/{run_id}", response=responses(RunDetailOut), auth=user_auth)
def run_detail(request: HttpRequest, run_id: int) -> TargetingRun:
    return get_targeting_run_for_user(request.user, run_id)


@router.get("/targeting/{run_id}/results", response=responses(list[UnitOut]), auth=user_auth)
@paginate
def results(request: HttpRequest, run_id: int) -> list[dict[str, Any]]:
    """The run's ranked units, the highest index first."""
    units: list[dict[str, Any]] = get_targeting_run_for_user(request.user, run_id).results["units"]
    return units


@router.post(
    "/targeting/{run_id}/{ubigeo}/barrio",
    response=responses(BarrioDetailOut, WRITE_ERRORS, 201),
    auth=user_auth,
)
def create_barrio(
    request: HttpRequest, run_id: int, ubigeo: str, payload: BarrioFromUnitIn
) -> tuple[int, Barrio]:
    """A targeted barrio from a unit of the run (national administrators, who edit
    barrios; audited): a district, or a cell's or polygon's shape as its boundary."""
    found = get_targeting_run_for_user(request.user, run_id)
    try:
        barrio = services.create_barrio_from_target(request.user, found.pk, ubigeo, payload.name)
    except (ValueError, ObjectDoesNotExist) as exc:
        raise HttpError(422, str(exc)) from None
    return 201, barrio
