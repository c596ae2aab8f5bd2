"""Monitoring's API (read-only): a barrio's monthly series and its WDD evaluation, from
the function the page and its CSV use."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from sinasec.accounts.auth import user_auth
from sinasec.barrios.access import get_barrio_for_user
from sinasec.barrios.monitoring.options import monitoring_result
from sinasec.barrios.monitoring.series import MonitoringError
from sinasec.barrios.monitoring.types import Monitoring
from sinasec.barrios.schemas import responses

router = Router(tags=["barrios"])

ERRORS = (401, 403, 404, 422)


class WindowIn(Schema):
    start: str = Field("", alias="from", description="first month, YYYY-MM")
    end: str = Field("", alias="to", description="last month, YYYY-MM")
    buffer_m: str = Field("", description="the buffer's width in metres (default 400)")
    compare: list[str] = Field([], description="comparison barrios (default: the most similar)")


class EvaluationOut(Schema):
    barrio: int
    window: dict[str, Any]
    comparison: dict[str, Any]
    wdd: dict[str, Any]  # the weighted displacement difference the page shows


def _result(request: HttpRequest, barrio_id: int, window: WindowIn) -> Monitoring:
    barrio = get_barrio_for_user(request.user, barrio_id)
    try:
        _options, result = monitoring_result(
            request.user, barrio, window.start, window.end, window.buffer_m, window.compare
        )
    except MonitoringError as exc:
        raise HttpError(422, str(exc)) from None
    if result is None:
        raise HttpError(422, _("The incident store is empty."))
    return result


@router.get("/{barrio_id}/monitoring", response=responses(Monitoring, ERRORS), auth=user_auth)
def monitoring(request: HttpRequest, barrio_id: int, window: Query[WindowIn]) -> Monitoring:
    """Monthly incidents in the barrio, its buffer, its district and comparison barrios."""
    return _result(request, barrio_id, window)


@router.get("/{barrio_id}/evaluation", response=responses(EvaluationOut, ERRORS), auth=user_auth)
def evaluation(request: HttpRequest, barrio_id: int, window: Query[WindowIn]) -> dict[str, Any]:
    """The barrio against its comparison barrios before and after its launch (WDD)."""
    result = _result(request, barrio_id, window)
    return {
        "barrio": barrio_id,
        "window": result["window"],
        "comparison": result["comparison"],
        "wdd": result["wdd"],
    }
