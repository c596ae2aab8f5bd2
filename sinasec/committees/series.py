"""Monthly compliance series: the four milestones at every month end of a period.

``monthly_series`` gives, at each month end, the figures ``compliance_as_of`` would give
on that date (same universe, same rule per indicator, same rounding), without one query
per month. The loader runs two queries: the committees (with the date each entered the
registry) and the first date of each event per committee, kind and plan year. Everything
else is arithmetic over NumPy arrays of day numbers (``date.toordinal()``), done by the
pure helpers below.

The idea: a committee counts as done for an indicator on a date when it is in the
universe (``established_on`` empty or on/before the date) and its first event of that
kind is on/before the date. So each committee has one "reached" day per indicator, the
later of those two dates, and the count on any date is how many reached days are
on/before it: one ``searchsorted`` over the sorted reached days answers every month at
once.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypedDict, cast

import numpy as np
import numpy.typing as npt
from django.db.models import Min, Q

from sinasec.committees.compliance import INDICATORS, LEVELS, pct
from sinasec.committees.models import Committee, CommitteeEvent, EventKind
from sinasec.territories.reference import region_code_for

Days = npt.NDArray[np.int64]

# Day number of a committee in the registry before any record (``established_on`` empty).
ALWAYS = 0
# Day number of a milestone never reached.
NEVER = np.iinfo(np.int64).max


def month_ends(start: date, end: date) -> list[date]:
    """The last day of every month with ``start <= month end <= end``, in order."""
    if start > end:
        return []
    ends: list[date] = []
    year, month = start.year, start.month
    while True:
        last = date(year, month, calendar.monthrange(year, month)[1])
        if last > end:
            return ends
        if last >= start:
            ends.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def day_numbers(dates: Iterable[date | None], missing: int = ALWAYS) -> Days:
    """Dates as ordinal day numbers (``missing`` for None)."""
    return np.fromiter((missing if d is None else d.toordinal() for d in dates), dtype=np.int64)


def first_reached(
    size: int, positions: npt.NDArray[np.intp], days: Days, established: Days
) -> Days:
    """For ``size`` committees, the day each reaches a milestone: the earliest of its
    event days (``positions[i]`` is the committee of ``days[i]``), but never before it
    entered the registry; ``NEVER`` for committees with no event."""
    first = np.full(size, NEVER, dtype=np.int64)
    np.minimum.at(first, positions, days)
    return np.maximum(first, established)  # NEVER is the largest day: it stays NEVER


def count_on_or_before(days: Days, when: Days) -> npt.NDArray[np.intp]:
    """How many of ``days`` are on or before each of ``when``."""
    return np.searchsorted(np.sort(days), when, side="right")


class Figure(TypedDict):
    done: int
    total: int
    pct: float | None


class MonthFigures(TypedDict):
    """One month end of the series: each indicator overall, and per level."""

    date: date
    plan_year: int | None  # None when any year's plan counts
    installed: Figure
    sworn: Figure
    plan: Figure
    secretary: Figure
    levels: dict[str, dict[str, Figure]]  # indicator > level > figure


def figure_of(row: MonthFigures, indicator: str) -> Figure:
    """One indicator's figure of a month, ``indicator`` one of ``INDICATORS``."""
    return cast(Figure, cast(Mapping[str, object], row)[indicator])


def figure(done: int, total: int) -> Figure:
    return {"done": done, "total": total, "pct": pct(done, total)}


@dataclass(frozen=True)
class SeriesData:
    """What the loader reads, as arrays (one row per committee, one per event group).

    ``event_pos`` indexes the committee arrays; ``event_year`` is -1 where the event has
    no plan year; ``event_first`` is the first day of that committee, kind and year."""

    established: Days
    level: npt.NDArray[np.str_]
    event_pos: npt.NDArray[np.intp]
    event_kind: npt.NDArray[np.str_]
    event_year: Days
    event_first: Days


def compute_series(
    data: SeriesData, months: Sequence[date], plan_year_of_month: bool = True
) -> list[MonthFigures]:
    """The figures per month end (pure). Each row: ``date``, ``plan_year`` (None when
    any year's plan counts), one ``{"done", "total", "pct"}`` per indicator, and the
    same per level under ``levels[indicator][level]``."""
    if not months:
        return []
    when = day_numbers(months)
    size = len(data.established)
    groups = {"total": np.ones(size, dtype=bool)} | {lv: data.level == lv for lv in LEVELS}

    def counts(reached: Days) -> dict[str, npt.NDArray[np.intp]]:
        return {name: count_on_or_before(reached[mask], when) for name, mask in groups.items()}

    universe = counts(data.established)
    done: dict[str, dict[str, npt.NDArray[np.intp]]] = {}
    for name, kind in INDICATORS.items():
        of_kind = data.event_kind == str(kind)
        if kind != EventKind.PLAN or not plan_year_of_month:
            reached = first_reached(
                size, data.event_pos[of_kind], data.event_first[of_kind], data.established
            )
            done[name] = counts(reached)
            continue
        # One set of reached days per plan year: a month counts its own year's plans.
        years = np.array([m.year for m in months])
        done[name] = {g: np.zeros(len(months), dtype=np.intp) for g in groups}
        for year in np.unique(years):
            rows = of_kind & (data.event_year == year)
            reached = first_reached(
                size, data.event_pos[rows], data.event_first[rows], data.established
            )
            in_year = years == year
            for g, values in counts(reached).items():
                done[name][g][in_year] = values[in_year]

    series: list[MonthFigures] = []
    for i, month in enumerate(months):
        overall = {
            name: figure(int(done[name]["total"][i]), int(universe["total"][i]))
            for name in INDICATORS
        }
        levels = {
            name: {lv: figure(int(done[name][lv][i]), int(universe[lv][i])) for lv in LEVELS}
            for name in INDICATORS
        }
        series.append(
            MonthFigures(
                date=month,
                plan_year=month.year if plan_year_of_month else None,
                installed=overall["installed"],
                sworn=overall["sworn"],
                plan=overall["plan"],
                secretary=overall["secretary"],
                levels=levels,
            )
        )
    return series


def load_series_data(
    start: date, end: date, region: str | None, plan_year_of_month: bool
) -> SeriesData:
    """The two queries: committees in the registry by ``end`` (in ``region``, the
    regional government as ``compliance`` derives it) and the first event date per
    committee, kind and plan year up to ``end``."""
    committees = [
        (pk, level, established)
        for pk, level, ubigeo, region_id, established in Committee.objects.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=end)
        )
        .order_by("id")
        .values_list("id", "level", "ubigeo", "region_id", "established_on")
        if region is None or (region_id or region_code_for(ubigeo) or "") == region
    ]
    ids = np.array([c[0] for c in committees], dtype=np.int64)
    events = CommitteeEvent.objects.filter(date__lte=end)
    if plan_year_of_month:
        events = events.filter(
            ~Q(kind=EventKind.PLAN) | Q(year__gte=start.year, year__lte=end.year)
        )
    grouped = list(
        events.values("committee_id", "kind", "year")  # GROUP BY these three
        .annotate(first=Min("date"))
        .order_by()
        .values_list("committee_id", "kind", "year", "first")  # tuples: no dict per row
    )
    event_ids, kinds, years, firsts = zip(*grouped, strict=True) if grouped else ((),) * 4
    ids_of_events = np.array(event_ids, dtype=np.int64)
    pos = np.searchsorted(ids, ids_of_events)
    known = pos < len(ids)
    known[known] = ids[pos[known]] == ids_of_events[known]  # drop committees out of scope
    return SeriesData(
        established=day_numbers(c[2] for c in committees),
        level=np.array([c[1] for c in committees], dtype=str),
        event_pos=pos[known],
        event_kind=np.array(kinds, dtype=str)[known],
        event_year=np.array([-1 if y is None else y for y in years], dtype=np.int64)[known],
        event_first=day_numbers(firsts)[known],
    )


def monthly_series(
    start: date, end: date, region: str | None = None, plan_year_of_month: bool = True
) -> list[MonthFigures]:
    """Compliance at every month end from ``start`` to ``end`` (inclusive), as
    ``compliance_as_of`` computes it on each of those dates: the universe is the
    committees in the registry by that date and, with ``plan_year_of_month``, the plan
    indicator counts plans for the month's own year (without it, a plan for any year
    counts). ``region`` restricts to one regional government. Two queries in all."""
    months = month_ends(start, end)
    if not months:
        return []
    data = load_series_data(months[0], months[-1], region, plan_year_of_month)
    return compute_series(data, months, plan_year_of_month)
