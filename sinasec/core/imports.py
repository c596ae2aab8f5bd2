"""The import toolkit every importer uses, whatever it imports.

- ``decode_text``: a file's bytes as text (UTF-8 with or without BOM), or the file
  rejected naming the line of the first byte that is not UTF-8 (a latin-1 export);
- ``sniff_delimiter`` / ``csv_rows``: the separator of a CSV (``;`` ``,`` tab or ``|``),
  read from its first line, and the rows it separates;
- ``load_json``: a JSON or GeoJSON document, or the line at fault (``NaN`` and
  ``Infinity`` are not JSON; a document nested deeper than any GeoJSON is refused);
- ``limits``: how much one import may read (bytes, rows, features, vertices, the size
  of a field, what an XLSX may unpack to), from the settings, in one place: a file over
  any limit is refused as a whole before it costs the server more;
- ``ProblemList``: every problem of a file (file, row, column, reason), raised together
  as ``ImportRejected`` so a user can fix the whole file in one pass;
- ``ImportResult`` and ``Progress``: what an import reports, and how it reports progress.

Parsers only read and validate; the writes are the services'.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.text import header_key

MAX_PROBLEMS = 200  # enough to fix a file; more would only bury the first ones
# Separators a CSV may use, the spreadsheet default of Spanish locales first: a tie in
# the header (no separator at all: one column) is read as ";".
DELIMITERS = (";", ",", "\t", "|")

Progress = Callable[[int, int], None]
"""``progress(done, total)``: rows done out of the file's total."""


@dataclass(frozen=True)
class Limits:
    """What one import may read. Each has a setting (``settings.IMPORT_*``)."""

    bytes: int = 64 * 1024 * 1024  # the file as uploaded or read from disk
    rows: int = 200_000  # data rows of a table (CSV or XLSX)
    field_chars: int = 128 * 1024  # one CSV value
    unpacked_bytes: int = 256 * 1024 * 1024  # what an XLSX (a zip) declares it unpacks to
    features: int = 5_000  # features of a GeoJSON file
    vertices: int = 1_000_000  # vertices of a GeoJSON file
    vertices_per_feature: int = 100_000
    incident_rows: int = 20_000_000  # the incident store streams; its own bound

    @property
    def megabytes(self) -> int:
        return self.bytes // (1024 * 1024)


def limits() -> Limits:
    """The limits in force (the settings ``IMPORT_MAX_*``, else the defaults)."""
    default = Limits()
    return Limits(
        bytes=getattr(settings, "IMPORT_MAX_BYTES", default.bytes),
        rows=getattr(settings, "IMPORT_MAX_ROWS", default.rows),
        field_chars=getattr(settings, "IMPORT_MAX_FIELD_CHARS", default.field_chars),
        unpacked_bytes=getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", default.unpacked_bytes),
        features=getattr(settings, "IMPORT_MAX_FEATURES", default.features),
        vertices=getattr(settings, "IMPORT_MAX_VERTICES", default.vertices),
        vertices_per_feature=getattr(
            settings, "IMPORT_MAX_VERTICES_PER_FEATURE", default.vertices_per_feature
        ),
        incident_rows=getattr(settings, "IMPORT_MAX_INCIDENT_ROWS", default.incident_rows),
    )


def rejected(file_name: str, reason: str, row: int | None = None) -> ImportRejected:
    """The whole file refused for one reason."""
    return ImportRejected([ImportProblem(file_name, row, None, reason)])


class ProblemList(list[ImportProblem]):
    def add(self, row: int | None, column: str | None, reason: str, file: str) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(ImportProblem(file, row, column, reason))

    def raise_if_any(self) -> None:
        if self:
            raise ImportRejected(list(self))


@dataclass
class ImportResult:
    file: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[ImportProblem] = field(default_factory=list)
    skipped: list[ImportProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": [w.as_dict() for w in self.warnings],
            "skipped": [s.as_dict() for s in self.skipped],
        }


def check_size(size: int, file_name: str) -> None:
    """Refuse a file larger than the import limit before reading it."""
    limit = limits()
    if size > limit.bytes:
        raise rejected(
            file_name,
            _("the file is larger than %(n)d MB, the limit of one import; split it")
            % {"n": limit.megabytes},
        )


def decode_text(data: bytes, file_name: str, save_as: str = "CSV UTF-8") -> str:
    """UTF-8 text (with or without BOM); a clear error naming the line otherwise, with
    how to save the file (``save_as``: what a spreadsheet or a GIS calls it)."""
    check_size(len(data), file_name)
    if not data.strip():
        raise rejected(file_name, _("the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reason = _(
            "the file is not UTF-8 text (byte 0x%(byte)02x); save it as “%(format)s” and try again"
        ) % {"byte": data[exc.start], "format": save_as}
        raise rejected(file_name, reason, line) from None
    if not text.strip():
        raise rejected(file_name, _("the file is empty"))
    nul = text.find("\x00")
    if nul >= 0:  # binary data, or UTF-16 without its BOM; no database stores it as text
        reason = _("the file holds NUL bytes: it is not text; save it as “%(format)s”") % {
            "format": save_as
        }
        raise rejected(file_name, reason, text.count("\n", 0, nul) + 1)
    return text


def sniff_delimiter(text: str) -> str:
    """The separator used most in the first line of ``text`` (the header)."""
    lines = text.splitlines()
    first_line = lines[0] if lines else ""
    return max(DELIMITERS, key=first_line.count)


def csv_rows(text: str, file_name: str = "") -> tuple[str, Iterator[list[str]]]:
    """The separator of a CSV text and a reader over its rows (the header first).

    The reader refuses the file (``ImportRejected``) at the first row it cannot read,
    naming the row and, for a value over the field limit, its column; and once the
    rows outnumber the row limit. A value starting with ``=`` is a spreadsheet formula,
    never data: it is refused too; one escaped by an export (``'=…``, ``'-…``) loses its
    ``'`` and is read as text."""
    delimiter = sniff_delimiter(text)
    return delimiter, _guarded_rows(text, delimiter, file_name, limits())


class _Lines:
    """The lines of a text, one at a time, keeping those of the record being read."""

    def __init__(self, text: str):
        self._text = io.StringIO(text)
        self.current: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._text.readline()
        if not line:
            raise StopIteration
        self.current.append(line)
        return line


def _guarded_rows(text: str, delimiter: str, file_name: str, limit: Limits) -> Iterator[list[str]]:
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] = []
    number = 0
    while True:
        lines.current.clear()
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable_row(
                number + 1, "".join(lines.current), delimiter, header, file_name, limit, exc
            ) from None
        number += 1
        if number == 1:
            header = [h.strip() for h in values]
        elif number > limit.rows + 1:
            raise too_many_rows(file_name, limit)
        else:
            for index, value in enumerate(values):
                if is_escaped(value):
                    values[index] = value[1:]
                elif value.lstrip().startswith("="):
                    column = header[index] if index < len(header) else None
                    raise ImportRejected([ImportProblem(file_name, number, column, formula(value))])
        yield values


ESCAPED_TRIGGERS = ("=", "+", "-", "@")


def is_escaped(value: object) -> bool:
    """Whether a cell is text an export neutralised (``core.exports``: a leading ``'``
    before ``= + - @``, or before a text that already started with ``'`` and one of
    them). Importers take one ``'`` off and read the text as written, ``=`` included:
    it was escaped, it is not a formula."""
    return (
        isinstance(value, str)
        and value.startswith("'")
        and value.lstrip("'").startswith(ESCAPED_TRIGGERS)
    )


def formula(value: str) -> str:
    """The reason a cell holding a spreadsheet formula is refused."""
    return _("“%(value)s” is a spreadsheet formula, not a value; paste the values instead") % {
        "value": value.strip()[:40]
    }


def too_many_rows(file_name: str, limit: Limits) -> ImportRejected:
    return rejected(
        file_name,
        _("the file has more than %(n)d rows, the limit of one import (blank rows count); split it")
        % {"n": limit.rows},
    )


def _unreadable_row(
    number: int,
    record: str,
    delimiter: str,
    header: list[str],
    file_name: str,
    limit: Limits,
    exc: csv.Error,
) -> ImportRejected:
    index = oversized_field(record, delimiter, min(limit.field_chars, csv.field_size_limit()))
    if index is None:
        reason = _("the row cannot be read as CSV (%(error)s)") % {"error": exc}
        return ImportRejected([ImportProblem(file_name, number, None, reason)])
    column = header[index] if index < len(header) else str(index + 1)
    reason = _("a value longer than %(n)d characters; no field of an import is that long") % {
        "n": limit.field_chars
    }
    return ImportRejected([ImportProblem(file_name, number, column, reason)])


def oversized_field(record: str, delimiter: str, limit: int) -> int | None:
    """The position of the first value of a CSV record longer than ``limit``
    characters, or None. Reads no further than that value."""
    position, index, length = 0, 0, len(record)
    while position <= length:
        end = position
        if record.startswith('"', position):
            end = position + 1
            while (end := record.find('"', end)) >= 0 and record.startswith('"', end + 1):
                end += 2
            end = length if end < 0 else end
        stop = record.find(delimiter, end)
        stop = length if stop < 0 else stop
        if stop - position > limit:
            return index
        position, index = stop + 1, index + 1
    return None


def numbered_rows(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header, numbered as a spreadsheet shows them (the header is
    row 1), blank rows left out."""
    for number, values in enumerate(rows, start=2):
        if any(v.strip() for v in values):
            yield number, values


JSON_UTF8 = "GeoJSON (UTF-8)"  # how a GIS names the encoding to save a GeoJSON in


def load_json(data: bytes, file_name: str) -> Any:
    """A JSON (GeoJSON) file's document, or the file rejected with the line at fault."""
    text = decode_text(data, file_name, JSON_UTF8)
    try:
        return json.loads(text, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise rejected(file_name, _("not valid JSON: %s") % exc.msg, exc.lineno) from None
    except _NotANumber as exc:
        reason = _("“%(value)s” is not a number JSON allows") % {"value": exc.args[0]}
        at = text.find(exc.args[0])  # its first appearance: the line to look at
        raise rejected(
            file_name, reason, text.count("\n", 0, at) + 1 if at >= 0 else None
        ) from None
    except RecursionError:
        raise rejected(file_name, _("the JSON is nested too deeply to be GeoJSON")) from None


class _NotANumber(ValueError):
    pass


def _not_a_number(name: str) -> None:
    raise _NotANumber(name)


def missing_column(
    problems: ProblemList, column: str, header: Iterable[str], file_name: str
) -> None:
    """A required column the header lacks: a problem at row 1 that lists what is there."""
    found = ", ".join(h for h in header if h) or "—"
    problems.add(
        1,
        column,
        _("required column missing (columns found: %(found)s)") % {"found": found},
        file_name,
    )


def map_columns(
    header: Sequence[str],
    aliases: Mapping[str, Iterable[str]],
    required: Iterable[str],
    file_name: str,
    problems: ProblemList,
    shown: Callable[[str], str] = str,
) -> dict[str, int]:
    """Where each field is in a header: the column whose header, as a key
    (:func:`~sinasec.core.text.header_key`), is the first of the field's aliases present.
    A required field without a column is a problem named ``shown(field)``."""
    keys = [header_key(h) for h in header]
    columns: dict[str, int] = {}
    for name, spellings in aliases.items():
        index = next((keys.index(s) for s in spellings if s in keys), None)
        if index is not None:
            columns[name] = index
    for name in required:
        if name not in columns:
            missing_column(problems, shown(name), header, file_name)
    return columns


class FirstSeen:
    """The row where each key of a file was first seen: a repeated row is reported
    together with the first one ("duplicate row ... already in row 4")."""

    def __init__(self) -> None:
        self._rows: dict[Hashable, int] = {}

    def earlier(self, key: Hashable, number: int) -> int | None:
        """The row that already had ``key``, or None (and ``number`` is remembered)."""
        first = self._rows.get(key)
        if first is None:
            self._rows[key] = number
        return first


def finish_rows(problems: ProblemList, had_rows: bool, file_name: str) -> None:
    """Refuse a file with a header and no data rows, then raise every problem found, in
    the order of the file (problems of the whole file first)."""
    if not had_rows and not problems:
        problems.add(None, None, _("the file has a header but no data rows"), file_name)
    problems.sort(key=lambda p: p.row or 0)
    problems.raise_if_any()


def too_long(limit: int) -> str:
    """The reason a cell is refused for its length."""
    return _("longer than %(limit)d characters") % {"limit": limit}
