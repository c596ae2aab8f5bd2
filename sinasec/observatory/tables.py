"""Parser for a published table of counts by department and year, in the layout of the
2010 plan's table 4: a ``DEPARTAMENTO`` column, one column per year, one row per
department and an optional ``TOTAL`` row kept as the source's own national total.

It only reads and validates; ``services.import_table`` writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sinasec.core.imports import ProblemList, csv_rows, decode_text, numbered_rows
from sinasec.core.text import name_key
from sinasec.observatory.sidpol import MAX_COUNT, whole_number

FIRST_COLUMN = ("DEPARTAMENTO", "DEPARTMENT", "REGION")
TOTAL = "TOTAL"


@dataclass(frozen=True)
class TableFigure:
    territory: str | None  # a department ubigeo; None for the national TOTAL row
    year: int
    count: int


def parse_table(data: bytes, file_name: str, departments: dict[str, str]) -> list[TableFigure]:
    """The figures of the table; ``departments`` maps ``name_key(name)`` to ubigeo."""
    _delimiter, reader = csv_rows(decode_text(data, file_name), file_name)
    header = [h.strip() for h in next(reader)]
    problems = ProblemList()
    years = _years(header, file_name, problems)
    problems.raise_if_any()
    figures: list[TableFigure] = []
    seen: dict[str, int] = {}
    for number, values in numbered_rows(reader):
        name = name_key(values[0])
        code = None if name == TOTAL else departments.get(name)
        if name != TOTAL and code is None:
            reason = _("unknown department “%(value)s”") % {"value": values[0]}
            problems.add(number, header[0], reason, file_name)
        elif name in seen:
            reason = _("duplicate row (already in row %(first)d)") % {"first": seen[name]}
            problems.add(number, header[0], reason, file_name)
        else:
            seen[name] = number
            figures += _figures(number, code, years, values[1:], file_name, problems)
    if not figures and not problems:
        problems.add(None, None, _("the file has a header but no data rows"), file_name)
    problems.raise_if_any()
    return figures


def _years(header: list[str], file_name: str, problems: ProblemList) -> list[int]:
    if not header or name_key(header[0]) not in FIRST_COLUMN:
        first = header[0] if header else None
        problems.add(1, first, _("the first column must be DEPARTAMENTO"), file_name)
    years = []
    for column in header[1:]:
        parsed = whole_number(column)
        if parsed is None or not 1900 <= parsed <= 2100:
            problems.add(1, column, _("“%(value)s” is not a year") % {"value": column}, file_name)
        else:
            years.append(parsed)
    return years


def _figures(
    number: int,
    code: str | None,
    years: list[int],
    values: list[str],
    file_name: str,
    problems: ProblemList,
) -> list[TableFigure]:
    figures = []
    for year, raw in zip(years, values, strict=False):
        count = whole_number(raw)
        if count is None or not 0 <= count <= MAX_COUNT:
            reason = _("“%(value)s” is not a whole number") % {"value": raw}
            problems.add(number, str(year), reason, file_name)
        else:
            figures.append(TableFigure(code, year, count))
    return figures
