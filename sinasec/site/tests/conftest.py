"""Plans of the reporting year, so the start pages have something due today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.institutions.models import Institution
from sinasec.plans.execution.agenda import reporting_month
from sinasec.plans.models import Activity, ActivityPart, Plan, Strategy


def make_plan(committee: Committee | None, title: str, parts: list[tuple[str, ...]]) -> Plan:
    """A plan of the month being reported today: one strategy, one activity per entry,
    each programmed 5 a month for the institutions named (acronyms)."""
    year, _month = reporting_month(timezone.localdate())
    plan = Plan.objects.create(year=year, committee=committee, title=title)
    strategy = Strategy.objects.create(plan=plan, number=1, name="Prevención")
    for number, acronyms in enumerate(parts, start=1):
        activity = Activity.objects.create(
            strategy=strategy, number=number, description=f"Actividad {number}", unit="operativo"
        )
        part = ActivityPart.objects.create(
            activity=activity, responsible_text=", ".join(acronyms), goal=60, programmed=[5] * 12
        )
        part.institutions.set(Institution.objects.filter(acronym__in=acronyms))
    return plan


@pytest.fixture
def national_plan(db: None) -> Plan:
    return make_plan(None, "Plan nacional de prueba", [("PNP",), ("PNP", "MINSA"), ("MINSA",)])


@pytest.fixture
def miraflores_plan(db: None) -> Plan:
    committee = Committee.objects.get(level=CommitteeLevel.DISTRICT, territory_id="150122")
    return make_plan(committee, "Plan del CODISEC de Miraflores", [("PNP",), ("MINSA",)])
