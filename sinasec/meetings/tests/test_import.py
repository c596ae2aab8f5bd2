"""Sessions and consultations from an XLSX file: all or nothing, every problem with its
row and column, a second import of the same file changes nothing; the command too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from sinasec.core.errors import ImportRejected
from sinasec.core.exports import xlsx_bytes
from sinasec.meetings.models import Agreement, Session
from sinasec.meetings.services import import_sessions

pytestmark = pytest.mark.django_db

HEADER = [
    "ubigeo",
    "nivel",
    "tipo",
    "fecha",
    "lugar",
    "asistencia_publica",
    "temas_ciudadanos",
    "asistencia",
    "acuerdos",
]
GOOD = [
    [
        "150122",
        "distrital",
        "ordinaria",
        "2025-02-03",
        "Municipio",
        "",
        "",
        "PNP:3; MINSA:2",
        "Patrullaje | PNP | 2025-03-03; Alumbrado | MINSA | 2025-04-03",
    ],
    [
        "150122",
        "distrital",
        "consulta",
        "15/03/2025",
        "Parque",
        "120",
        "Robos al paso",
        "",
        "Más serenazgo | PNP | 2025-06-30",
    ],
]


def workbook(rows: Sequence[Sequence[object]]) -> bytes:
    return xlsx_bytes([("sesiones", HEADER, rows)])


def test_it_imports_sessions_and_consultations_once(secretary: User) -> None:
    result = import_sessions(secretary, "sesiones.xlsx", workbook(GOOD))
    assert (result.rows, result.created, result.unchanged) == (2, 2, 0)
    consultation = Session.objects.get(kind="consultation")
    assert (consultation.public_attendance, consultation.held_on) == (120, date(2025, 3, 15))
    assert Agreement.objects.count() == 3
    again = import_sessions(secretary, "sesiones.xlsx", workbook(GOOD))
    assert (again.created, again.unchanged) == (0, 2)


def test_it_rejects_the_whole_file_naming_row_and_column(secretary: User) -> None:
    bad: list[list[str]] = [
        GOOD[0],
        ["150122", "distrital", "consulta", "2025-05-01", "", "", "", "XYZ:2", ""],
        ["150120", "distrital", "ordinaria", "2025-05-01", "", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as caught:
        import_sessions(secretary, "sesiones.xlsx", workbook(bad))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert (3, "asistencia_publica") in found and (3, "asistencia") in found
    assert not Session.objects.exists()
    with pytest.raises(ImportRejected) as denied:  # Magdalena is not her committee
        import_sessions(secretary, "sesiones.xlsx", workbook(bad[2:]))
    assert [(p.row, p.column) for p in denied.value.problems] == [(2, "ubigeo")]


def test_it_imports_lists_and_counts_from_the_command(secretary: User, tmp_path: Path) -> None:
    path = tmp_path / "sesiones.xlsx"
    path.write_bytes(workbook(GOOD))
    out = StringIO()
    call_command("meetings", "import", str(path), "--as", secretary.username, stdout=out)
    assert "2 created" in out.getvalue()
    listed = StringIO()
    call_command("meetings", "list", "--as", secretary.username, stdout=listed)
    assert "2 sessions" in listed.getvalue()
    figures = StringIO()
    call_command("meetings", "figures", "--as-of", "2025-12-31", stdout=figures)
    assert '"2025-Q1": 1' in figures.getvalue()
    path.write_bytes(
        workbook([["150122", "distrital", "fiesta", "2025-02-03", "", "", "", "", ""]])
    )
    with pytest.raises(CommandError):
        call_command("meetings", "import", str(path), "--as", secretary.username)
