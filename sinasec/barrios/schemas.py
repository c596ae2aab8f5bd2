"""The API shapes every Barrio Seguro router shares: a barrio and an error."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ninja import Schema

from sinasec.barrios.models import Barrio
from sinasec.core.schemas import READ_ERRORS, WRITE_ERRORS, responses

__all__ = ["READ_ERRORS", "WRITE_ERRORS", "BarrioDetailOut", "BarrioOut", "responses"]


class BarrioOut(Schema):
    id: int
    name: str
    district: str | None
    region: str | None
    territory_label: str
    cohort: str
    goal_year: int | None
    status: str
    planned_on: date | None
    launched_on: date | None
    closed_on: date | None
    population: int | None
    articulator: str
    note: str
    has_boundary: bool
    is_demo: bool
    version: int  # send it back with an edit: a barrio saved since is a conflict (409)

    @staticmethod
    def resolve_district(obj: Barrio) -> str | None:
        return obj.district_id

    @staticmethod
    def resolve_region(obj: Barrio) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_has_boundary(obj: Barrio) -> bool:
        return bool(obj.boundary)


class BarrioDetailOut(BarrioOut):
    boundary: dict[str, Any] | None  # the GeoJSON geometry

    @staticmethod
    def resolve_boundary(obj: Barrio) -> dict[str, Any] | None:
        return json.loads(obj.boundary) if obj.boundary else None
