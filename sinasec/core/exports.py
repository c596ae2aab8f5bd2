"""Downloads: one writer for every CSV and XLSX export, and one builder of the response.

**Formula injection** (OWASP "CSV injection"): a spreadsheet runs a cell whose text
starts with ``=``, ``+``, ``-`` or ``@`` (and some strip a leading tab or carriage return
first), so a name typed by one user as ``=HYPERLINK("http://…")`` would be a live
formula in the file another user downloads. Every exported *string* that starts with
one of those characters is neutralised; numbers (negative ones included) stay numbers.

- CSV: the text is prefixed with ``'`` (the quote the spreadsheet shows and does not run).
- XLSX: the cell is written as text (never a formula) and flagged ``quotePrefix``, the
  workbook's own form of that leading ``'``: the value stays exactly what was stored
  (a re-imported template reads it back unchanged) and editing the cell keeps it text.

**Headers and values for people, codes for programs**: a table described by
:class:`Column` (a machine name, a translated header, translated words for its coded
values) is written in the reader's language: ``año,puesto,ubigeo``, ``instalado``,
``distrital``. With ``?columnas=codigos`` (:func:`wants_codes`) the same download keeps
the machine names and codes (``year,rank,ubigeo``, ``installed``, ``district``), stable
for scripts whatever the language.

**File names**: ``attachment_response`` builds every download response; its
``Content-Disposition`` carries an ASCII fallback ``filename="…"`` and the UTF-8 name as
``filename*=UTF-8''…`` (RFC 6266 / RFC 5987), both without quotes, control characters
(CR, LF), path separators or leading dots, whatever the caller passed.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinasec.core.imports import is_escaped

R = TypeVar("R", bound=HttpResponseBase)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
PARQUET_TYPE = "application/vnd.apache.parquet"

# Characters an XLSX (XML 1.0) cannot hold; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:;*?<>|]+')
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")
DEFAULT_NAME = "descarga"
MAX_NAME = 150


def is_formula(value: object) -> bool:
    """Whether a spreadsheet would run this cell: a string starting with = + - @ tab CR."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """The CSV cell for ``value``: ``None`` as empty, a formula-like string as ``'…``,
    anything else unchanged. A text already written ``'=…`` gets one more ``'``, so that
    an importer, which takes one off (``core.imports.is_escaped``), reads it as it was."""
    if value is None:
        return ""
    return "'" + value if is_formula(value) or is_escaped(value) else value


# --- headers and values: words for people, codes for programs ------------------------

CODES_PARAMETER, CODES_VALUE = "columnas", "codigos"
YES_NO: Mapping[Any, Promise] = {True: _("yes"), False: _("no")}


@dataclass(frozen=True)
class Column:
    """A column of an export: its machine name, its header for people and, for a column
    of codes (``installed``, ``district``, ``True``), the word of each code."""

    code: str
    label: str | Promise
    values: Mapping[Any, str | Promise] = field(default_factory=dict)

    def word(self, value: Any) -> Any:
        word = self.values.get(value) if self.values and _hashable(value) else None
        return value if word is None else str(word)


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def wants_codes(request: HttpRequest) -> bool:
    """Whether the download keeps machine names and codes (``?columnas=codigos``)."""
    return request.GET.get(CODES_PARAMETER) == CODES_VALUE


def sheet_name(code: str, label: str | Promise, codes: bool) -> str:
    """A workbook sheet's name: the machine name or the translated one (31 characters,
    the format's limit)."""
    return (code if codes else str(label))[:31]


def table(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], codes: bool
) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows of an export, in words or (``codes``) as stored."""
    if codes:
        return [c.code for c in columns], [list(row) for row in rows]
    header = [str(c.label) for c in columns]
    return header, [[c.word(v) for c, v in zip(columns, row, strict=True)] for row in rows]


def table_rows(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], codes: bool
) -> list[list[Any]]:
    """:func:`table` as one list of rows, header first (what ``csv_bytes`` takes)."""
    header, body = table(columns, rows, codes)
    return [header, *body]


# --- CSV -----------------------------------------------------------------------------


def csv_bytes(rows: Iterable[Sequence[Any]], *, delimiter: str = ",", bom: bool = True) -> bytes:
    """Rows as CSV (CRLF line ends), every cell through ``neutralise``; UTF-8 with a byte
    order mark by default, so that Excel opens accents right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


# --- XLSX ----------------------------------------------------------------------------


def put_cell(cell: Any, value: Any) -> None:
    """Write ``value`` into an openpyxl cell: strings always as text (``=…`` is never a
    formula, ``07`` keeps its 0), formula-like ones flagged ``quotePrefix``."""
    if isinstance(value, str):
        cell.value = _ILLEGAL_XML.sub("", value)
        cell.data_type = "s"
        if is_formula(cell.value):
            cell.quotePrefix = True
    else:
        cell.value = value


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to an openpyxl sheet, every cell through ``put_cell``."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        put_cell(sheet.cell(row=row, column=column), value)


def workbook_bytes(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of simple tables, ``(title, header, rows)`` per sheet: bold header,
    frozen first row, every cell through ``put_cell``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    for index, (title, header, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        append_row(sheet, header)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in rows:
            append_row(sheet, row)
    return workbook_bytes(book)


# --- the response --------------------------------------------------------------------


def safe_file_name(name: str) -> str:
    """``name`` without control characters, quotes, path separators or leading dots,
    at most 150 characters; ``descarga`` if nothing is left."""
    cleaned = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", str(name))).strip(" ._")
    stem, dot, extension = cleaned.rpartition(".")
    if dot and len(cleaned) > MAX_NAME:
        cleaned = stem[: MAX_NAME - len(extension) - 1] + "." + extension[:16]
    return cleaned[:MAX_NAME] or DEFAULT_NAME


def ascii_file_name(name: str) -> str:
    """The ASCII fallback of a safe name: accents folded, anything else ``_``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_ASCII_NAME.sub("_", folded).strip("._") or DEFAULT_NAME


def content_disposition(name: str) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…`` for any file name."""
    safe = safe_file_name(name)
    return (
        f"attachment; filename=\"{ascii_file_name(safe)}\"; filename*=UTF-8''{quote(safe, safe='')}"
    )


def _as_attachment(response: R, file_name: str) -> R:
    response["Content-Disposition"] = content_disposition(file_name)
    response["X-Content-Type-Options"] = "nosniff"  # the declared type, never a guess
    return response


def attachment_response(content: bytes, file_name: str, content_type: str) -> HttpResponse:
    """The one way a view answers with a file to save."""
    return _as_attachment(HttpResponse(content, content_type=content_type), file_name)


def stored_file_response(opened: IO[bytes], file_name: str, content_type: str) -> FileResponse:
    """The same for a stored file, streamed from an open file of any storage backend."""
    return _as_attachment(
        FileResponse(opened, as_attachment=True, content_type=content_type), file_name
    )
