"""Parser for a plan written in the plan template (``sinasec/plans/template.py``), as an
Excel workbook (its first sheet) or a CSV (UTF-8, ``;``, ``,`` or tab separated).

It only reads and validates; it never writes. Every problem in the file is collected
(file, row, column, reason) and raised together as ``ImportRejected``, so a bad file
changes nothing and the user can fix it in one pass. Row numbers count the header as
row 1, as a spreadsheet shows them.

What is an error here is what makes the file unreadable as one plan: a missing column,
a number that is not a whole number, a negative quantity, rows of two plans, a duplicate
row, two names for one strategy. What is merely inconsistent in the plan itself (months
that do not add up to the goal, gaps in the numbering, an unknown responsible, a missing
unit or goal) is imported as written: validation reports it beside the plan.

Cells: an empty month is 0 and "?" an unknown month; an empty or "?" goal is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.committees.models import ACRONYM, CommitteeLevel
from sinasec.core.imports import ProblemList, map_columns, too_long
from sinasec.core.tabular import Cell, cell_text, read_table
from sinasec.core.text import header_key
from sinasec.plans.template import COLUMNS, MONTH_COLUMNS, UNKNOWN

FIRST_PLAN_YEAR = 2003  # Ley 27933, which created the SINASEC, is of February 2003
MAX_NUMBER = 32767  # Strategy.number, Activity.number (PositiveSmallIntegerField)
MAX_QUANTITY = 2147483647  # ActivityPart.goal (PositiveIntegerField)
UNIT_LENGTH = 80  # Activity.unit
RESPONSIBLE_LENGTH = 200  # ActivityPart.responsible_text

_MONTH_ALIASES: dict[str, tuple[str, ...]] = {
    "ene": ("en", "enero", "jan"),
    "feb": ("febrero",),
    "mar": ("marzo",),
    "abr": ("abril", "apr"),
    "may": ("mayo",),
    "jun": ("junio",),
    "jul": ("julio",),
    "ago": ("agosto", "aug"),
    "set": ("setiembre", "septiembre", "sep", "sept"),
    "oct": ("octubre",),
    "nov": ("noviembre",),
    "dic": ("diciembre", "dec"),
}
# Canonical column -> the normalised header names accepted for it (the template's own
# name first).
ALIASES: dict[str, tuple[str, ...]] = {
    "plan_anio": ("plan_anio", "plan_ano", "anio", "ano", "year"),
    "comite_ubigeo": ("comite_ubigeo", "ubigeo"),
    "comite_nivel": ("comite_nivel", "nivel", "level"),
    "estrategia": ("estrategia", "estrategias", "n_estrategia"),
    "estrategia_nombre": ("estrategia_nombre", "nombre_estrategia", "nombre_de_la_estrategia"),
    "actividad": ("actividad", "actividades", "n_actividad"),
    "descripcion": ("descripcion", "descripcion_de_la_actividad"),
    "unidad_medida": ("unidad_medida", "unidad_de_medida", "unidad"),
    "meta_anual": ("meta_anual", "meta"),
    "responsable": ("responsable", "responsables"),
    **{month: (month, *others) for month, others in _MONTH_ALIASES.items()},
}
assert tuple(ALIASES) == COLUMNS
ACTIVITY_COLUMNS = COLUMNS[5:]  # empty in a row that only names a strategy

LEVELS: dict[str, str] = {
    **dict.fromkeys(("regional", "region", "coresec"), CommitteeLevel.REGIONAL),
    **dict.fromkeys(("provincial", "provincia", "province", "coprosec"), CommitteeLevel.PROVINCIAL),
    **dict.fromkeys(("district", "distrital", "distrito", "codisec"), CommitteeLevel.DISTRICT),
}


@dataclass(frozen=True)
class ParsedPart:
    row: int
    responsible: str
    goal: int | None
    months: tuple[int | None, ...]


@dataclass(frozen=True)
class ParsedActivity:
    row: int  # its first row
    strategy: int
    number: int
    description: str
    unit: str
    parts: tuple[ParsedPart, ...]

    @property
    def code(self) -> str:
        return f"{self.strategy}.{self.number}"


@dataclass(frozen=True)
class ParsedStrategy:
    row: int  # its first row
    number: int
    name: str


@dataclass(frozen=True)
class ParsedPlan:
    file_name: str
    year: int
    committee_ubigeo: str  # "" for the national plan
    committee_level: str  # "" for the national plan
    strategies: tuple[ParsedStrategy, ...]
    activities: tuple[ParsedActivity, ...]
    first_row: int  # the first data row, where the plan is identified
    headers: dict[str, str]  # canonical column -> the header as the file writes it

    @property
    def is_national(self) -> bool:
        return not self.committee_level

    @property
    def parts(self) -> int:
        return sum(len(a.parts) for a in self.activities)


@dataclass
class _Row:
    row: int
    plan: tuple[int, str, str]
    strategy: int
    name: str
    activity: int | None  # None: a row that only names a strategy
    description: str = ""
    unit: str = ""
    goal: int | None = None
    responsible: str = ""
    months: tuple[int | None, ...] = ()


def parse_plan(data: bytes, file_name: str, today: date | None = None) -> ParsedPlan:
    """The plan a template file holds, validated as a whole (see the module docstring)."""
    today = today or timezone.localdate()
    problems = ProblemList()
    header, records = read_table(data, file_name, problems)

    columns = map_columns(header, ALIASES, COLUMNS, file_name, problems)
    problems.raise_if_any()
    headers = {key: header[index] for key, index in columns.items()}

    rows: list[_Row] = []
    data_rows = 0
    for number, values in records:
        if not any(cell_text(v) for v in values):
            continue
        data_rows += 1
        row = _read_row(number, values, columns, headers, file_name, today, problems)
        if row is not None:
            rows.append(row)
    if not data_rows and not problems:
        problems.add(None, None, _("the file has a header but no data rows"), file_name)
    problems.sort(key=lambda p: p.row or 0)  # fields miscounted while reading come first
    problems.raise_if_any()

    plan = _assemble(rows, headers, file_name, problems)
    problems.raise_if_any()
    assert plan is not None
    return plan


# --- one row -------------------------------------------------------------------------


def _read_row(
    number: int,
    values: list[Cell],
    columns: dict[str, int],
    headers: dict[str, str],
    file_name: str,
    today: date,
    problems: ProblemList,
) -> _Row | None:
    def raw(key: str) -> Cell:
        return values[columns[key]]

    def cell(key: str) -> str:
        return cell_text(raw(key))

    def fail(key: str, reason: str) -> None:
        problems.add(number, headers[key], reason, file_name)

    ok = True

    def whole(key: str, *, minimum: int, maximum: int, unknown: bool) -> int | None:
        """A whole number in [minimum, maximum]; None when empty or "?" (if ``unknown``)
        or wrong (reported, and the row marked bad)."""
        nonlocal ok
        text = cell(key)
        if not text or (unknown and text == UNKNOWN):
            return None
        value = _whole(raw(key))
        if value is None:
            fail(
                key,
                (
                    _("“%(value)s” is not a whole number (write “?” for a value that is unknown)")
                    if unknown
                    else _("“%(value)s” is not a whole number")
                )
                % {"value": text},
            )
        elif value < 0:
            fail(key, _("%(value)d is negative") % {"value": value})
        elif value < minimum:
            fail(key, _("the number must be %(min)d or more") % {"min": minimum})
        elif value > maximum:
            fail(key, _("%(value)d is too large") % {"value": value})
        else:
            return value
        ok = False
        return None

    def required(key: str) -> None:
        nonlocal ok
        if not cell(key):
            fail(key, _("a value is required"))
            ok = False

    # Which plan.
    required("plan_anio")
    year = None
    if cell("plan_anio"):
        year = _whole(raw("plan_anio"))
        if year is None or not FIRST_PLAN_YEAR <= year <= today.year + 1:
            fail(
                "plan_anio",
                _("“%(value)s” is not a plan year (%(first)d to %(last)d)")
                % {"value": cell("plan_anio"), "first": FIRST_PLAN_YEAR, "last": today.year + 1},
            )
            ok = False
    level_text, ubigeo = cell("comite_nivel"), cell("comite_ubigeo")
    level = ""
    if level_text:
        level = LEVELS.get(header_key(level_text), "")
        if not level:
            fail(
                "comite_nivel",
                _(
                    "unknown level “%(value)s”: use regional, provincial or district "
                    "(CORESEC, COPROSEC, CODISEC)"
                )
                % {"value": level_text},
            )
            ok = False
    if ubigeo and not (ubigeo.isdigit() and len(ubigeo) <= 6):
        fail("comite_ubigeo", _("“%(value)s” is not a ubigeo") % {"value": ubigeo})
        ok = False
    elif len(ubigeo) % 2:
        ubigeo = "0" + ubigeo  # a spreadsheet dropped the leading zero; unambiguous
    if bool(level_text) != bool(ubigeo):
        missing = "comite_ubigeo" if level_text else "comite_nivel"
        fail(
            missing,
            _(
                "a committee's plan needs both its ubigeo and its level; leave both empty "
                "for the national plan"
            ),
        )
        ok = False

    # Where in the plan.
    required("estrategia")
    strategy = whole("estrategia", minimum=1, maximum=MAX_NUMBER, unknown=False)
    name = cell("estrategia_nombre")
    if not any(cell(key) for key in ACTIVITY_COLUMNS):
        # Only a strategy (one that has no activities, or its name on a row of its own).
        if not ok or year is None or strategy is None:
            return None
        return _Row(number, (year, ubigeo, level), strategy, name, None)
    required("actividad")
    activity = whole("actividad", minimum=1, maximum=MAX_NUMBER, unknown=False)
    required("descripcion")
    unit = cell("unidad_medida")
    if len(unit) > UNIT_LENGTH:
        fail("unidad_medida", too_long(UNIT_LENGTH))
        ok = False
    responsible = cell("responsable")
    if len(responsible) > RESPONSIBLE_LENGTH:
        fail("responsable", too_long(RESPONSIBLE_LENGTH))
        ok = False
    goal = whole("meta_anual", minimum=0, maximum=MAX_QUANTITY, unknown=True)
    months: list[int | None] = []
    for key in MONTH_COLUMNS:
        text = cell(key)
        if text == UNKNOWN:
            months.append(None)
        else:
            months.append(whole(key, minimum=0, maximum=MAX_QUANTITY, unknown=True) or 0)
    if not ok or year is None or strategy is None or activity is None:
        return None
    return _Row(
        number,
        (year, ubigeo, level),
        strategy,
        name,
        activity,
        cell("descripcion"),
        unit,
        goal,
        responsible,
        tuple(months),
    )


# --- the rows together ---------------------------------------------------------------


def _assemble(
    rows: list[_Row], headers: dict[str, str], file_name: str, problems: ProblemList
) -> ParsedPlan | None:
    first = rows[0]
    names: dict[int, tuple[str, int]] = {}  # strategy -> (name, row), from the first naming row
    strategy_rows: dict[int, int] = {}
    activities: dict[tuple[int, int], list[_Row]] = {}
    responsibles: dict[tuple[int, int, str], int] = {}
    for row in rows:
        if row.plan != first.plan:
            column = next(
                key
                for key, this, that in zip(
                    ("plan_anio", "comite_ubigeo", "comite_nivel"),
                    row.plan,
                    first.plan,
                    strict=True,
                )
                if this != that
            )
            problems.add(
                row.row,
                headers[column],
                _(
                    "this row belongs to another plan (%(this)s) than row %(first)d "
                    "(%(plan)s): a file holds one plan"
                )
                % {
                    "this": _plan_label(row.plan),
                    "first": first.row,
                    "plan": _plan_label(first.plan),
                },
                file_name,
            )
            continue
        strategy_rows.setdefault(row.strategy, row.row)
        if row.name:
            known = names.setdefault(row.strategy, (row.name, row.row))
            if known[0] != row.name:
                problems.add(
                    row.row,
                    headers["estrategia_nombre"],
                    _(
                        "strategy %(number)d is named differently in row %(first)d "
                        "(“%(name)s”): give a strategy one name"
                    )
                    % {"number": row.strategy, "first": known[1], "name": known[0]},
                    file_name,
                )
        if row.activity is None:
            continue
        key = (row.strategy, row.activity, same_responsible(row.responsible))
        if key in responsibles:
            problems.add(
                row.row,
                headers["responsable"],
                _(
                    "duplicate row: activity %(code)s with the responsible “%(who)s” is "
                    "already in row %(first)d"
                )
                % {
                    "code": f"{row.strategy}.{row.activity}",
                    "who": row.responsible,
                    "first": responsibles[key],
                },
                file_name,
            )
            continue
        responsibles[key] = row.row
        siblings = activities.setdefault((row.strategy, row.activity), [])
        if siblings:
            for column, this, that in (
                ("descripcion", row.description, siblings[0].description),
                ("unidad_medida", row.unit, siblings[0].unit),
            ):
                if this != that:
                    problems.add(
                        row.row,
                        headers[column],
                        _(
                            "activity %(code)s reads differently in row %(first)d: the rows "
                            "of one activity differ only in responsible, goal and months"
                        )
                        % {"code": f"{row.strategy}.{row.activity}", "first": siblings[0].row},
                        file_name,
                    )
        siblings.append(row)
    for number, row_number in strategy_rows.items():
        if number not in names:
            problems.add(
                row_number,
                headers["estrategia_nombre"],
                _("strategy %(number)d has no name in any row") % {"number": number},
                file_name,
            )
    if problems:
        return None
    year, ubigeo, level = first.plan
    return ParsedPlan(
        file_name=file_name,
        year=year,
        committee_ubigeo=ubigeo,
        committee_level=level,
        strategies=tuple(
            ParsedStrategy(strategy_rows[n], n, names[n][0]) for n in sorted(strategy_rows)
        ),
        activities=tuple(
            ParsedActivity(
                row=group[0].row,
                strategy=strategy,
                number=number,
                description=group[0].description,
                unit=group[0].unit,
                parts=tuple(ParsedPart(r.row, r.responsible, r.goal, r.months) for r in group),
            )
            for (strategy, number), group in sorted(activities.items())
        ),
        first_row=first.row,
        headers=headers,
    )


def _plan_label(plan: tuple[int, str, str]) -> str:
    year, ubigeo, level = plan
    if not level:
        return _("national plan %(year)d") % {"year": year}
    return f"{ACRONYM[CommitteeLevel(level)]} {ubigeo} {year}"


def same_responsible(responsible: str) -> str:
    """Two ways of writing the same responsible cell: case and spacing."""
    return " ".join(responsible.split()).casefold()


# --- cells ---------------------------------------------------------------------------


_WHOLE = re.compile(r"^[+-]?\d+(?:\.0+)?$")


def _whole(value: Cell) -> int | None:
    """A whole number (possibly negative), or None when the cell is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value)
    return int(text.split(".")[0]) if _WHOLE.match(text) else None
