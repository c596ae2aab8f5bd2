"""Every write to plans."""

from __future__ import annotations

from django.db import transaction

from sinasec.institutions.models import Institution
from sinasec.institutions.reference import resolve_alias, split_responsibles
from sinasec.plans import reference_2010
from sinasec.plans.models import Activity, ActivityPart, Plan, PlanStatus, Strategy


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


def load_national_plan_2010() -> Plan:
    """The 2010 national operational plan as transcribed from the seed (idempotent).

    Rows the text extraction lost are not invented: validation reports them as gaps.
    """
    existing = Plan.objects.filter(year=2010, committee__isnull=True).first()
    if existing is not None:
        return existing
    institutions = {i.acronym: i for i in Institution.objects.all()}
    with transaction.atomic():
        plan = Plan.objects.create(
            year=2010,
            title="Plan Operativo Nacional de Seguridad Ciudadana 2010",
            status=PlanStatus.SUBMITTED,
            source="ST-CONASEC, Plan Operativo Nacional de Seguridad Ciudadana 2010 (sección V)",
        )
        strategies = {
            ref.number: Strategy.objects.create(plan=plan, number=ref.number, name=ref.name)
            for ref in reference_2010.STRATEGIES
        }
        for ref in reference_2010.ACTIVITIES:
            activity = Activity.objects.create(
                strategy=strategies[ref.strategy],
                number=ref.number,
                description=ref.description,
                unit=ref.unit,
                source_text=ref.raw,
            )
            for order, part in enumerate(ref.parts, start=1):
                row = ActivityPart.objects.create(
                    activity=activity,
                    order=order,
                    responsible_text=part.responsible,
                    goal=part.goal,
                    programmed=list(part.months),
                    note=part.note,
                )
                found, _unresolved = resolve_responsibles(part.responsible, institutions)
                row.institutions.add(*found)
    return plan
