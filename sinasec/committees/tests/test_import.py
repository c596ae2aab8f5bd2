"""Bulk import of committee events (CSV / XLSX): good files create the events once;
bad files, or rows for someone else's committee, change nothing and say exactly what is
wrong, row by row."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from sinasec.audit.models import AuditEvent
from sinasec.committees.models import Committee, CommitteeEvent, EventKind, Member
from sinasec.committees.services import import_events
from sinasec.core.errors import AccessDenied, ImportProblem, ImportRejected

pytestmark = pytest.mark.django_db
ACTION = "committees.import_events"

HEADER = "ubigeo;nivel;evento;fecha;año;persona;documento\n"
INSTALLED = "150122;distrital;instalación;15/03/2004;;;Acta 001-2004\n"
SWORN = (
    '150122;CODISEC;juramentacion;2025-01-10;;"Ana Pérez|PNP|Comisaria; '
    'Luis Soto|MININTER|Subprefecto; Rosa Díaz|Gobiernos Locales|Alcaldesa";Acta 002-2025\n'
)
PLAN = "150120;district;plan;2025-02-01;2025;;Resolución 010-2025\n"
SECRETARY = "701;COPROSEC;secretario;2025-03-01;;Carla Ruiz;Resolución 5-2025\n"  # 0701
CORESEC = "7;CORESEC;installed;01/05/2004;;;\n"  # 07, Callao
LIMA = "1501;regional;Instalación;2004-06-01;;;\n"  # Lima Metropolitana's CORESEC


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages are asserted in English, whatever the Spanish catalogue says."""
    with translation.override("en"):
        yield


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    text = header + "".join(rows)
    return ("\ufeff" + text).encode("utf-8") if bom else text.encode("utf-8")


def xlsx_bytes(*rows: list[object]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def committee(level: str, ubigeo: str) -> Committee:
    return Committee.objects.get(level=level, ubigeo=ubigeo)


def rejected(actor: User, data: bytes, name: str = "eventos.csv") -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as info:
        import_events(actor, name, data)
    assert CommitteeEvent.objects.count() == 0
    assert Member.objects.count() == 0
    assert not AuditEvent.objects.filter(action=ACTION).exists()
    return info.value.problems


# --- good files ----------------------------------------------------------------------


def test_it_imports_events_from_a_csv(admin: User) -> None:
    data = csv_bytes(INSTALLED, SWORN, PLAN, SECRETARY, CORESEC, LIMA)
    result = import_events(admin, "eventos.csv", data)
    assert (result.rows, result.created, result.unchanged) == (6, 6, 0)

    miraflores = committee("district", "150122")
    installed = CommitteeEvent.objects.get(committee=miraflores, kind=EventKind.INSTALLED)
    assert (installed.date, installed.document) == (date(2004, 3, 15), "Acta 001-2004")
    assert installed.recorded_by == admin
    sworn = CommitteeEvent.objects.get(committee=miraflores, kind=EventKind.SWORN)
    members = [
        (m.name, m.institution.acronym if m.institution else None, m.role)
        for m in sworn.members.all()
    ]
    assert members == [
        ("Ana Pérez", "PNP", "Comisaria"),
        ("Luis Soto", "MININTER", "Subprefecto"),
        ("Rosa Díaz", "GL", "Alcaldesa"),  # an alias, resolved
    ]
    plan = CommitteeEvent.objects.get(committee=committee("district", "150120"))
    assert (plan.kind, plan.year) == (EventKind.PLAN, 2025)
    secretary = CommitteeEvent.objects.get(committee=committee("provincial", "0701"))
    assert (secretary.kind, secretary.person) == (EventKind.SECRETARY, "Carla Ruiz")
    assert CommitteeEvent.objects.get(committee=committee("regional", "07")).date == date(
        2004, 5, 1
    )
    assert CommitteeEvent.objects.filter(committee=committee("regional", "1501")).count() == 1

    [audit] = AuditEvent.objects.filter(action=ACTION)
    assert audit.actor == admin and audit.object_type == "committee_events"
    assert audit.after is not None and len(audit.after["sha256"]) == 64
    assert [c["row"] for c in audit.after["created"]] == [2, 3, 4, 5, 6, 7]
    assert "6 new" in audit.summary


def test_it_imports_events_from_an_xlsx_workbook(admin: User) -> None:
    data = xlsx_bytes(
        ["Ubigeo", "Nivel", "Evento", "Fecha", "Año", "Persona", "Documento"],
        [150122, "CODISEC", "Instalación", datetime(2004, 3, 15), None, None, "Acta 1"],
        ["150120", "distrital", "plan", date(2025, 2, 1), 2025, None, None],
        [None, None, None, None, None, None, None],  # an empty row is skipped
        [701, "provincial", "Juramentación", "10/01/2025", None, "Ana Pérez|PNP|Comisaria", None],
        [7, "regional", "secretary", "2025-03-01", None, "Carla Ruiz", None],
    )
    result = import_events(admin, "eventos.xlsx", data)
    assert (result.rows, result.created) == (4, 4)
    assert CommitteeEvent.objects.get(committee=committee("district", "150122")).date == date(
        2004, 3, 15
    )
    plan = CommitteeEvent.objects.get(committee=committee("district", "150120"))
    assert plan.year == 2025
    sworn = CommitteeEvent.objects.get(committee=committee("provincial", "0701"))
    assert [m.name for m in sworn.members.all()] == ["Ana Pérez"]
    assert CommitteeEvent.objects.get(committee=committee("regional", "07")).person == "Carla Ruiz"


def test_it_changes_nothing_when_the_same_file_is_imported_again(admin: User) -> None:
    data = csv_bytes(INSTALLED, SWORN, PLAN, SECRETARY, CORESEC)
    import_events(admin, "eventos.csv", data)
    events, members, audits = (
        CommitteeEvent.objects.count(),
        Member.objects.count(),
        AuditEvent.objects.count(),
    )
    again = import_events(admin, "eventos.csv", data)
    assert (again.created, again.unchanged) == (0, 5)
    assert CommitteeEvent.objects.count() == events == 5
    assert Member.objects.count() == members == 3
    assert AuditEvent.objects.count() == audits

    # A file with one new row adds only that row.
    more = import_events(admin, "mas.csv", csv_bytes(INSTALLED, LIMA))
    assert (more.created, more.unchanged) == (1, 1)


# --- bad files -----------------------------------------------------------------------


def test_it_rejects_a_file_that_is_not_utf8(admin: User) -> None:
    data = (HEADER + INSTALLED).encode("latin-1")
    [problem] = rejected(admin, data)
    assert problem.row == 1  # the ñ of the header's "año" is the first non-UTF-8 byte
    assert "UTF-8" in problem.reason and "0xf1" in problem.reason


def test_it_rejects_a_file_without_a_required_column(admin: User) -> None:
    header = HEADER.replace(";fecha;", ";dia;")
    [problem] = rejected(admin, csv_bytes(INSTALLED, header=header))
    assert (problem.row, problem.column) == (1, "date / fecha")
    assert "dia" in problem.reason and "missing" in problem.reason


def test_it_rejects_an_unknown_ubigeo_and_lists_every_bad_row(admin: User) -> None:
    problems = rejected(
        admin,
        csv_bytes(
            INSTALLED,
            INSTALLED.replace("150122", "150199"),
            PLAN.replace("150120", "150101"),  # Lima district: the capital of its province
            SECRETARY.replace("701;COPROSEC", "1501;COPROSEC"),
            INSTALLED.replace("150122", "70101"),  # Callao, which lost its leading zero
            INSTALLED.replace("150122", "15012"),  # a digit lost at the end: not guessed
        ),
    )
    assert [(p.row, p.column) for p in problems] == [(r, "ubigeo") for r in (3, 4, 5, 6, 7)]
    assert "unknown committee" in problems[0].reason and "CODISEC" in problems[0].reason
    assert "150199" in str(problems[0]) and "row 3" in str(problems[0])
    assert "capital of Lima province" in problems[1].reason
    assert "CORESEC of Lima Metropolitana" in problems[2].reason
    assert "070101" in problems[3].reason and "provincial, ubigeo 0701" in problems[3].reason
    assert "015012 (written 15012)" in problems[4].reason


def test_it_rejects_a_duplicate_row(admin: User) -> None:
    problems = rejected(admin, csv_bytes(INSTALLED, PLAN, INSTALLED.replace("Acta 001", "Acta 9")))
    assert [p.row for p in problems] == [4]
    assert "duplicate" in problems[0].reason and "row 2" in problems[0].reason


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n", "\ufeff".encode(), xlsx_bytes()],
    ids=["nothing", "blank", "bom", "empty-workbook"],
)
def test_it_rejects_an_empty_file(admin: User, data: bytes) -> None:
    [problem] = rejected(admin, data)
    assert problem.file == "eventos.csv" and "empty" in problem.reason


def test_it_rejects_a_header_without_rows(admin: User) -> None:
    [problem] = rejected(admin, csv_bytes())
    assert "no data rows" in problem.reason


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2025-02-30", "“2025-02-30” is not a date"),
        ("10.01.2025", "“10.01.2025” is not a date"),
        ("31/12/2999", "2999-12-31 is in the future"),
    ],
)
def test_it_rejects_a_bad_date(admin: User, value: str, reason: str) -> None:
    [problem] = rejected(admin, csv_bytes(PLAN, INSTALLED.replace("15/03/2004", value)))
    assert (problem.row, problem.column) == (3, "fecha")
    assert reason in problem.reason


def test_it_rejects_a_plan_without_its_year(admin: User) -> None:
    [problem] = rejected(admin, csv_bytes(INSTALLED, PLAN.replace(";2025;", ";;")))
    assert (problem.row, problem.column) == (3, "año")
    assert "year of the plan" in problem.reason


def test_it_rejects_incomplete_and_unknown_values_row_by_row(admin: User) -> None:
    problems = rejected(
        admin,
        csv_bytes(
            INSTALLED.replace("instalación", "inauguración"),
            SECRETARY.replace("Carla Ruiz", ""),
            "150122;CODISEC;juramentación;2025-01-10;;;Acta 002-2025\n",
            SWORN.replace("MININTER", "NASA"),
            PLAN.replace("district", "municipal"),
            CORESEC.replace(";01/05/2004;", ";;"),
        ),
    )
    found = [(p.row, p.column) for p in problems]
    assert found == [
        (2, "evento"),
        (3, "persona"),
        (4, "persona"),
        (5, "persona"),
        (6, "nivel"),
        (7, "fecha"),
    ]
    assert "inauguración" in problems[0].reason
    assert "technical secretary" in problems[1].reason
    assert "at least one member" in problems[2].reason
    assert "NASA" in problems[3].reason
    assert "municipal" in problems[4].reason
    assert "required" in problems[5].reason


def test_it_says_to_quote_members_when_the_separator_splits_a_row(admin: User) -> None:
    problems = rejected(admin, csv_bytes(PLAN.replace(";2025;", ";;"), SWORN.replace('"', "")))
    assert [p.row for p in problems] == [2, 3]  # in row order, whatever found them
    assert "double quotes" in problems[1].reason


def test_it_rejects_a_file_that_is_not_a_workbook(admin: User) -> None:
    [problem] = rejected(admin, b"PK\x03\x04 not really a zip", "eventos.xlsx")
    assert "Excel" in problem.reason


# --- who may import ------------------------------------------------------------------


def test_it_rejects_a_secretarys_file_with_a_row_for_another_committee(secretary: User) -> None:
    problems = rejected(secretary, csv_bytes(INSTALLED, PLAN, SWORN))
    assert [(p.row, p.column) for p in problems] == [(3, "ubigeo")]
    assert "150120" in problems[0].reason and "your own committee" in problems[0].reason

    result = import_events(secretary, "eventos.csv", csv_bytes(INSTALLED, SWORN))
    assert result.created == 2
    audit = AuditEvent.objects.get(action=ACTION)
    assert audit.actor == secretary and audit.territory_ubigeo == "150122"


def test_it_lets_a_regional_secretary_import_for_the_coresec_only(
    regional_secretary: User,
) -> None:
    problems = rejected(regional_secretary, csv_bytes(CORESEC, SECRETARY))
    assert [p.row for p in problems] == [3]
    assert import_events(regional_secretary, "e.csv", csv_bytes(CORESEC)).created == 1


@pytest.mark.parametrize("who", ["analyst", "focal_point"])
def test_it_lets_only_administrators_and_secretaries_import(
    who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(AccessDenied):
        import_events(request.getfixturevalue(who), "e.csv", csv_bytes(INSTALLED))
    assert CommitteeEvent.objects.count() == 0


# --- command line --------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_exits_with_every_problem_when_a_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "malos.csv"
    bad.write_bytes(csv_bytes(INSTALLED, INSTALLED.replace("150122", "150199")))
    with pytest.raises(CommandError) as info:
        run("committees", "import", str(bad))
    assert info.value.returncode == 3
    assert "malos.csv" in str(info.value) and "150199" in str(info.value)
    assert CommitteeEvent.objects.count() == 0


def test_the_command_imports_and_lists_the_latest_events(admin: User, tmp_path: Path) -> None:
    good = tmp_path / "eventos.csv"
    good.write_bytes(csv_bytes(INSTALLED, SWORN, CORESEC))
    assert "3 created" in run("committees", "import", str(good), "--as", admin.username)
    assert "0 created, 3 unchanged" in run("committees", "import", str(good))

    items = json.loads(
        run("committees", "list", "--level", "district", "--region", "1501", "--format", "json")
    )
    miraflores = next(i for i in items if i["ubigeo"] == "150122")
    assert miraflores["latest"] == {
        "installed": "2004-03-15",
        "sworn": "2025-01-10",
        "plan": None,
        "secretary": None,
    }
    assert {i["level"] for i in items} == {"district"}
    assert {i["region"] for i in items} == {"1501"}
    table = run("committees", "list", "--region", "07")
    assert "CORESEC Callao" in table and "2004-05-01" in table
    with pytest.raises(CommandError):
        run("committees", "list", "--region", "99")
