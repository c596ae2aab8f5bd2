"""Compliance of the committees with their four milestones, as of any date.

The arithmetic is a pure function over plain rows (``compute``); ``compliance_as_of``
loads those rows with three queries. Percentages are computed from the counts, rounded
half-up to one decimal; published percentages are never copied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.db.models import Min, Q

from sinasec.committees.models import Committee, CommitteeEvent, CommitteeLevel, EventKind
from sinasec.territories.reference import region_code_for

LEVELS = ("regional", "provincial", "district")
INDICATORS = {
    "installed": EventKind.INSTALLED,
    "sworn": EventKind.SWORN,
    "plan": EventKind.PLAN,
    "secretary": EventKind.SECRETARY,
}


def pct(done: int, total: int) -> float | None:
    if total == 0:
        return None
    value = Decimal(done * 100) / Decimal(total)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CommitteeRow:
    id: int
    level: str
    ubigeo: str
    name: str
    region: str  # regional government code
    is_demo: bool = False


class Timeliness(TypedDict):
    deadline: str
    on_time: int
    late: int


class ReportDict(TypedDict):
    as_of: str
    plan_year: int
    region: str | None
    indicators: dict[str, dict[str, dict[str, Any]]]
    plan_timeliness: Timeliness


@dataclass
class Report:
    as_of: date
    plan_year: int
    region: str | None
    counts: dict[str, dict[str, dict[str, Any]]]  # indicator > level > done/total/pct
    pending: dict[str, list[CommitteeRow]]
    by_region: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    by_province: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    plan_late: int = 0
    plan_on_time: int = 0

    def as_dict(self) -> ReportDict:
        return {
            "as_of": self.as_of.isoformat(),
            "plan_year": self.plan_year,
            "region": self.region,
            "indicators": self.counts,
            "plan_timeliness": {
                "deadline": plan_deadline(self.plan_year).isoformat(),
                "on_time": self.plan_on_time,
                "late": self.plan_late,
            },
        }


def compute(
    universe: Iterable[CommitteeRow],
    done: dict[str, set[int]],
    as_of: date,
    plan_year: int,
    region: str | None = None,
) -> Report:
    """Counts, percentages and pending lists per indicator and level (pure)."""
    rows = [r for r in universe if region is None or r.region == region]
    counts: dict[str, dict[str, dict[str, Any]]] = {}
    pending: dict[str, list[CommitteeRow]] = {}
    by_region: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    by_province: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for indicator in INDICATORS:
        finished = done.get(indicator, set())
        per_level = {level: [0, 0] for level in LEVELS}
        regions: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        provinces: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        missing: list[CommitteeRow] = []
        for row in rows:
            ok = row.id in finished
            per_level[row.level][1] += 1
            regions[row.region][1] += 1
            if row.level != CommitteeLevel.REGIONAL:
                provinces[row.ubigeo[:4]][1] += 1
            if ok:
                per_level[row.level][0] += 1
                regions[row.region][0] += 1
                if row.level != CommitteeLevel.REGIONAL:
                    provinces[row.ubigeo[:4]][0] += 1
            else:
                missing.append(row)
        total_done = sum(v[0] for v in per_level.values())
        total = sum(v[1] for v in per_level.values())
        counts[indicator] = {
            **{lv: {"done": d, "total": t, "pct": pct(d, t)} for lv, (d, t) in per_level.items()},
            "total": {"done": total_done, "total": total, "pct": pct(total_done, total)},
        }
        pending[indicator] = missing
        for code, (d, t) in regions.items():
            by_region[code][indicator] = (d, t)
        for code, (d, t) in provinces.items():
            by_province[code][indicator] = (d, t)
    return Report(as_of, plan_year, region, counts, pending, dict(by_region), dict(by_province))


def universe_as_of(as_of: date) -> list[CommitteeRow]:
    committees = Committee.objects.filter(
        Q(established_on__isnull=True) | Q(established_on__lte=as_of)
    ).values_list("id", "level", "ubigeo", "name", "region_id", "is_demo")
    return [
        CommitteeRow(pk, level, ubigeo, name, region or region_code_for(ubigeo) or "", demo)
        for pk, level, ubigeo, name, region, demo in committees
    ]


def plan_deadline(year: int) -> date:
    """The date by which a committee's plan for ``year`` counts as on time
    (``SINASEC_PLAN_DEADLINE`` as MM-DD of the plan year; default 03-31)."""
    month, day = (int(x) for x in settings.PLAN_DEADLINE.split("-"))
    return date(year, month, day)


def done_as_of(as_of: date, plan_year: int) -> tuple[dict[str, set[int]], dict[int, date]]:
    """Committee ids that reached each milestone by ``as_of``, and the date each plan
    for ``plan_year`` was first formulated. Two queries."""
    # Milestones other than the plan only need to exist by the date: DISTINCT, served
    # by the (kind, committee, date, year) index without reading the table.
    reached = (
        CommitteeEvent.objects.filter(date__lte=as_of)
        .exclude(kind=EventKind.PLAN)
        .values_list("committee_id", "kind")
        .distinct()
        .order_by()
    )
    done: dict[str, set[int]] = {name: set() for name in INDICATORS}
    by_kind = {str(kind): name for name, kind in INDICATORS.items()}
    for committee_id, kind in reached:
        done[by_kind[kind]].add(committee_id)
    plans = (
        CommitteeEvent.objects.filter(kind=EventKind.PLAN, year=plan_year, date__lte=as_of)
        .values_list("committee_id")
        .annotate(first=Min("date"))
        .order_by()
    )
    plan_dates = dict(plans)
    done["plan"] = set(plan_dates)
    return done, plan_dates


def compliance_as_of(
    as_of: date, region: str | None = None, plan_year: int | None = None
) -> Report:
    plan_year = plan_year or as_of.year
    done, plan_dates = done_as_of(as_of, plan_year)
    universe = universe_as_of(as_of)
    report = compute(universe, done, as_of, plan_year, region)
    deadline = plan_deadline(plan_year)
    in_scope = [r.id for r in universe if region is None or r.region == region]
    formulated = [plan_dates[i] for i in in_scope if i in plan_dates]
    report.plan_late = sum(1 for d in formulated if d > deadline)
    report.plan_on_time = len(formulated) - report.plan_late
    return report
