"""Every importer against the hostile-file corpus (``sinasec.core.tests.hostile``):
each file is refused cleanly (``ImportRejected`` naming the file, with a row or a
whole-file reason; exit code 3 on the command line, never a traceback) and nothing is
written (the importer's tables and the audit log count the same before and after)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sinasec.audit.models import AuditEvent
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.barrios.registry.services import set_barrio_boundary
from sinasec.barrios.targeting.polygons import read_polygons
from sinasec.committees.services import import_events
from sinasec.core.errors import ImportRejected
from sinasec.core.tests.hostile import (
    GEOJSON_KINDS,
    LIMITS,
    MIRAFLORES,
    TABLE_KINDS,
    WORKBOOK_KINDS,
    Seed,
    circle,
    collection,
    feature,
    geojson,
    ring,
)
from sinasec.observatory.services import import_incidents, import_sidpol, import_table
from sinasec.plans.execution.services import import_execution
from sinasec.plans.services import import_plan
from sinasec.plans.template import COLUMNS
from sinasec.territories.models import Boundary
from sinasec.territories.services import import_boundaries, import_population

pytestmark = pytest.mark.django_db

Run = Callable[[User, str, bytes], object]


@dataclass(frozen=True)
class Target:
    apps: tuple[str, ...]  # whose every table must count the same after a refusal
    run: Run
    extension: str = "csv"


PLAN_ROW = ["2026", "", "", "1", "Prevención", "1.1", "Patrullaje", "operativo", "12", "PNP"]
SEEDS: dict[str, Seed] = {
    "population": Seed("ubigeo;población;capital", "150122;99999;Miraflores"),
    "committee_events": Seed(
        "ubigeo;nivel;evento;fecha;año;persona;documento",
        "150122;distrital;instalación;15/03/2004;;;Acta 001-2004",
    ),
    "plan": Seed(";".join(COLUMNS), ";".join(PLAN_ROW + ["1"] * 12)),
    "execution": Seed(
        "plan,activity,institution,year,month,executed,comment", "2010,2.7,PNP,2010,1,18,ok", ","
    ),
    "observatory_table": Seed("DEPARTAMENTO;2005;2006", "LIMA;10;20"),
    "sidpol": Seed(
        "ANIO,MES,DPTO_HECHO_NEW,PROV_HECHO,DIST_HECHO,UBIGEO_HECHO,P_MODALIDADES,cantidad",
        "2024,1,LIMA METROPOLITANA,LIMA,MIRAFLORES,150122,ROBO,40",
        ",",
    ),
}
TABLES: dict[str, Target] = {
    "population": Target(("territories",), lambda u, n, d: import_population(u, n, d, 2025)),
    "committee_events": Target(("committees",), import_events),
    "plan": Target(("plans",), import_plan),
    "execution": Target(("plans",), import_execution),
    "observatory_table": Target(("observatory",), lambda u, n, d: import_table(u, n, d, "fuente")),
    "sidpol": Target(("observatory",), import_sidpol),
}
WORKBOOKS = ("committee_events", "plan")


def snapshot(labels: tuple[str, ...]) -> dict[str, int]:
    counts = {"audit": AuditEvent.objects.count()}
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.fixture
def lowered(settings) -> None:
    for name, value in LIMITS.items():
        setattr(settings, name, value)


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def assert_refused(run: Callable[[], object], labels: tuple[str, ...], name: str) -> list:
    before = snapshot(labels)
    with pytest.raises(ImportRejected) as refused:
        run()
    assert refused.value.problems, "a refusal names at least one problem"
    assert all(p.file == name and p.reason for p in refused.value.problems)
    assert snapshot(labels) == before, "a refused file wrote nothing"
    return refused.value.problems


TABLE_CASES = [(target, kind) for target in TABLES for kind in TABLE_KINDS] + [
    (target, kind) for target in WORKBOOKS for kind in WORKBOOK_KINDS
]


@pytest.mark.usefixtures("lowered", "english")
@pytest.mark.parametrize(("target", "kind"), TABLE_CASES)
def test_it_refuses_every_hostile_table_cleanly_and_writes_nothing(
    admin: User, target: str, kind: str
) -> None:
    importer = TABLES[target]
    kinds = {**TABLE_KINDS, **WORKBOOK_KINDS}
    data = kinds[kind](SEEDS[target])
    name = f"{kind}.{'xlsx' if kind.startswith('xlsx') else 'csv'}"
    assert_refused(lambda: importer.run(admin, name, data), importer.apps, name)


def test_it_names_the_row_and_column_of_a_field_over_the_limit(admin: User) -> None:
    seed = SEEDS["sidpol"]
    data = TABLE_KINDS["huge_field"](seed)
    with translation.override("en"):
        problems = assert_refused(
            lambda: import_sidpol(admin, "campo.csv", data), ("observatory",), "campo.csv"
        )
    assert [(p.row, p.column) for p in problems] == [(2, "cantidad")]
    assert "longer than 131072 characters" in problems[0].reason


def test_it_refuses_a_zip_bomb_workbook_before_unpacking_it(admin: User) -> None:
    from sinasec.core.tests.hostile import zip_bomb

    data = zip_bomb()
    assert len(data) < 1024 * 1024  # a few hundred KB that would unpack to 300 MB
    tracemalloc.start()
    try:
        with translation.override("en"):
            problems = assert_refused(
                lambda: import_events(admin, "bomba.xlsx", data), ("committees",), "bomba.xlsx"
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "unpacks to more than 256 MB" in problems[0].reason
    assert peak < 20 * 1024 * 1024


def test_it_refuses_a_workbook_that_declares_entities(admin: User) -> None:
    from sinasec.core.tests.hostile import entity_expansion

    data = entity_expansion(SEEDS["plan"])
    with translation.override("en"):
        problems = assert_refused(
            lambda: import_plan(admin, "risa.xlsx", data), ("plans",), "risa.xlsx"
        )
    assert "DOCTYPE" in problems[0].reason


# --- the incident store ---------------------------------------------------------------

INCIDENTS = Seed("id,date,lat,lon,crime_type,ubigeo", "1,2024-05-01,-12.12,-77.03,robo,150122", ",")
INCIDENT_KINDS: dict[str, bytes] = {
    **{kind: make(INCIDENTS) for kind, make in TABLE_KINDS.items()},
    "unknown_ubigeo_without_coordinates": INCIDENTS.text("2,2024-05-01,,,robo,999999").encode(),
    "unknown_ubigeo_with_coordinates": INCIDENTS.text(
        "2,2024-05-01,-12.12,-77.03,robo,999999"
    ).encode(),
    "no_coordinates_no_ubigeo": INCIDENTS.text("2,2024-05-01,,,robo,").encode(),
    "nan_coordinates": INCIDENTS.text("2,2024-05-01,nan,nan,robo,150122").encode(),
    "infinite_coordinates": INCIDENTS.text("2,2024-05-01,inf,-77.03,robo,150122").encode(),
    "long_crime_type": INCIDENTS.text(
        INCIDENTS.with_last("150122").replace("robo", "r" * 500)
    ).encode(),
}


@pytest.mark.usefixtures("lowered", "english")
@pytest.mark.parametrize("kind", INCIDENT_KINDS)
def test_it_refuses_every_hostile_incident_file_cleanly_and_writes_nothing(
    admin: User, kind: str, tmp_path: Path, settings
) -> None:
    settings.INCIDENTS_DIR = tmp_path / "store"
    settings.IMPORT_MAX_INCIDENT_ROWS = LIMITS["IMPORT_MAX_ROWS"]
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(INCIDENT_KINDS[kind])
    assert_refused(lambda: import_incidents(admin, path), ("observatory",), path.name)
    versions = list((tmp_path / "store").glob("v*")) if (tmp_path / "store").exists() else []
    assert not versions, "the store kept no version of a refused file"


# --- GeoJSON boundaries -----------------------------------------------------------------


@pytest.fixture
def barrio(db: None) -> Barrio:
    return Barrio.objects.create(
        name="Hostil", district_id="150122", cohort="2026", status=BarrioStatus.PLANNED
    )


def _boundaries(user: User, name: str, data: bytes) -> object:
    return import_boundaries(user, name, data, "district")


def _polygons(user: User, name: str, data: bytes) -> object:
    return read_polygons(name, data)


GEO_TARGETS: dict[str, tuple[tuple[str, ...], dict]] = {
    "territory_boundaries": (("territories",), {"UBIGEO": "150122"}),
    "barrio_boundary": (("barrios",), {}),
    "targeting_polygons": (("barrios",), {"codigo": "A1", "poblacion": 1200}),
}
TARGETING_ONLY = {
    "population_infinity_literal": geojson(collection(feature([ring(MIRAFLORES)]))).replace(
        b'"properties": {}', b'"properties": {"poblacion": Infinity}'
    ),
    "population_overflow": geojson(collection(feature([ring(MIRAFLORES)]))).replace(
        b'"properties": {}', b'"properties": {"poblacion": 1e400}'
    ),
    "population_huge_text": geojson(collection(feature([ring(MIRAFLORES)], poblacion="9" * 5000))),
    "name_not_text": geojson(collection(feature([ring(MIRAFLORES)], nombre={"a": [1]}))),
}
GEO_CASES = [(target, kind) for target in GEO_TARGETS for kind in GEOJSON_KINDS] + [
    ("targeting_polygons", kind) for kind in TARGETING_ONLY
]


@pytest.mark.usefixtures("lowered", "english")
@pytest.mark.parametrize(("target", "kind"), GEO_CASES)
def test_it_refuses_every_hostile_geojson_cleanly_and_writes_nothing(
    admin: User, barrio: Barrio, target: str, kind: str
) -> None:
    labels, properties = GEO_TARGETS[target]
    make = GEOJSON_KINDS.get(kind)
    data = make(properties) if make else TARGETING_ONLY[kind]
    run: Run = {
        "territory_boundaries": _boundaries,
        "barrio_boundary": lambda u, n, d: set_barrio_boundary(u, barrio.pk, d, n),
        "targeting_polygons": _polygons,
    }[target]
    name = f"{kind}.geojson"
    before = Barrio.objects.get(pk=barrio.pk).boundary
    assert_refused(lambda: run(admin, name, data), labels, name)
    assert Barrio.objects.get(pk=barrio.pk).boundary == before


def test_it_refuses_a_barrio_drawn_outside_its_district(admin: User, barrio: Barrio) -> None:
    district = geojson(collection(feature([ring(MIRAFLORES)], UBIGEO="150122")))
    import_boundaries(admin, "miraflores.geojson", district, "district")
    cusco = [[-71.98, -13.53], [-71.96, -13.53], [-71.96, -13.51], [-71.98, -13.51]]
    with translation.override("en"):
        problems = assert_refused(
            lambda: set_barrio_boundary(
                admin, barrio.pk, geojson(collection(feature([ring(cusco)]))), "cusco.geojson"
            ),
            ("barrios",),
            "cusco.geojson",
        )
    assert "outside the territory it belongs to" in problems[0].reason


def test_it_refuses_a_district_boundary_far_from_its_capital(
    admin: User, population_2025: None
) -> None:
    """A New York polygon is outside Peru; a Cusco polygon stated as Miraflores is in
    Peru but kilometres from Miraflores's capital: both refused."""
    cusco = [[-71.98, -13.53], [-71.96, -13.53], [-71.96, -13.51], [-71.98, -13.51]]
    data = geojson(collection(feature([ring(cusco)], UBIGEO="150122")))
    with translation.override("en"):
        problems = assert_refused(
            lambda: import_boundaries(admin, "lejos.geojson", data, "district"),
            ("territories",),
            "lejos.geojson",
        )
    assert "away from the territory's capital" in problems[0].reason
    assert not Boundary.objects.filter(territory_id="150122").exists()


@pytest.mark.parametrize(
    ("vertices", "reason", "memory"),
    [
        # the largest refused file of the corpus (41 MB): refused before parsing
        (1_600_000, "more than 1000000 vertices", 1),
        # under the file's limit, over a feature's: parsed, then refused
        (150_000, "more than 100000 vertices", 8),
    ],
)
def test_it_refuses_a_ring_of_too_many_vertices_within_bounded_memory(
    admin: User, vertices: int, reason: str, memory: int
) -> None:
    data = geojson(collection(feature([circle(vertices)], UBIGEO="150122")))
    tracemalloc.start()
    try:
        with translation.override("en"):
            problems = assert_refused(
                lambda: import_boundaries(admin, "anillo.geojson", data, "district"),
                ("territories",),
                "anillo.geojson",
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"{vertices} vertices: peak {peak / 2**20:.1f} MiB for {len(data) / 2**20:.1f} MiB")
    assert reason in problems[0].reason
    assert peak < memory * len(data) + 2**20


# --- the command line -------------------------------------------------------------------

COMMANDS: dict[str, tuple[list[str], Seed | None]] = {
    "population": (
        ["territories", "import-population", "{file}", "--year", "2025"],
        SEEDS["population"],
    ),
    "committee_events": (["committees", "import", "{file}"], SEEDS["committee_events"]),
    "plan": (["plan", "import", "{file}"], SEEDS["plan"]),
    "execution": (["plan", "execution", "import", "{file}"], SEEDS["execution"]),
    "sidpol": (["observatory", "import", "{file}", "--kind", "sidpol"], SEEDS["sidpol"]),
    "observatory_table": (
        ["observatory", "import", "{file}", "--kind", "table", "--source", "x"],
        SEEDS["observatory_table"],
    ),
    "incidents": (["observatory", "import", "{file}", "--kind", "incidents"], INCIDENTS),
}
CLI_KINDS = ("huge_field", "latin1", "formula", "binary_junk")


@pytest.mark.usefixtures("lowered")
@pytest.mark.parametrize(("command", "kind"), [(c, k) for c in COMMANDS for k in CLI_KINDS])
def test_the_command_line_refuses_hostile_files_with_exit_code_3(
    admin: User, command: str, kind: str, tmp_path: Path, settings
) -> None:
    settings.INCIDENTS_DIR = tmp_path / "store"
    args, seed = COMMANDS[command]
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(TABLE_KINDS[kind](seed))  # type: ignore[arg-type]
    with pytest.raises(CommandError) as error:
        call_command(*[a.replace("{file}", str(path)) for a in args], "--as", admin.username)
    assert error.value.returncode == 3
    assert path.name in str(error.value)


def test_the_command_line_refuses_deep_geojson_with_exit_code_3(
    admin: User, tmp_path: Path
) -> None:
    path = tmp_path / "profundo.geojson"
    path.write_bytes(GEOJSON_KINDS["deep_nesting"]({}))
    with pytest.raises(CommandError) as error:
        call_command(
            "territories",
            "import-boundaries",
            str(path),
            "--level",
            "district",
            "--as",
            admin.username,
        )
    assert error.value.returncode == 3
