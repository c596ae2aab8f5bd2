"""Reads of one committee: its four milestones as of a date ("Mi comité")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Q

from sinasec.committees.compliance import INDICATORS, plan_deadline
from sinasec.committees.models import Committee, CommitteeEvent, EventKind


@dataclass(frozen=True)
class Milestone:
    key: str  # installed / sworn / plan / secretary, as in the compliance report
    label: str
    reached_on: date | None  # the first event's date, None: missing


@dataclass(frozen=True)
class Milestones:
    as_of: date
    plan_year: int
    plan_deadline: date
    items: list[Milestone]

    @property
    def missing(self) -> list[Milestone]:
        return [m for m in self.items if m.reached_on is None]


def milestones(committee: Committee, as_of: date) -> Milestones:
    """The committee's milestones as of ``as_of``, counted as the compliance report
    counts them (the plan is the plan for ``as_of``'s year). One query."""
    firsts = dict(
        CommitteeEvent.objects.filter(committee=committee, date__lte=as_of)
        .filter(~Q(kind=EventKind.PLAN) | Q(year=as_of.year))
        .values_list("kind")
        .annotate(first=Min("date"))
        .order_by()
    )
    items = [
        Milestone(key, str(EventKind(kind).label), firsts.get(kind))
        for key, kind in INDICATORS.items()
    ]
    return Milestones(as_of, as_of.year, plan_deadline(as_of.year), items)
