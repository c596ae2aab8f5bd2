"""Site test fixtures: plans of the reporting year (so the start pages have something due
today) and the records behind every kind of link the crawls follow."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from sinasec.analytics.targeting.params import IndicatorChoice, TargetingParams
from sinasec.barrios.registry.services import load_seed_demo as load_barrios
from sinasec.barrios.targeting.services import run_and_store_targeting
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.institutions.models import Institution
from sinasec.observatory.models import CrimeCount
from sinasec.observatory.services import load_seed_demo
from sinasec.plans.execution.agenda import reporting_month
from sinasec.plans.execution.services import save_report, submit_report
from sinasec.plans.models import Activity, ActivityPart, Plan, Strategy
from sinasec.plans.services import load_national_plan_2010


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


@pytest.fixture
def records(
    admin: User,
    focal_point: User,
    regional_secretary: User,
    national_plan: Plan,
    miraflores_plan: Plan,
) -> None:
    """Something behind every kind of link: the 2010 plan, this year's national and
    committee plans with a month sent to each, the seed's crime figures and barrios, an
    account in Callao for its regional administrator to open. Written in Spanish, as
    the site's users write them (the audit summaries keep the writer's language)."""
    with translation.override("es-pe"):
        _write_records(focal_point, national_plan, miraflores_plan)
        # A targeting run over the seed's figures (no population, no boundaries): its
        # pages show the analytics' notes.
        year = CrimeCount.objects.order_by("-year").values_list("year", flat=True).first()
        # The seed counts departments; targeting ranks districts and refuses a year with no
        # value at all, so one district gets a (demo) count of its own.
        first = CrimeCount.objects.order_by("pk").first()
        if first is not None:
            CrimeCount.objects.create(
                source=first.source,
                territory_id="150122",
                year=first.year,
                count=120,
                category=first.category,
                is_demo=True,
            )
            year = first.year
        indicators = (IndicatorChoice("rate", 1), IndicatorChoice("total", 1))
        run_and_store_targeting(admin, TargetingParams(year=year or 2024, indicators=indicators))


def _write_records(focal_point: User, *plans: Plan) -> None:
    load_national_plan_2010()
    load_seed_demo()
    load_barrios()
    month = reporting_month(timezone.localdate())[1]
    pnp = Institution.objects.get(acronym="PNP").pk
    for plan in plans:
        part = ActivityPart.objects.get(activity__strategy__plan=plan, activity__number=1)
        submit_report(focal_point, save_report(focal_point, part.pk, pnp, month, 3).pk)
