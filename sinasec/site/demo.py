"""The demo: reference files from the shared data folder, imported through the product's
own importers, and one account per role. Idempotent: running it again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from sinasec.accounts.models import Role
from sinasec.barrios.registry.demo import load_demo_boundaries
from sinasec.barrios.registry.services import load_seed_demo as load_barrios_demo
from sinasec.committees.demo import load_committee_demo
from sinasec.community.demo import load_community_demo
from sinasec.core.commands import SYSTEM_USERNAME, resolve_actor
from sinasec.core.imports import ImportResult
from sinasec.institutions.models import Institution
from sinasec.meetings.demo import load_meetings_demo
from sinasec.observatory.demo import load_incident_demo
from sinasec.observatory.services import load_seed_demo
from sinasec.people.services import ensure_user_with_role
from sinasec.plans.services import load_national_plan_2010
from sinasec.territories import services as territory_services

DEMO_PASSWORD = "Demo-SINASEC-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    territory: str | None = None
    region: str | None = None
    institution: str | None = None

    def scope_label(self) -> str:
        return self.territory or self.region or self.institution or "nacional"


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Administradora Nacional (demo)", Role.NATIONAL_ADMIN),
    DemoAccount("analista", "Analista Nacional (demo)", Role.NATIONAL_ANALYST),
    # Imports crime figures and incidents (the observatory's import page).
    DemoAccount("observatorio", "Analista del Observatorio (demo)", Role.OBSERVATORY_ANALYST),
    # The technical secretary of the CODISEC of Miraflores (Lima).
    DemoAccount(
        "secretario.miraflores",
        "Secretario CODISEC Miraflores (demo)",
        Role.COMMITTEE_SECRETARY,
        territory="150122",
    ),
    # The technical secretary of the CORESEC of Callao: a regional scope.
    DemoAccount(
        "secretario.callao",
        "Secretaria CORESEC Callao (demo)",
        Role.COMMITTEE_SECRETARY,
        region="07",
    ),
    DemoAccount("enlace.pnp", "Enlace PNP (demo)", Role.FOCAL_POINT, institution="PNP"),
    # Manages the accounts of the committee secretaries of Callao, nothing else.
    DemoAccount(
        "admin.callao", "Administradora Regional Callao (demo)", Role.REGIONAL_ADMIN, region="07"
    ),
)

DEMO_FILES = (
    ("population", "ubigeo_inei_2025.csv", 2025),
    ("department", "peru_departamental_simple.geojson", None),
    ("province", "peru_provincial_simple.geojson", None),
    ("district", "peru_distrital_simple.geojson", None),
)


def load_demo(
    data_dir: Path | None = None, log: Callable[[str], object] = print
) -> list[DemoAccount]:
    data_dir = data_dir or settings.SHARED_DATA_DIR
    actor = resolve_actor(SYSTEM_USERNAME)
    for kind, name, year in DEMO_FILES:
        path = data_dir / name
        if not path.is_file():
            log(f"  (no se encontró {path}: se omite)")
            continue
        result: ImportResult
        if kind == "population":
            assert year is not None
            result = territory_services.import_population(actor, name, path.read_bytes(), year)
        else:
            # The 2007 district file still has two Loreto codes INEI renumbered in 2014:
            # they are skipped and listed, never guessed.
            result = territory_services.import_boundaries(
                actor, name, path.read_bytes(), kind, skip_unknown=True
            )
        log(
            f"  {name}: {result.created} nuevos, {result.updated} cambiados, "
            f"{result.unchanged} sin cambios, {len(result.skipped)} omitidos"
        )
        for note in result.skipped:
            log(f"    omitido: {note}")
    districts_2007 = data_dir / "peru_distrital_simple.geojson"
    if districts_2007.is_file():
        created = load_committee_demo(districts_2007)
        log(f"  comités: {created} eventos de demostración (tablas 5-8 del plan 2010)")
        sessions = load_meetings_demo()
        if sessions:
            log(f"  comités: {sessions} sesiones y consultas públicas 2009-2010 (demostración)")
    counts = load_seed_demo()
    if counts:
        log(
            f"  observatorio: {counts} cifras de la tabla 4 y las encuestas 2004-2009 (demostración)"
        )
    barrios = load_barrios_demo()
    if barrios:
        log(f"  Barrio Seguro: {barrios} barrios 2016-2018 por territorio (demostración)")
    incidents, counts = load_incident_demo(actor, log=log)
    if incidents or counts:
        log(
            f"  incidentes sintéticos (demostración, no son datos reales): {incidents} "
            f"importados, {counts} cifras por distrito, año y delito"
        )
    drawn = load_demo_boundaries(actor)
    if drawn:
        log(f"  Barrio Seguro: {drawn} límites dibujados para la demo (Lima, Callao, Ica)")
    plan = load_national_plan_2010()
    log(f"  {plan.title}: {plan.strategies.count()} estrategias")
    community = load_community_demo()
    if community:
        log(
            f"  juntas vecinales: {community['juntas']}, capacitaciones: {community['trainings']}, "
            f"proyectos de inversión: {community['projects']} (demostración)"
        )
    institutions = {i.acronym: i.pk for i in Institution.objects.all()}
    for account in DEMO_ACCOUNTS:
        _user, _created = ensure_user_with_role(
            None,
            account.username,
            account.role,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            territory=account.territory,
            region=account.region,
            institution_id=institutions[account.institution] if account.institution else None,
        )
    return list(DEMO_ACCOUNTS)
