"""Barrio Seguro monitoring: monthly incidents in a barrio, around it, in its district
and in comparison barrios, read from the incident store, and the impact estimates built
on them.

Pure functions over arrays (in the style of ``esda``; they live in
:mod:`sinasec.analytics.monitoring` and are re-exported here), then the collectors
that read the store and the database:

- :func:`monthly_counts` counts points per area and month (bounding-box prefilter, then
  shapely 2's vectorised point predicates).
- :func:`grow` draws the buffer of ``B`` metres around a polygon in a local metric
  projection; :func:`barrio_areas` builds the areas of one barrio.
- :func:`rates_per_100k`, :func:`pick_population_year`, :func:`rank_by_similarity` and
  :func:`wdd_window` are the small rules the collector applies, each documented.
- :func:`monitor_barrio` is the monitoring of one barrio (a JSON-able dict, with the
  weighted displacement difference test of :mod:`sinasec.barrios.evaluation.wdd`); the
  barrio x month panel and the staggered difference in differences over many barrios are
  in :mod:`sinasec.barrios.evaluation.did`.

The areas of a barrio
---------------------
``barrio``
    Its polygon (``Barrio.boundary``), closed: a point on its border is inside.
``buffer``
    The ring of ``B`` metres around it (default 400 m): the barrio grown by ``B`` metres
    (round corners: every point within ``B`` metres of the barrio) minus the closed
    barrio. A point on the barrio's border is counted in the barrio, never in the ring,
    so each incident is counted once between the two. The growing is done in a local
    equirectangular projection centred on the barrio (metres east and north, the one of
    :mod:`sinasec.analytics.grid`), exact to well under a metre at that scale.
``district``
    The district polygon (``territories.Boundary``), closed, minus nothing: the barrio,
    its ring and any comparison barrio inside it are counted in it too. It is the
    context, not a control.
``comparison``
    The union of the comparison barrios' polygons, minus the barrio's grown polygon
    (barrio and ring), so an incident is never both treated and control.
``comparison_buffer``
    The union of the comparison barrios' rings: their grown polygons minus their union
    and minus the barrio's grown polygon.

In short, between the four areas of the WDD test (barrio, buffer, comparison,
comparison buffer) every incident counts at most once, in that order of precedence;
the district overlaps them all. Shapely's ``contains_xy`` leaves out points on the
border (they would be counted nowhere), so areas are tested with ``intersects_xy``,
which for a point means "in the closed polygon", and rings subtract closed polygons.
Incidents without coordinates cannot be placed and are counted in no area; how many of
the district's (by ubigeo) lack them is reported.

Comparison barrios
------------------
Given explicitly, or by default the barrios that (1) have a boundary, (2) were not
launched before the end of the window (no launch date, or launched after its last
month: "not yet treated", the control group of the staggered DiD) and (3) do not touch
the barrio's grown polygon (a neighbour would receive its displaced crime), ranked by
similarity of their monthly counts to the barrio's in the pre-launch months of the
window (root mean square difference; ties by id); the closest ``n_comparison`` (3)
are kept.

Rates are incidents in the month per 100,000 inhabitants (monthly, not annualised):
the barrio's own population, the district's from the population table (the year
closest to the month's, at most ``MAX_POPULATION_GAP`` years away, the later one on a
tie, as the observatory does), the comparison's the sum of its barrios' when every one
is known. The buffer has no population. Unknown stays ``None``, never 0.

The WDD test of one barrio
--------------------------
See :mod:`sinasec.barrios.evaluation.wdd`.

Reading the store
-----------------
One DuckDB query per collector (:mod:`sinasec.barrios.monitoring.store`): the months of
the window (pruning the year partitions) and the points within the bounding boxes of
the areas (an ``OR`` of ranges on ``lon`` and ``lat``; with many boxes, a lookup of coarse
grid cells), so only the incidents near the areas reach Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from shapely.geometry.base import BaseGeometry

from sinasec.analytics.monitoring import (
    AREAS,
    DEFAULT_BUFFER_M,
    DEFAULT_COMPARISONS,
    MAX_BUFFER_M,
    MAX_WDD_MONTHS,
    WINDOW_MONTHS,
    Area,
    IntArray,
    MonitoringError,
    Month,
    area_m2,
    barrio_areas,
    bounds,
    grow,
    last_day,
    month_key,
    month_label,
    monthly_counts,
    parse_boundary,
    rank_by_similarity,
    rates_per_100k,
    wdd_reading,
)
from sinasec.barrios.evaluation.wdd import unavailable, wdd_of_monitoring
from sinasec.barrios.messages import REASONS
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.district import district_polygon, district_population
from sinasec.barrios.monitoring.store import (
    Window,
    count_forced,
    count_without_coordinates,
    default_window,
    expanded_box,
    read_points,
)
from sinasec.barrios.monitoring.types import (
    AreaSeries,
    BarrioDescription,
    Comparison,
    ComparisonBarrio,
    Monitoring,
)

if TYPE_CHECKING:
    from sinasec.incidents import IncidentStore

__all__ = [
    "AREAS",
    "DEFAULT_BUFFER_M",
    "DEFAULT_COMPARISONS",
    "MAX_BUFFER_M",
    "MAX_WDD_MONTHS",
    "REASONS",
    "WINDOW_MONTHS",
    "Area",
    "MonitoringError",
    "Window",
    "area_m2",
    "barrio_areas",
    "default_window",
    "grow",
    "monitor_barrio",
    "month_key",
    "monthly_counts",
    "parse_boundary",
    "rank_by_similarity",
    "rates_per_100k",
    "read_points",
    "wdd_reading",
]

# --------------------------------------------------------------------------------------
# Comparison barrios
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    barrio: Barrio
    polygon: BaseGeometry

    def describe(self, distance: float | None = None) -> ComparisonBarrio:
        data: ComparisonBarrio = {**describe_barrio(self.barrio)}
        if distance is not None:
            data["distance"] = distance
        return data


def describe_barrio(barrio: Barrio) -> BarrioDescription:
    return {
        "id": barrio.pk,
        "name": barrio.name or None,
        "label": str(barrio),
        "district": barrio.district_id,
        "launched_on": barrio.launched_on.isoformat() if barrio.launched_on else None,
        "population": barrio.population,
    }


def _explicit_comparisons(
    barrio: Barrio, ids: Sequence[int], window: Window, notes: list[str], among: QuerySet[Barrio]
) -> list[_Candidate]:
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if barrio.pk in wanted:
        raise MonitoringError(_("A barrio cannot be its own comparison."))
    # A barrio outside ``among`` (the user's) is unknown here, as one that does not exist.
    found = {b.pk: b for b in among.filter(pk__in=wanted)}
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise MonitoringError(_("There is no barrio %(ids)s.") % {"ids": ", ".join(missing)})
    chosen = []
    end = last_day(window.last)
    for pk in wanted:
        other = found[pk]
        polygon = parse_boundary(other.boundary)
        if polygon is None:
            notes.append(_("%(barrio)s has no boundary: left out.") % {"barrio": other})
            continue
        if other.launched_on is not None and other.launched_on <= end:
            notes.append(
                _("%(barrio)s was launched on %(day)s, inside the window: not a clean control.")
                % {"barrio": other, "day": other.launched_on.isoformat()}
            )
        chosen.append(_Candidate(other, polygon))
    return chosen


def _default_candidates(
    barrio: Barrio, window: Window, grown: BaseGeometry, among: QuerySet[Barrio]
) -> list[_Candidate]:
    """Barrios of ``among`` with a boundary, not launched before the end of the window,
    not touching the barrio's grown polygon."""
    rows = (
        among.exclude(pk=barrio.pk)
        .exclude(boundary="")
        .filter(Q(launched_on__isnull=True) | Q(launched_on__gt=last_day(window.last)))
        .order_by("pk")
    )
    candidates = []
    for other in rows:
        polygon = parse_boundary(other.boundary)
        if polygon is not None and not polygon.intersects(grown):
            candidates.append(_Candidate(other, polygon))
    return candidates


# --------------------------------------------------------------------------------------
# One barrio
# --------------------------------------------------------------------------------------


def _series(
    counts: Any, people: list[int | None], years: list[int | None] | None, n: int
) -> AreaSeries:
    count: list[int | None] = [int(c) for c in counts] if counts is not None else [None] * n
    return {
        "available": counts is not None,
        "reason": None,
        "count": count,
        "rate": rates_per_100k(count, people),
        "population": people,
        "population_year": years if years is not None else [None] * n,
    }


def monitor_barrio(
    barrio: Barrio,
    store: IncidentStore,
    start: date | Month | str,
    end: date | Month | str,
    buffer_m: float = DEFAULT_BUFFER_M,
    comparison_ids: Sequence[int] | None = None,
    *,
    n_comparison: int = DEFAULT_COMPARISONS,
    among: QuerySet[Barrio] | None = None,
) -> Monitoring:
    """The monthly indicators of one barrio from ``start`` to ``end`` (months, both
    included) and its WDD test, as a JSON-able dict (see the module docstring for the
    areas, the comparison barrios, the rates and the test's periods).

    ``comparison_ids`` chooses the comparison barrios; ``None`` picks the
    ``n_comparison`` most similar not-yet-treated barrios. Where something cannot be
    computed the dict says why with a code of ``REASONS`` (``reason``), never a 0.
    Raises :class:`MonitoringError` for a bad window or buffer and for unknown
    comparison barrios. ``among``: the barrios that may be compared (a user's, from
    ``barrios.access``; default every barrio, the command line's national view); one
    outside it is unknown."""
    window = Window.of(start, end)
    among = Barrio.objects.all() if among is None else among
    if not 0 < buffer_m <= MAX_BUFFER_M:
        raise MonitoringError(
            _("The buffer must be more than 0 and at most %(max)d metres.") % {"max": MAX_BUFFER_M}
        )
    n = window.n_months
    launch_index = window.index(barrio.launched_on)
    result = _unavailable_result(barrio, window, buffer_m, comparison_ids is not None)
    polygon = parse_boundary(barrio.boundary)
    if polygon is None:
        result["reason"] = "no_boundary"
        for area in AREAS:
            result["areas"][area]["reason"] = "no_boundary"
        return result
    grown = grow(polygon, buffer_m)
    district = district_polygon(barrio.district_id)
    if comparison_ids is not None:
        candidates = _explicit_comparisons(barrio, comparison_ids, window, result["notes"], among)
    else:
        candidates = _default_candidates(barrio, window, grown, among)
    boxes = [bounds(grown)] + ([bounds(district)] if district is not None else [])
    boxes += [expanded_box(bounds(c.polygon), buffer_m) for c in candidates]
    points = read_points(store, boxes, window)

    comparison = result["comparison"]
    if comparison_ids is not None:
        chosen = candidates
        comparison["barrios"] = [c.describe() for c in chosen]
    else:
        chosen = _choose(polygon, candidates, points, n, launch_index, comparison)
        chosen = chosen[:n_comparison]
        comparison["barrios"] = comparison.pop("ranked", [])[:n_comparison]

    areas = barrio_areas(polygon, buffer_m, district, [c.polygon for c in chosen])
    present = {name: item for name, item in areas.items() if item is not None}
    counts = dict(zip(present, monthly_counts(*points, list(present.values()), n), strict=True))
    result["areas"] = _area_series(barrio, window, counts, chosen, comparison)
    if district is None:
        result["areas"]["district"]["reason"] = "no_district_boundary"
    for area, item in present.items():
        result["areas"][area]["area_km2"] = round(_area_km2(item), 4)
    if barrio.district_id:
        result["incidents_without_coordinates"] = count_without_coordinates(
            store, barrio.district_id, window
        )
        forced = count_forced(store, barrio.district_id, window)
        if forced:
            result["notes"].append(
                ngettext(
                    "%(n)d incident of the district in the window has a point forced onto a "
                    "police station or a centroid and is counted in no area.",
                    "%(n)d incidents of the district in the window have a point forced onto a "
                    "police station or a centroid and are counted in no area.",
                    forced,
                )
                % {"n": forced}
            )
    result["available"] = True
    result["wdd"] = wdd_of_monitoring(result, launch_index, bool(chosen), comparison.get("reason"))
    return result


def _unavailable_result(
    barrio: Barrio, window: Window, buffer_m: float, explicit: bool
) -> Monitoring:
    """The monitoring before anything is counted: every figure unknown."""
    n = window.n_months
    return {
        "barrio": describe_barrio(barrio),
        "window": {"start": window.labels[0], "end": window.labels[-1], "months": n},
        "months": window.labels,
        "buffer_m": buffer_m,
        "launch_month": month_label(month_key(barrio.launched_on)) if barrio.launched_on else None,
        "launch_index": window.index(barrio.launched_on),
        "available": False,
        "reason": None,
        "areas": {area: _series(None, [None] * n, None, n) for area in AREAS},
        "comparison": {"chosen_by": "explicit" if explicit else "similarity"},
        "incidents_without_coordinates": None,
        "wdd": unavailable("no_boundary"),
        "notes": [],
    }


def _area_series(
    barrio: Barrio,
    window: Window,
    counts: dict[str, IntArray],
    chosen: list[_Candidate],
    comparison: Comparison,
) -> dict[str, AreaSeries]:
    """Every area's counts and rates per month, with the population each rate used."""
    n = window.n_months
    district_people, district_years = district_population(barrio.district_id, window)
    comparison_people = [c.barrio.population for c in chosen]
    comparison_total = (
        sum(comparison_people)  # type: ignore[arg-type]
        if chosen and all(p is not None for p in comparison_people)
        else None
    )
    populations: dict[str, tuple[list[int | None], list[int | None] | None]] = {
        "barrio": ([barrio.population] * n, None),
        "buffer": ([None] * n, None),
        "district": (district_people, district_years),
        "comparison": ([comparison_total] * n, None),
        "comparison_buffer": ([None] * n, None),
    }
    series = {area: _series(counts.get(area), *populations[area], n) for area in AREAS}
    if not chosen:
        for area in ("comparison", "comparison_buffer"):
            series[area]["reason"] = comparison.get("reason") or "no_comparison"
    return series


def _area_km2(area: Area) -> float:
    total = area_m2(area.include)
    if area.exclude:
        inner = area.include
        for other in area.exclude:
            inner = inner.difference(other)
        total = area_m2(inner)
    return total / 1e6


def _choose(
    polygon: BaseGeometry,
    candidates: list[_Candidate],
    points: tuple[np.ndarray, np.ndarray, np.ndarray],
    n: int,
    launch_index: int | None,
    comparison: Comparison,
) -> list[_Candidate]:
    """Candidates ranked by similarity of their pre-launch months to the barrio's."""
    comparison["candidates"] = len(candidates)
    comparison["ranked"] = []
    pre = n if launch_index is None else max(0, min(launch_index, n))
    comparison["pre_launch_months"] = pre
    if pre == 0:
        comparison["reason"] = "no_pre_launch_months"
        return []
    if not candidates:
        comparison["reason"] = "no_comparison"
        return []
    polygons = [polygon, *(c.polygon for c in candidates)]
    counts = monthly_counts(*points, polygons, n)[:, :pre]
    by_id = {c.barrio.pk: c for c in candidates}
    ranked = rank_by_similarity(counts[0], counts[1:], list(by_id))
    comparison["ranked"] = [by_id[pk].describe(distance) for pk, distance in ranked]
    return [by_id[pk] for pk, _distance in ranked]
