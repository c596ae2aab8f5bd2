"""Compliance of the committees with their indicators, as of any date.

One engine for every indicator: the four milestones (installed, sworn, plan, technical
secretary) are registered here, and the apps above committees (meetings, community,
plans) register theirs in their ``AppConfig.ready()`` through :func:`register`: the
engine never imports them (the import layers forbid it). An indicator says which
committee levels it applies to and gives, as of a date, the ids of the committees
meeting it, with one set-based query or a few, never one per committee.

The arithmetic is a pure function over plain rows (``compute``); ``compliance_as_of``
loads the rows and asks every registered indicator. Percentages are computed from the
counts, rounded half-up to one decimal; published percentages are never copied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NotRequired, TypedDict, TypeVar

from django.conf import settings
from django.db.models import Min, Q
from django.utils.functional import Promise

from sinasec.committees.models import Committee, CommitteeEvent, CommitteeLevel, EventKind
from sinasec.territories.reference import region_code_for

LEVELS = ("regional", "provincial", "district")
# The four milestones and the event kind that marks each (the monthly series and the
# committee page read them by kind).
INDICATORS = {
    "installed": EventKind.INSTALLED,
    "sworn": EventKind.SWORN,
    "plan": EventKind.PLAN,
    "secretary": EventKind.SECRETARY,
}

# (as_of, plan_year, committee ids or None for all) -> ids meeting it as of the date.
DoneFn = Callable[[date, int, Collection[int] | None], set[int]]
# The same arguments -> a short human figure per committee ("2 de 4 sesiones").
DetailFn = Callable[[date, int, Collection[int] | None], dict[int, str]]


@dataclass(frozen=True)
class Indicator:
    code: str  # "installed", "sessions", "consultations", ...
    label: str | Promise  # lazy-translated
    levels: tuple[str, ...]  # the committee levels it applies to (subset of LEVELS)
    done: DoneFn
    detail: DetailFn | None = None
    # How it is computed, in a sentence for the page's notes (lazy-translated).
    rule: str | Promise = ""


_registry: dict[str, Indicator] = {}

V = TypeVar("V")
# One compliance run's answers (see ``per_run``): None outside ``compliance_as_of``.
_run: ContextVar[dict[Any, tuple[set[int] | None, Any]] | None] = ContextVar(
    "compliance_run", default=None
)


def per_run(
    key: Any,
    committee_ids: Collection[int] | None,
    compute: Callable[[Collection[int] | None], dict[int, V]],
) -> dict[int, V]:
    """``compute(committee_ids)`` once per ``compliance_as_of`` run: an indicator's
    ``detail`` asking for its pending committees (a subset of those its ``done`` asked
    for) reads the answer ``done`` got instead of querying again. Outside a run it just
    computes. ``key`` must hold everything the answer depends on but the committees."""
    memo = _run.get()
    if memo is None:
        return compute(committee_ids)
    if key in memo:
        scope, answer = memo[key]
        wanted = None if committee_ids is None else set(committee_ids)
        if scope is None or (wanted is not None and wanted <= scope):
            return answer if wanted is None else {k: v for k, v in answer.items() if k in wanted}
    answer = compute(committee_ids)
    memo[key] = (None if committee_ids is None else set(committee_ids), answer)
    return answer


def register(indicator: Indicator) -> None:
    """Add an indicator (or replace the one with its code: ``ready()`` may run again)."""
    unknown = set(indicator.levels) - set(LEVELS)
    if unknown or not indicator.levels:
        raise ValueError(f"indicator {indicator.code!r}: levels must be a subset of {LEVELS}")
    _registry[indicator.code] = indicator


# Display order of the codes the apps above register (their ready() run in
# INSTALLED_APPS order, plans first); a code not listed comes after, as registered.
DISPLAY_ORDER = (
    *INDICATORS,
    "sessions",
    "consultations",
    "agreements",
    "juntas",
    "trainings",
    "execution",
)


def indicators() -> list[Indicator]:
    """The registered indicators in display order: the four milestones first."""
    rank = {code: n for n, code in enumerate(DISPLAY_ORDER)}
    return sorted(_registry.values(), key=lambda i: rank.get(i.code, len(rank)))


def indicator(code: str) -> Indicator | None:
    return _registry.get(code)


def applies(code: str, level: str) -> bool:
    found = _registry.get(code)
    return found is None or level in found.levels


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
    indicators: dict[str, dict[str, Any]]
    definitions: list[dict[str, Any]]
    plan_timeliness: Timeliness
    by_region: NotRequired[dict[str, dict[str, dict[str, int]]]]
    by_province: NotRequired[dict[str, dict[str, dict[str, int]]]]
    pending: NotRequired[dict[str, list[dict[str, Any]]]]


@dataclass
class Report:
    as_of: date
    plan_year: int
    region: str | None
    # indicator > level > done/total/pct (None: the indicator does not apply to the level)
    counts: dict[str, dict[str, Any]]
    pending: dict[str, list[CommitteeRow]]
    by_region: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    by_province: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    plan_late: int = 0
    plan_on_time: int = 0
    # indicator > committee id > a short figure for the pending lists ("2 de 4 sesiones")
    details: dict[str, dict[int, str]] = field(default_factory=dict)

    def definitions(self) -> list[Indicator]:
        """The indicators of this report, in display order."""
        return [_registry[c] for c in self.counts if c in _registry]

    def as_dict(self, full: bool = False) -> ReportDict:
        """The figures by level; ``full``: also by region and province, and the pending
        committees of each indicator with their detail."""
        data: ReportDict = {
            "as_of": self.as_of.isoformat(),
            "plan_year": self.plan_year,
            "region": self.region,
            "indicators": self.counts,
            "definitions": [
                {"code": i.code, "label": str(i.label), "levels": list(i.levels)}
                for i in self.definitions()
            ],
            "plan_timeliness": {
                "deadline": plan_deadline(self.plan_year).isoformat(),
                "on_time": self.plan_on_time,
                "late": self.plan_late,
            },
        }
        if full:
            data["by_region"] = _done_total(self.by_region)
            data["by_province"] = _done_total(self.by_province)
            data["pending"] = {
                code: [
                    {
                        "id": r.id,
                        "level": r.level,
                        "ubigeo": r.ubigeo,
                        "name": r.name,
                        "detail": self.details.get(code, {}).get(r.id, ""),
                    }
                    for r in rows
                ]
                for code, rows in self.pending.items()
            }
        return data


def _done_total(
    figures: dict[str, dict[str, tuple[int, int]]],
) -> dict[str, dict[str, dict[str, int]]]:
    return {
        key: {code: {"done": d, "total": t} for code, (d, t) in values.items()}
        for key, values in figures.items()
    }


def compute(
    universe: Iterable[CommitteeRow],
    done: dict[str, set[int]],
    as_of: date,
    plan_year: int,
    region: str | None = None,
) -> Report:
    """Counts, percentages and pending lists per indicator and level (pure), for the
    indicators ``done`` has, in display order. An indicator that applies to some levels
    only counts the committees of those levels (its total too); the other levels' cells
    are None ("no aplica") and none of their committees is pending."""
    rows = [r for r in universe if region is None or r.region == region]
    counts: dict[str, dict[str, Any]] = {}
    pending: dict[str, list[CommitteeRow]] = {}
    by_region: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    by_province: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for code in ordered_codes(done):
        levels = levels_of(code)
        finished = done[code]
        per_level = {level: [0, 0] for level in levels}
        # Every region and province present gets a figure, (0, 0) when none applies.
        regions: dict[str, list[int]] = {r.region: [0, 0] for r in rows}
        provinces: dict[str, list[int]] = {
            r.ubigeo[:4]: [0, 0] for r in rows if r.level != CommitteeLevel.REGIONAL
        }
        missing: list[CommitteeRow] = []
        for row in rows:
            if row.level not in per_level:
                continue
            ok = 1 if row.id in finished else 0
            per_level[row.level][0] += ok
            per_level[row.level][1] += 1
            regions[row.region][0] += ok
            regions[row.region][1] += 1
            if row.level != CommitteeLevel.REGIONAL:
                provinces[row.ubigeo[:4]][0] += ok
                provinces[row.ubigeo[:4]][1] += 1
            if not ok:
                missing.append(row)
        total_done = sum(v[0] for v in per_level.values())
        total = sum(v[1] for v in per_level.values())
        cells: dict[str, dict[str, Any] | None] = {
            lv: {"done": d, "total": t, "pct": pct(d, t)} for lv, (d, t) in per_level.items()
        }
        counts[code] = {
            **{lv: cells.get(lv) for lv in LEVELS},
            "total": {"done": total_done, "total": total, "pct": pct(total_done, total)},
        }
        pending[code] = missing
        for key, (d, t) in regions.items():
            by_region[key][code] = (d, t)
        for key, (d, t) in provinces.items():
            by_province[key][code] = (d, t)
    return Report(as_of, plan_year, region, counts, pending, dict(by_region), dict(by_province))


def levels_of(code: str) -> tuple[str, ...]:
    found = _registry.get(code)
    return found.levels if found else LEVELS


def ordered_codes(done: dict[str, set[int]]) -> list[str]:
    """The codes of ``done`` in display order (unregistered ones last, as given)."""
    return [i.code for i in indicators() if i.code in done] + [
        c for c in done if c not in _registry
    ]


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


def milestone_done(kind: str) -> DoneFn:
    """The committees with a milestone's event by the date (the plan: that of the plan
    year). DISTINCT, served by the (kind, committee, date, year) index."""

    def done(as_of: date, plan_year: int, committee_ids: Collection[int] | None) -> set[int]:
        found = CommitteeEvent.objects.filter(kind=kind, date__lte=as_of)
        if kind == EventKind.PLAN:
            found = found.filter(year=plan_year)
        if committee_ids is not None:
            found = found.filter(committee_id__in=list(committee_ids))
        return set(found.values_list("committee_id", flat=True).distinct().order_by())

    return done


for _code, _kind in INDICATORS.items():
    register(Indicator(_code, _kind.label, LEVELS, milestone_done(_kind)))


def plan_dates_as_of(as_of: date, plan_year: int) -> dict[int, date]:
    """The date each plan for ``plan_year`` was first formulated, by ``as_of``."""
    plans = (
        CommitteeEvent.objects.filter(kind=EventKind.PLAN, year=plan_year, date__lte=as_of)
        .values_list("committee_id")
        .annotate(first=Min("date"))
        .order_by()
    )
    return dict(plans)


def compliance_as_of(
    as_of: date,
    region: str | None = None,
    plan_year: int | None = None,
    only: Sequence[str] | None = None,
) -> Report:
    """Every registered indicator (or those of ``only``) as of the date, with the pending
    committees' details. Each indicator is asked once, for all committees (or those of
    the region)."""
    token = _run.set({})
    try:
        return _compliance(as_of, region, plan_year or as_of.year, only)
    finally:
        _run.reset(token)


def _compliance(
    as_of: date, region: str | None, plan_year: int, only: Sequence[str] | None
) -> Report:
    universe = universe_as_of(as_of)
    in_scope = [r.id for r in universe if region is None or r.region == region]
    ids: list[int] | None = None if region is None else in_scope
    chosen = [i for i in indicators() if only is None or i.code in only]
    done = {i.code: i.done(as_of, plan_year, ids) for i in chosen}
    report = compute(universe, done, as_of, plan_year, region)
    for item in chosen:
        missing = [r.id for r in report.pending[item.code]]
        if item.detail is not None and missing:
            report.details[item.code] = item.detail(as_of, plan_year, missing)
    if "plan" in done:
        deadline = plan_deadline(plan_year)
        plan_dates = plan_dates_as_of(as_of, plan_year)
        formulated = [plan_dates[i] for i in in_scope if i in plan_dates]
        report.plan_late = sum(1 for d in formulated if d > deadline)
        report.plan_on_time = len(formulated) - report.plan_late
    return report
