"""Every write of targeting: run a targeting and store it, create a barrio from one of
its units. National administrators and analysts run; only national administrators
create a barrio (``barrios.access``); audited."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext
from shapely.geometry import shape

from sinasec.accounts.scope import AnyUser
from sinasec.analytics.targeting.index import TargetingParams
from sinasec.analytics.targeting.units import unit_geometry
from sinasec.audit.services import record_change
from sinasec.barrios.access import (
    check_barrio_creation_access,
    check_targeting_access,
    get_targeting_run_for_user,
)
from sinasec.barrios.models import Barrio, BarrioStatus, TargetingRun
from sinasec.barrios.targeting.data import run_targeting
from sinasec.territories.models import Boundary, Level, Territory


def run_and_store_targeting(
    actor: AnyUser, params: TargetingParams, features: list[dict[str, Any]] | None = None
) -> TargetingRun:
    """Run a targeting and store it with its parameters, the data it used and its
    results (national administrators and analysts only; audited). ``features``: the
    custom polygons of a ``polygons`` run (default: the barrios with a boundary)."""
    check_targeting_access(actor)  # national administrators and analysts only
    assert isinstance(actor, User)  # an anonymous user has no national scope
    result = run_targeting(params, features)
    with transaction.atomic():
        run = TargetingRun.objects.create(
            created_by=actor,
            parameters=params.as_dict(),
            data_snapshot=result.snapshot,
            results=result.as_dict(),
            is_demo=bool(result.snapshot.get("is_demo")),
        )
        record_change(
            actor,
            "barrios.run_targeting",
            run,
            gettext("Targeting run #%(run)d: %(unit)s, %(year)d, %(n)d units ranked")
            % {
                "run": run.pk,
                "unit": params.unit,
                "year": params.year,
                "n": result.summary.get("ranked", len(result.units)),
            },
            after={
                "parameters": params.as_dict(),
                "source": result.source,
                "population_year": result.population_year,
                "units": result.summary.get("ranked", len(result.units)),
                "top": [u["ubigeo"] for u in result.units[:10]],
            },
        )
    return run


def create_barrio_from_target(actor: AnyUser, run_id: int, ubigeo: str, name: str = "") -> Barrio:
    """A targeted barrio from a unit of a stored run (audited): a district, or a grid
    cell or custom polygon, whose shape becomes the barrio's boundary and whose district
    is the one that holds its centre."""
    check_barrio_creation_access(actor)  # those who edit barrios, not the analyst
    run = get_targeting_run_for_user(actor, run_id)
    unit = next((u for u in run.results.get("units", []) if u["ubigeo"] == ubigeo), None)
    if unit is None:
        raise ValueError(
            gettext("%(unit)s is not in targeting run #%(run)d.") % {"unit": ubigeo, "run": run.pk}
        )
    kind = run.parameters.get("unit")
    boundary = "" if kind == "district" else json.dumps(unit_geometry(run.data_snapshot, ubigeo))
    district = (
        Territory.objects.get(ubigeo=ubigeo) if kind == "district" else _district_of(boundary)
    )
    total = run.results.get("summary", {}).get("ranked", len(run.results["units"]))
    note = gettext(
        "Targeted by run #%(run)d (%(year)d): rank %(rank)d of %(total)d, index %(score).3f."
    ) % {
        "run": run.pk,
        "year": run.parameters.get("year"),
        "rank": unit["rank"],
        "total": total,
        "score": unit["score"],
    }
    with transaction.atomic():
        barrio = Barrio.objects.create(
            name=name.strip(),
            district=district,
            region=district.region,
            territory_label=district.name,
            cohort="",
            status=BarrioStatus.TARGETED,
            boundary=boundary,
            note=note,
            is_demo=False,
        )
        record_change(
            actor,
            "barrios.create_from_target",
            barrio,
            gettext("Barrio targeted in %(district)s from targeting run #%(run)d")
            % {"district": district.name, "run": run.pk},
            after={
                "name": barrio.name,
                "district": district.ubigeo,
                "region": barrio.region_id,
                "status": barrio.status,
                "run": run.pk,
                "unit": ubigeo,
                "rank": unit["rank"],
                "score": unit["score"],
                "boundary": bool(boundary),
            },
            territory_ubigeo=district.ubigeo,
        )
    return barrio


def _district_of(boundary: str) -> Territory:
    """The district whose polygon holds a shape's representative point: only the
    polygons whose stored bounding box holds the point are parsed."""
    point = shape(json.loads(boundary)).representative_point()
    candidates = Boundary.objects.filter(
        territory__level=Level.DISTRICT,
        min_lon__lte=point.x,
        max_lon__gte=point.x,
        min_lat__lte=point.y,
        max_lat__gte=point.y,
    ).order_by("territory_id")
    for ubigeo, geometry in candidates.values_list("territory_id", "geometry"):
        if point.within(shape(json.loads(geometry))):
            return Territory.objects.get(ubigeo=ubigeo)
    raise ValueError(gettext("No imported district polygon holds this unit."))
