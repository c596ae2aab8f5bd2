"""Reading the tables users bring, CSV or Excel, into a header and numbered rows.

Shared by every importer that accepts both formats, so a file is read the same way
whatever it imports: CSV as UTF-8 (with or without BOM) separated by ``;``, ``,``, tab
or ``|``;
Excel as the first sheet of an ``.xlsx``; an old ``.xls`` is refused with advice.
Row numbers are the ones a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.utils.translation import gettext as _

from sinasec.core.imports import ProblemList, csv_rows, decode_text, numbered_rows, rejected

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"

Cell = object  # str from a CSV; str, int, float, date, datetime, bool or None from XLSX
Records = list[tuple[int, list[Cell]]]


def read_table(data: bytes, file_name: str, problems: ProblemList) -> tuple[list[str], Records]:
    """Header and ``(row number, cells)`` of a CSV or XLSX file. Rows with the wrong
    number of fields are reported in ``problems`` and left out."""
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data, file_name)
    if data.startswith(XLS_MAGIC):
        raise rejected(
            file_name,
            _(
                "this is an old Excel workbook (.xls); save it as “Excel workbook "
                "(.xlsx)” or as “CSV UTF-8” and try again"
            ),
        )
    return read_csv(data, file_name, problems)


def read_csv(data: bytes, file_name: str, problems: ProblemList) -> tuple[list[str], Records]:
    delimiter, reader = csv_rows(decode_text(data, file_name))
    header = [h.strip() for h in next(reader, [])]
    while header and not header[-1]:
        header.pop()
    records: Records = []
    for number, values in numbered_rows(reader):
        while len(values) > len(header) and not values[-1].strip():
            values.pop()  # trailing separators a spreadsheet added
        if len(values) != len(header):
            counts = {"expected": len(header), "found": len(values), "delimiter": delimiter}
            problems.add(
                number,
                None,
                _(
                    "expected %(expected)d fields, found %(found)d; a value containing "
                    "“%(delimiter)s” must be written between double quotes"
                )
                % counts
                if len(values) > len(header)
                else _("expected %(expected)d fields, found %(found)d") % counts,
                file_name,
            )
            continue
        records.append((number, list(values)))
    return header, records


def read_xlsx(data: bytes, file_name: str) -> tuple[list[str], Records]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip (.ods, .docx): whatever openpyxl raises
        raise rejected(
            file_name,
            _(
                "not a readable Excel workbook; save it as “Excel workbook (.xlsx)” "
                "or as “CSV UTF-8” and try again"
            ),
        ) from None
    try:
        sheet = workbook.worksheets[0]
        table = [list(values) for values in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not any(cell_text(v) for values in table for v in values):
        raise rejected(file_name, _("the file is empty"))
    header = [cell_text(v) for v in table[0]]
    while header and not header[-1]:
        header.pop()
    records = [
        (number, (values + [None] * len(header))[: len(header)])
        for number, values in enumerate(table[1:], start=2)
    ]
    return header, records


def cell_text(value: Cell) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
