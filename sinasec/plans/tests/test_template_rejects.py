"""The plan template refuses a bad file: it changes nothing and says which row and
column is wrong; the command prints every problem."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import load_workbook

from sinasec.audit.models import AuditEvent
from sinasec.plans.models import Plan
from sinasec.plans.services import load_national_plan_2010
from sinasec.plans.template import (
    COLUMNS,
    blank_template,
    export_plan,
    export_plan_csv,
)
from sinasec.plans.tests.template_support import (
    ACTION,
    Rows,
    csv_rows,
    put,
    rejected,
    row_of,
    snapshot,
    to_csv,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- bad files -----------------------------------------------------------------------


def drop_column(name: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        index = COLUMNS.index(name)
        for row in rows:
            del row[index]

    return edit


def cell(row: int | str, column: str, value: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        put(rows, row if isinstance(row, int) else row_of(rows, row), column, value)

    return edit


def every_row(column: str, value: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        for number in range(2, len(rows) + 1):
            put(rows, number, column, value)

    return edit


def duplicate_row(rows: Rows) -> None:
    rows.append(list(rows[1]))


def second_part_reads_differently(rows: Rows) -> None:
    put(rows, row_of(rows, "4.4", 2), "descripcion", "Otra cosa")


BAD_CELLS = [
    (drop_column("meta_anual"), 1, "meta_anual", "required column missing"),
    (cell(2, "meta_anual", "3 4"), 2, "meta_anual", "“3 4” is not a whole number"),
    (cell(3, "mar", "uno"), 3, "mar", "“uno” is not a whole number"),
    (cell(3, "abr", "1.5"), 3, "abr", "“1.5” is not a whole number"),
    (cell(4, "meta_anual", "-1"), 4, "meta_anual", "-1 is negative"),
    (cell(4, "dic", "-2"), 4, "dic", "-2 is negative"),
    (cell(2, "plan_anio", "10"), 2, "plan_anio", "“10” is not a plan year"),
    (cell(2, "plan_anio", "dos mil diez"), 2, "plan_anio", "is not a plan year"),
    (cell(2, "plan_anio", ""), 2, "plan_anio", "a value is required"),
    (cell(5, "plan_anio", "2011"), 5, "plan_anio", "belongs to another plan"),
    (cell(2, "estrategia", "0"), 2, "estrategia", "must be 1 or more"),
    (cell(2, "estrategia", "uno"), 2, "estrategia", "not a whole number"),
    (cell(2, "actividad", "8.5"), 2, "actividad", "“8.5” is not a whole number"),
    (cell(2, "actividad", ""), 2, "actividad", "a value is required"),
    (cell(2, "descripcion", ""), 2, "descripcion", "a value is required"),
    (duplicate_row, 54, "responsable", "duplicate row: activity 1.8"),
    (cell(3, "estrategia_nombre", "Otra"), 3, "estrategia_nombre", "named differently"),
    (second_part_reads_differently, 49, "descripcion", "activity 4.4 reads differently"),
    (every_row("comite_nivel", "district"), 2, "comite_ubigeo", "both its ubigeo and its level"),
    (every_row("comite_nivel", "municipal"), 2, "comite_nivel", "unknown level “municipal”"),
    (cell(2, "unidad_medida", "x" * 81), 2, "unidad_medida", "longer than 80 characters"),
]


@pytest.mark.parametrize(("edit", "row", "column", "reason"), BAD_CELLS)
def test_it_rejects_a_bad_cell_and_changes_nothing(
    admin: User,
    plan_2010: Plan,
    edit: Callable[[Rows], None],
    row: int,
    column: str,
    reason: str,
) -> None:
    rows = csv_rows(export_plan_csv(plan_2010))
    edit(rows)
    problems = rejected(admin, to_csv(rows))
    assert (problems[0].row, problems[0].column) == (row, column)
    assert reason in problems[0].reason
    assert f"row {row}, column “{column}”" in str(problems[0])


def test_it_lists_every_bad_row_at_once(admin: User, plan_2010: Plan) -> None:
    rows = csv_rows(export_plan_csv(plan_2010))
    put(rows, 2, "meta_anual", "tres")
    put(rows, 7, "ene", "-1")
    put(rows, 9, "descripcion", "")
    problems = rejected(admin, to_csv(rows))
    assert [(p.row, p.column) for p in problems] == [
        (2, "meta_anual"),
        (7, "ene"),
        (9, "descripcion"),
    ]


def test_it_rejects_a_bad_cell_in_a_workbook(admin: User, plan_2010: Plan) -> None:
    workbook = load_workbook(io.BytesIO(export_plan(plan_2010)))
    workbook["plan"].cell(row=6, column=COLUMNS.index("jun") + 1).value = 2.5
    out = io.BytesIO()
    workbook.save(out)
    problems = rejected(admin, out.getvalue(), "plan.xlsx")
    assert [(p.row, p.column, p.reason[:25]) for p in problems] == [
        (6, "jun", "“2.5” is not a whole numb")
    ]


@pytest.mark.parametrize(
    ("data", "row", "reason"),
    [
        (b"", None, "the file is empty"),
        (b"\xef\xbb\xbf \r\n", None, "the file is empty"),
        (to_csv([list(COLUMNS)]), None, "header but no data rows"),
        (xlsx_bytes([]), None, "the file is empty"),
        (xlsx_bytes([list(COLUMNS)]), None, "header but no data rows"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, None, "old Excel workbook (.xls)"),
        (b"PK\x03\x04 not really a zip", None, "not a readable Excel workbook"),
        (
            ";".join(COLUMNS).encode() + "\r\n2010;;;1;Acción;1;Descripción".encode("latin-1"),
            2,
            "not UTF-8",
        ),
        (
            to_csv([list(COLUMNS), ["2010", "", "", "1", "E", "1", "D", "U", "1", "PNP"]]),
            2,
            "expected 22 fields, found 10",
        ),
    ],
)
def test_it_rejects_an_unreadable_file(
    admin: User, plan_2010: Plan, data: bytes, row: int | None, reason: str
) -> None:
    problems = rejected(admin, data, "plan.xlsx" if data.startswith(b"PK") else "plan.csv")
    assert problems[0].row == row
    assert reason in problems[0].reason


def test_the_blank_template_is_the_header_only() -> None:
    assert csv_rows(blank_template("csv")) == [list(COLUMNS)]
    workbook = load_workbook(io.BytesIO(blank_template()))
    assert [c.value for c in workbook.active[1]] == list(COLUMNS)


# --- command line --------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_exports_a_plan_and_imports_it_back(
    admin: User, plan_2010: Plan, tmp_path: Path
) -> None:
    before = snapshot(plan_2010)
    for name in ("plan_2010.xlsx", "plan_2010.csv"):
        path = tmp_path / name
        assert "51 activities, 52 parts" in run("plan", "export", "2010", str(path))
        assert "51 activities, 52 parts" in run("plan", "import", str(path), "--as", admin.username)
    assert (tmp_path / "plan_2010.csv").read_bytes() == export_plan_csv(plan_2010)
    assert snapshot(plan_2010) == before

    with pytest.raises(CommandError, match=r"\.xlsx or \.csv"):
        run("plan", "export", "2010", str(tmp_path / "plan.ods"))
    with pytest.raises(CommandError, match="no plan"):
        run("plan", "export", "1999", str(tmp_path / "plan.csv"))


def test_the_command_prints_every_problem_and_refuses_without_rights(
    secretary: User, plan_2010: Plan, tmp_path: Path
) -> None:
    rows = csv_rows(export_plan_csv(plan_2010))
    put(rows, 3, "mar", "x")
    bad = tmp_path / "malo.csv"
    bad.write_bytes(to_csv(rows))
    with pytest.raises(CommandError) as info:
        run("plan", "import", str(bad))
    assert info.value.returncode == 3
    assert "malo.csv, row 3, column “mar”" in str(info.value)

    good = tmp_path / "plan.csv"
    good.write_bytes(export_plan_csv(plan_2010))
    with pytest.raises(CommandError) as info:
        run("plan", "import", str(good), "--as", secretary.username)
    assert info.value.returncode == 2
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_it_offers_the_plan_as_a_template_download(client: Client) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    plan = load_national_plan_2010()
    response = client.get(f"/planes/{plan.pk}/plan.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert "hallazgos" in book.sheetnames
    csv_text = client.get(f"/planes/{plan.pk}/plan.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("plan_anio;")
