"""Reads of plans: finding a plan, its activities, how its responsibles resolve, and its
validation findings. Nothing here writes; the services build on these reads."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from sinasec.institutions.models import Institution
from sinasec.institutions.reference import resolve_alias, split_responsibles
from sinasec.plans.models import Activity, ActivityPart, Plan
from sinasec.plans.validation import ActivityRow, Finding, PartRow, validate


def find_plan(key: str) -> Plan | None:
    """``2010`` is the national plan of that year; anything else a plan id."""
    if key.isdigit() and len(key) == 4:
        return Plan.objects.filter(year=int(key), committee__isnull=True).first()
    return Plan.objects.filter(pk=int(key)).first() if key.isdigit() else None


def plans() -> QuerySet[Plan]:
    """Every plan, newest first, with its committee (the list page and the API list)."""
    return Plan.objects.select_related("committee").order_by("-year", "committee_id", "pk")


def activities(plan: Plan) -> QuerySet[Activity]:
    """A plan's activities in order, with their strategy and their parts' institutions."""
    return (
        Activity.objects.filter(strategy__plan=plan)
        .select_related("strategy")
        .prefetch_related(
            Prefetch("parts", queryset=ActivityPart.objects.prefetch_related("institutions"))
        )
        .order_by("strategy__number", "number")
    )


def activities_of(plan: Plan) -> list[Activity]:
    return list(activities(plan))


def institutions_by_acronym() -> dict[str, Institution]:
    return {i.acronym: i for i in Institution.objects.all()}


def resolve_responsibles(
    text: str, institutions: dict[str, Institution]
) -> tuple[list[Institution], list[str]]:
    """The institutions a "Responsable" cell names, and the names it could not resolve."""
    found: list[Institution] = []
    unresolved: list[str] = []
    for name in split_responsibles(text):
        acronym = resolve_alias(name)
        if acronym and acronym in institutions:
            found.append(institutions[acronym])
        else:
            unresolved.append(name)
    return found, unresolved


def validate_plan(plan: Plan) -> list[Finding]:
    institutions = institutions_by_acronym()
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
