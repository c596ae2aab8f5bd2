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

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, NotRequired, TypedDict, TypeVar

from django.conf import settings
from django.db.models import Min, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from sinasec.committees.models import Committee, CommitteeEvent, CommitteeLevel, EventKind
from sinasec.territories.reference import region_code_for

LEVELS = ("regional", "provincial", "district")
# How the page, the downloads and the command name each level (and the sum of them).
LEVEL_WORDS = {
    "regional": pgettext_lazy("committee level", "regional"),
    "provincial": pgettext_lazy("committee level", "provincial"),
    "district": pgettext_lazy("committee level", "district"),
    "total": gettext_lazy("total"),
}
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
    # Every region and province present gets a figure, (0, 0) when none applies.
    by_region: dict[str, dict[str, tuple[int, int]]] = {r.region: {} for r in rows}
    by_province: dict[str, dict[str, tuple[int, int]]] = {
        r.ubigeo[:4]: {} for r in rows if r.level != CommitteeLevel.REGIONAL
    }
    # Totals depend only on the levels: computed once per distinct set of levels.
    totals: dict[tuple[str, ...], tuple[list[CommitteeRow], Counter, Counter, Counter]] = {}
    for code in ordered_codes(done):
        levels = levels_of(code)
        if levels not in totals:
            applicable = [r for r in rows if r.level in levels]
            totals[levels] = (applicable, *_tally(applicable))
        applicable, level_total, region_total, province_total = totals[levels]
        finished = done[code]
        met = [r for r in applicable if r.id in finished]
        level_done, region_done, province_done = _tally(met)
        cells: dict[str, dict[str, Any]] = {
            lv: {
                "done": level_done[lv],
                "total": level_total[lv],
                "pct": pct(level_done[lv], level_total[lv]),
            }
            for lv in levels
        }
        total_done, total = len(met), len(applicable)
        counts[code] = {
            **{lv: cells.get(lv) for lv in LEVELS},
            "total": {"done": total_done, "total": total, "pct": pct(total_done, total)},
        }
        pending[code] = [r for r in applicable if r.id not in finished]
        for key, figures in by_region.items():
            figures[code] = (region_done[key], region_total[key])
        for key, figures in by_province.items():
            figures[code] = (province_done[key], province_total[key])
    return Report(as_of, plan_year, region, counts, pending, by_region, by_province)


def _tally(rows: list[CommitteeRow]) -> tuple[Counter, Counter, Counter]:
    """Committees by level, by region and by province (regional committees have none)."""
    return (
        Counter(r.level for r in rows),
        Counter(r.region for r in rows),
        Counter(r.ubigeo[:4] for r in rows if r.level != CommitteeLevel.REGIONAL),
    )


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
    year). The three dated milestones share one DISTINCT query per compliance run (served
    by the (kind, committee, date, year) index), the plan its dates' query."""

    def done(as_of: date, plan_year: int, committee_ids: Collection[int] | None) -> set[int]:
        if kind == EventKind.PLAN:
            return set(plan_dates(as_of, plan_year, committee_ids))
        reached = per_run(("milestones", as_of), committee_ids, partial(_reached, as_of))
        return {pk for pk, kinds in reached.items() if kind in kinds}

    return done


def _reached(as_of: date, committee_ids: Collection[int] | None) -> dict[int, set[str]]:
    found = CommitteeEvent.objects.filter(date__lte=as_of).exclude(kind=EventKind.PLAN)
    if committee_ids is not None:
        found = found.filter(committee_id__in=list(committee_ids))
    reached: dict[int, set[str]] = {}
    for pk, kind in found.values_list("committee_id", "kind").distinct().order_by():
        reached.setdefault(pk, set()).add(kind)
    return reached


for _code, _kind in INDICATORS.items():
    register(Indicator(_code, _kind.label, LEVELS, milestone_done(_kind)))


def plan_dates(
    as_of: date, plan_year: int, committee_ids: Collection[int] | None = None
) -> dict[int, date]:
    """The date each plan for ``plan_year`` was first formulated, by ``as_of``."""

    def first_dates(ids: Collection[int] | None) -> dict[int, date]:
        plans = CommitteeEvent.objects.filter(kind=EventKind.PLAN, year=plan_year, date__lte=as_of)
        if ids is not None:
            plans = plans.filter(committee_id__in=list(ids))
        return dict(plans.values_list("committee_id").annotate(first=Min("date")).order_by())

    return per_run(("plan_dates", as_of, plan_year), committee_ids, first_dates)


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
        first = plan_dates(as_of, plan_year, ids)
        formulated = [first[i] for i in in_scope if i in first]
        report.plan_late = sum(1 for d in formulated if d > deadline)
        report.plan_on_time = len(formulated) - report.plan_late
    return report
