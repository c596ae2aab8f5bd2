"""The plan template: one spreadsheet layout for writing, importing and exporting any
operational plan (the national plan or a committee's), as an Excel workbook or a CSV.

The columns are those of the 2010 plan's programme (section V: Estrategias | Actividades
| Unidad de Medida | Meta Anual | Responsable | Ene..Dic) plus the columns that say which
plan the rows belong to:

==================  =================================================================
plan_anio           the plan's year (same on every row)
comite_ubigeo       the committee's ubigeo (a CORESEC: its region code, e.g. 07, 1501);
                    empty for the national plan
comite_nivel        regional, provincial or district; empty for the national plan
estrategia          the strategy's number
estrategia_nombre   the strategy's name (may be left empty on all but one of its rows)
actividad           the activity's number within its strategy
descripcion         what the activity is
unidad_medida       its unit of measure
meta_anual          the annual goal; empty when unknown
responsable         the responsible institutions as written, several separated by " / "
ene .. dic          the quantity programmed for each month
==================  =================================================================

One row per activity **part**: an activity with two parts (2010, strategy 4, activity 4:
one goal and schedule for the COPROSEC, another for the CODISEC) is two rows with the same
strategy and activity numbers and different ``responsable``. A strategy that has no
activities is one row with only ``estrategia`` and ``estrategia_nombre`` filled in.

Month cells: **empty means 0** (nothing programmed that month, as the source prints it)
and **"?" means unknown** (the source has a value that cannot be read; kept unknown, never
guessed). Exported plans write 0 as 0 and unknown as "?"; the importer reads "?" as
unknown and an empty cell as 0. An unknown annual goal is exported as an empty cell; the
importer reads an empty or "?" goal as unknown.

The workbook's first sheet is the plan (the importer reads only that sheet); a second
sheet, "hallazgos", lists the plan's validation findings when it was exported. A CSV is
UTF-8 with a byte order mark (so Excel opens it with its accents) and ``;`` separated.

Exports are pure reads.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from sinasec.core.exports import csv_bytes, put_cell, workbook_bytes
from sinasec.plans.models import MONTHS, Activity, ActivityPart, Plan
from sinasec.plans.selectors import validate_plan

MONTH_COLUMNS: tuple[str, ...] = (
    "ene",
    "feb",
    "mar",
    "abr",
    "may",
    "jun",
    "jul",
    "ago",
    "set",
    "oct",
    "nov",
    "dic",
)
assert len(MONTH_COLUMNS) == MONTHS

COLUMNS: tuple[str, ...] = (
    "plan_anio",
    "comite_ubigeo",
    "comite_nivel",
    "estrategia",
    "estrategia_nombre",
    "actividad",
    "descripcion",
    "unidad_medida",
    "meta_anual",
    "responsable",
    *MONTH_COLUMNS,
)
UNKNOWN = "?"  # a month (or goal) the source has but cannot be read
CSV_DELIMITER = ";"
PLAN_SHEET = "plan"
FINDINGS_SHEET = "hallazgos"
FINDINGS_COLUMNS = ("actividad", "severidad", "regla", "mensaje")

WIDTHS: dict[str, int] = {
    "plan_anio": 10,
    "comite_ubigeo": 14,
    "comite_nivel": 13,
    "estrategia": 11,
    "estrategia_nombre": 40,
    "actividad": 10,
    "descripcion": 60,
    "unidad_medida": 18,
    "meta_anual": 11,
    "responsable": 28,
    **dict.fromkeys(MONTH_COLUMNS, 6),
}
FINDINGS_WIDTHS = (10, 10, 20, 90)
Value = int | str | None


def _months_text() -> str:
    return _(
        "Quantity programmed for the month. Empty means 0 (nothing programmed); “?” means "
        "the value is unknown (the source cannot be read)."
    )


def _goal_text() -> str:
    return _("Annual goal, a whole number. Empty or “?” means the goal is unknown.")


def _responsible_text() -> str:
    return _(
        "Responsible institutions as written, several separated by “ / ”. An activity with "
        "two responsibles that each have their own goal and schedule is two rows with the "
        "same strategy and activity numbers."
    )


def _committee_text() -> str:
    return _(
        "Empty for the national plan. For a committee's plan: its ubigeo (a CORESEC, its "
        "region code such as 07 or 1501) and its level: regional, provincial or district."
    )


# --- rows ----------------------------------------------------------------------------


def plan_rows(plan: Plan) -> Iterator[list[Value]]:
    """The plan's data rows in template order: strategies and activities by number, the
    parts of an activity in their order. A strategy without activities is one row."""
    committee = plan.committee
    ident: list[Value] = [
        plan.year,
        committee.ubigeo if committee else "",
        committee.level if committee else "",
    ]
    activities: dict[int, list[Activity]] = {}
    for activity in (
        Activity.objects.filter(strategy__plan=plan)
        .select_related("strategy")
        .prefetch_related("parts")
        .order_by("strategy__number", "number")
    ):
        activities.setdefault(activity.strategy_id, []).append(activity)
    for strategy in plan.strategies.order_by("number"):
        own = activities.get(strategy.pk, [])
        if not own:
            yield [*ident, strategy.number, strategy.name, *[None] * (len(COLUMNS) - 5)]
            continue
        for activity in own:
            parts = sorted(activity.parts.all(), key=lambda p: (p.order, p.pk))
            for part in parts:
                yield [
                    *ident,
                    strategy.number,
                    strategy.name,
                    activity.number,
                    activity.description,
                    activity.unit,
                    part.goal,
                    part.responsible_text,
                    *_months(part),
                ]


def _months(part: ActivityPart) -> list[Value]:
    values = list(part.programmed or [])[:MONTHS]
    values += [0] * (MONTHS - len(values))  # no schedule at all: nothing programmed
    return [UNKNOWN if value is None else int(value) for value in values]


# --- CSV -----------------------------------------------------------------------------


def _csv(rows: Iterator[list[Value]]) -> bytes:
    return csv_bytes(itertools.chain([list(COLUMNS)], rows), delimiter=CSV_DELIMITER)


def export_plan_csv(plan: Plan) -> bytes:
    """The plan as a template CSV: UTF-8 with BOM, ``;`` separated, unknown months "?"."""
    return _csv(plan_rows(plan))


# --- XLSX ----------------------------------------------------------------------------


def _workbook(rows: Iterator[list[Value]]) -> Any:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = PLAN_SHEET
    sheet.append(list(COLUMNS))
    bold = Font(bold=True)
    notes = {
        "comite_ubigeo": _committee_text(),
        "meta_anual": _goal_text(),
        "responsable": _responsible_text(),
        MONTH_COLUMNS[0]: _months_text(),
    }
    for index, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if name in notes:
            cell.comment = Comment(notes[name], "SINASEC", width=300, height=120)
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[name]
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            put_cell(sheet.cell(row=number, column=index), value)
    return workbook


def export_plan(plan: Plan) -> bytes:
    """The plan as a template workbook (sheet "plan"), with its validation findings as of
    now on a second sheet, "hallazgos"."""
    from openpyxl.styles import Font

    workbook = _workbook(plan_rows(plan))
    findings = workbook.create_sheet(FINDINGS_SHEET)
    findings.append(list(FINDINGS_COLUMNS))
    for cell in findings[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", FINDINGS_WIDTHS, strict=True):
        findings.column_dimensions[letter].width = width
    findings.freeze_panes = "A2"
    for number, finding in enumerate(validate_plan(plan), start=2):
        for index, value in enumerate(
            (finding.activity, finding.severity, finding.rule, finding.message), start=1
        ):
            put_cell(findings.cell(row=number, column=index), value)
    return workbook_bytes(workbook)


def blank_template(kind: str = "xlsx") -> bytes:
    """The empty template (header only) to write a new plan in: ``xlsx`` or ``csv``."""
    if kind == "csv":
        return _csv(iter(()))
    if kind != "xlsx":
        raise ValueError(kind)
    return workbook_bytes(_workbook(iter(())))


def file_name_for(plan: Plan, extension: str) -> str:
    """``plan_2010_nacional.xlsx``, ``plan_2026_district_150122.csv``."""
    owner = f"{plan.committee.level}_{plan.committee.ubigeo}" if plan.committee else "nacional"
    return f"plan_{plan.year}_{owner}.{extension}"
