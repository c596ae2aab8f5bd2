"""The registry's API: the barrio list (the page's filter), a barrio, its status, details
and boundary, and progress against the annual goal. Writes call the page's services."""

from typing import Any

from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.barrios.access import get_barrio_for_user, get_barrios_for_user
from sinasec.barrios.filters import BarrioFilter
from sinasec.barrios.models import Barrio
from sinasec.barrios.registry import selectors, services
from sinasec.barrios.schemas import WRITE_ERRORS, BarrioDetailOut, BarrioOut, responses
from sinasec.core.params import Count, SupportedDate, Version, Year

router = Router(tags=["barrios"])

API_BOUNDARY_NAME = "api.geojson"  # how a boundary sent by API is named in the audit


class StatusIn(Schema):
    status: str = Field(description="planned, launched or closed (forward only)")
    on_date: SupportedDate
    version: Version = Field(description="the barrio's version read (required; 409 if stale)")


class DetailsIn(Schema):
    """Only the fields sent change; blank stays blank (unknown, not zero). ``version``:
    the barrio's version read; a barrio saved since is a conflict (409), never reverted."""

    version: Version

    name: str | None = Field(None, max_length=160)
    articulator: str | None = Field(None, max_length=160)
    population: Count | None = None
    goal_year: Year | None = Field(None, ge=2016)


class TerritoryRowOut(Schema):
    label: str
    planned: int
    launched: int
    total: int


class GoalMonthOut(Schema):
    month: int
    planned: int
    launched: int
    planned_new: int
    launched_new: int


class GoalOut(Schema):
    year: int
    goal: int | None
    launched: int
    planned: int
    barrios: int
    to_goal: int | None
    by_territory: list[TerritoryRowOut]
    months: list[GoalMonthOut]
    planned_date_unknown: int
    launched_date_unknown: int
    is_demo: bool


@router.get("", response=list[BarrioOut], auth=user_auth, summary="The barrios the user reads")
@paginate
def barrios(request: HttpRequest, filters: Query[BarrioFilter]) -> Any:
    return filters.filter(get_barrios_for_user(request.user))


@router.get("/goal", response=responses(GoalOut, (401,)), auth=user_auth)
def goal(request: HttpRequest, year: Year | None = None) -> dict[str, Any]:
    """Barrios of a year's goal planned and launched, by territory and month by month."""
    year = year or selectors.default_goal_year()
    progress = selectors.goal_progress(year)
    monthly = selectors.goal_progress_by_month(year)
    goal_value = progress["goal"]
    return {
        **progress,
        "to_goal": None if goal_value is None else max(goal_value - progress["launched"], 0),
        "by_territory": selectors.territory_rows(progress),
        "months": monthly["months"],
        "planned_date_unknown": monthly["planned"]["date_unknown"],
        "launched_date_unknown": monthly["launched"]["date_unknown"],
    }


@router.get("/{barrio_id}", response=responses(BarrioDetailOut), auth=user_auth)
def barrio(request: HttpRequest, barrio_id: int) -> Barrio:
    return get_barrio_for_user(request.user, barrio_id)


@router.post(
    "/{barrio_id}/status", response=responses(BarrioDetailOut, WRITE_ERRORS), auth=user_auth
)
def change_status(request: HttpRequest, barrio_id: int, payload: StatusIn) -> Barrio:
    """Move the barrio forward on a date (the Barrio Seguro team; audited)."""
    get_barrio_for_user(request.user, barrio_id, write=True)
    return services.change_barrio_status(
        request.user, barrio_id, payload.status, payload.on_date, payload.version
    )


@router.patch("/{barrio_id}", response=responses(BarrioDetailOut, WRITE_ERRORS), auth=user_auth)
def edit_details(request: HttpRequest, barrio_id: int, payload: DetailsIn) -> Barrio:
    """Name, articulator, population and goal year (the Barrio Seguro team; audited)."""
    current = get_barrio_for_user(request.user, barrio_id, write=True)
    sent = payload.model_fields_set
    return services.update_barrio_details(
        request.user,
        barrio_id,
        name=(payload.name or "") if "name" in sent else current.name,
        articulator=(payload.articulator or "") if "articulator" in sent else current.articulator,
        population=payload.population if "population" in sent else current.population,
        goal_year=payload.goal_year if "goal_year" in sent else current.goal_year,
        expected_version=payload.version,
    )


@router.put(
    "/{barrio_id}/boundary", response=responses(BarrioDetailOut, WRITE_ERRORS), auth=user_auth
)
def set_boundary(
    request: HttpRequest,
    barrio_id: int,
    geojson: Body[dict[str, Any]],
    version: Version,
) -> Barrio:
    """The barrio's polygon: a GeoJSON Polygon or MultiPolygon (a geometry, a Feature or a
    collection of one), checked as an uploaded file is; 422 with the problems.
    ``?version=``: the barrio's version read, required (422 without it, 409 if the
    barrio was saved since)."""
    get_barrio_for_user(request.user, barrio_id, write=True)
    return services.set_barrio_boundary(
        request.user, barrio_id, request.body, API_BOUNDARY_NAME, version
    )
