"""Reading the tables users bring, CSV or Excel, into a header and numbered rows.

Shared by every importer that accepts both formats, so a file is read the same way
whatever it imports: CSV as UTF-8 (with or without BOM) separated by ``;``, ``,``, tab
or ``|``;
Excel as the first sheet of an ``.xlsx``; an old ``.xls`` is refused with advice.
Row numbers are the ones a spreadsheet shows (the header is row 1).

A workbook is a zip of XML: before openpyxl reads it, the zip is checked (what its
members declare they unpack to, under ``limits().unpacked_bytes``: a zip bomb is
refused unread) and any XML declaring a DOCTYPE or entities is refused (Excel never
writes one; entity expansion is an attack). openpyxl also parses through
``defusedxml`` when it is installed. The rows are read streaming, up to the row limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.imports import (
    Limits,
    ProblemList,
    check_size,
    csv_rows,
    decode_text,
    formula,
    is_escaped,
    limits,
    numbered_rows,
    rejected,
    too_many_rows,
)

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"

Cell = object  # str from a CSV; str, int, float, date, datetime, bool or None from XLSX
Records = list[tuple[int, list[Cell]]]
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


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
    delimiter, reader = csv_rows(decode_text(data, file_name), file_name)
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

    limit = limits()
    check_size(len(data), file_name)
    _check_archive(data, file_name, limit)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip (.ods, .docx): whatever openpyxl raises
        raise _unreadable(file_name) from None
    table: list[list[Cell]] = []
    try:
        sheet = workbook.worksheets[0]
        # Read every row and column there is, not what <dimension> claims: some writers
        # put "A1" there, and openpyxl would stop at it (a file read in part, silently).
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limit.rows + 1:
                raise too_many_rows(file_name, limit)
            table.append(list(values))
    except ImportRejected:
        raise
    except Exception:  # the sheet's XML is damaged or hostile (defusedxml, expat)
        raise _unreadable(file_name) from None
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
    for number, values in records:
        for index, (column, value) in enumerate(zip(header, values, strict=True)):
            if is_escaped(value):
                values[index] = str(value)[1:]
            elif isinstance(value, str) and value.lstrip().startswith("="):
                raise ImportRejected([ImportProblem(file_name, number, column, formula(value))])
    return header, records


def _unreadable(file_name: str) -> ImportRejected:
    return rejected(
        file_name,
        _(
            "not a readable Excel workbook; save it as “Excel workbook (.xlsx)” "
            "or as “CSV UTF-8” and try again"
        ),
    )


XML_PEEK = 4096  # a DOCTYPE comes before the root element: in the first bytes


def _check_archive(data: bytes, file_name: str, limit: Limits) -> None:
    """Refuse a zip that would unpack to more than the limit, or whose XML declares a
    DOCTYPE (entities), before anything parses it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _unreadable(file_name) from None
    with archive:
        declared = sum(m.file_size for m in members)
        if declared > limit.unpacked_bytes or len(members) > 10_000:
            raise rejected(
                file_name,
                _("the workbook unpacks to more than %(n)d MB; it is not a table of one import")
                % {"n": limit.unpacked_bytes // (1024 * 1024)},
            )
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(member) as handle:
                    head = handle.read(XML_PEEK).upper()
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise _unreadable(file_name) from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise rejected(
                    file_name,
                    _("the workbook's XML declares entities (a DOCTYPE); Excel never writes one"),
                )
            if member.filename.startswith("xl/worksheets/") and _rows_over(
                archive, member, limit.rows + 1
            ):
                raise too_many_rows(file_name, limit)


ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")  # <row>, or <x:row> with a prefix


def _rows_over(archive: zipfile.ZipFile, member: zipfile.ZipInfo, most: int) -> bool:
    """Whether a sheet holds more than ``most`` rows, by counting its row tags as it
    unpacks (C speed, about 1 s for the largest workbook the zip check lets through).
    openpyxl would parse every row of a sheet without a ``<dimension>`` before the
    first is read (60 s for 2,000,000 rows), whatever the row limit."""
    count, tail = 0, b""
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(1024 * 1024):
                block = tail + chunk  # a tag cut between two chunks is counted once
                count += sum(block.count(tag) for tag in ROW_TAGS)
                if count > most:
                    return True
                tail = block[-4:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False  # a damaged sheet: openpyxl says it is unreadable
    return False


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


def cell_date(value: Cell) -> date | None:
    """A date cell: an Excel date, or text written YYYY-MM-DD or DD/MM/YYYY; None for
    anything else (a number in a date column is not a date we can trust)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if match := ISO_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := DMY_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:  # 31/02/2025
        return None
    return None
