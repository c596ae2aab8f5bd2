"""Reads of plans."""

from __future__ import annotations

from django.db.models import Prefetch

from sinasec.institutions.models import Institution
from sinasec.plans.models import Activity, ActivityPart, Plan
from sinasec.plans.services import resolve_responsibles
from sinasec.plans.validation import ActivityRow, Finding, PartRow, validate


def find_plan(key: str) -> Plan | None:
    """``2010`` is the national plan of that year; anything else a plan id."""
    if key.isdigit() and len(key) == 4:
        return Plan.objects.filter(year=int(key), committee__isnull=True).first()
    return Plan.objects.filter(pk=int(key)).first() if key.isdigit() else None


def activities_of(plan: Plan) -> list[Activity]:
    return list(
        Activity.objects.filter(strategy__plan=plan)
        .select_related("strategy")
        .prefetch_related(
            Prefetch("parts", queryset=ActivityPart.objects.prefetch_related("institutions"))
        )
    )


def validate_plan(plan: Plan) -> list[Finding]:
    institutions = {i.acronym: i for i in Institution.objects.all()}
    rows = [
        ActivityRow(
            strategy=a.strategy.number,
            number=a.number,
            unit=a.unit,
            parts=tuple(
                PartRow(
                    p.responsible_text,
                    p.goal,
                    tuple(p.programmed),
                    tuple(resolve_responsibles(p.responsible_text, institutions)[1]),
                )
                for p in a.parts.all()
            ),
        )
        for a in activities_of(plan)
    ]
    return validate(rows, plan.strategies.values_list("number", flat=True))
