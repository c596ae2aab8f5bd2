"""All-or-nothing imports of juntas and trainings (XLSX), by service, page and command."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from sinasec.committees.models import Committee
from sinasec.community import importers, selectors
from sinasec.community.models import Junta, Training
from sinasec.core.errors import ImportRejected
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db
JUNTA_HEADER = [
    "ubigeo", "nombre", "sector", "coordinador", "miembros", "reconocida_por",
    "fecha_reconocimiento", "estado", "estado_desde",
]  # fmt: skip
TRAINING_HEADER = [
    "evento", "tema", "organizador", "fecha", "comite", "institucion", "participantes", "actividad",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_JUNTAS: list[list[object]] = [
    ["150122", "JV Santa Cruz", "Norte", "Ana", 12, "municipalidad", date(2010, 2, 1), "", ""],
    ["150122", "JV Miraflores", "Sur", "Luis", 20, "PNP", "15/03/2010", "inactiva", "2010-07-01"],
]


def test_it_imports_juntas_and_reimporting_changes_nothing(secretary):
    data = xlsx(JUNTA_HEADER, GOOD_JUNTAS)
    result = importers.import_juntas(secretary, "juntas.xlsx", data)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert selectors.active_juntas_by_district(date(2010, 8, 1)) == {"150122": 1}
    again = importers.import_juntas(secretary, "juntas.xlsx", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_it_rejects_a_juntas_file_whole_listing_every_problem(secretary):
    rows: list[list[object]] = [
        *GOOD_JUNTAS,
        ["150131", "Ajena", "", "", 5, "municipalidad", "2010-01-01", "", ""],
        ["150122", "Mala", "", "", "muchos", "alcalde", "31/02/2010", "", ""],
    ]
    with pytest.raises(ImportRejected) as caught:
        importers.import_juntas(secretary, "juntas.xlsx", xlsx(JUNTA_HEADER, rows))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (4, "ubigeo"),
        (5, "miembros"),
        (5, "reconocida_por"),
        (5, "fecha_reconocimiento"),
    }
    assert all(p.file == "juntas.xlsx" for p in caught.value.problems)
    assert not Junta.objects.exists()


def test_it_imports_trainings_grouping_rows_of_one_event(admin):
    load_national_plan_2010()
    miraflores = Committee.objects.get(level="district", ubigeo="150122")
    rows = [
        ["Taller PIP", "Inversión", "MEF", "2010-03-15", "150122", "PNP", 3, "5.3"],
        ["Taller PIP", "Inversión", "MEF", "2010-03-15", "150131", "", 2, "5.3"],
        ["Charla", "Prevención", "PNP", "2010-04-02", "150122", "", 5, ""],
    ]
    result = importers.import_trainings(admin, "cap.xlsx", xlsx(TRAINING_HEADER, rows))
    assert (result.created, result.rows) == (2, 2)
    pip = Training.objects.get(event="Taller PIP")
    assert pip.participants.count() == 2 and pip.activity is not None
    assert selectors.trainings_by_committee(date(2010, 12, 31))[miraflores.pk] == 2
    assert importers.import_trainings(admin, "cap.xlsx", xlsx(TRAINING_HEADER, rows)).unchanged == 2


def test_it_records_a_secretarys_imported_trainings_for_their_committee(
    secretary, other_focal_point
):
    rows: list[list[object]] = [
        ["Charla", "Prevención", "PNP", "2010-04-02", "150131", "", 5, ""],
    ]
    importers.import_trainings(secretary, "cap.xlsx", xlsx(TRAINING_HEADER, rows))
    training = Training.objects.get()
    assert training.committee == Committee.objects.get(level="district", ubigeo="150122")
    assert training.participants.get().committee.ubigeo == "150131"  # type: ignore[union-attr]
    with pytest.raises(ImportRejected) as caught:  # MINSA's focal point, a PNP event
        importers.import_trainings(other_focal_point, "x.xlsx", xlsx(TRAINING_HEADER, rows))
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "organizador")]


def test_it_rejects_a_trainings_file_with_an_unknown_committee_or_activity(admin):
    rows = [
        ["Taller", "Tema", "MEF", "2010-03-15", "999999", "", 3, ""],
        ["Otro", "Tema", "NADIE", "2010-03-15", "150122", "", 3, "9.9"],
    ]
    with pytest.raises(ImportRejected) as caught:
        importers.import_trainings(admin, "cap.xlsx", xlsx(TRAINING_HEADER, rows))
    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "comite"), (3, "actividad")}
    assert not Training.objects.exists()


def test_it_imports_juntas_from_the_command_line(admin, tmp_path, capsys):
    path = tmp_path / "juntas.xlsx"
    path.write_bytes(xlsx(JUNTA_HEADER, GOOD_JUNTAS))
    call_command("community", "import-juntas", str(path), "--as", admin.username)
    assert Junta.objects.count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(JUNTA_HEADER, [["1", "", "", "", "", "", "", "", ""]]))
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("community", "import-juntas", str(bad), "--as", admin.username)
