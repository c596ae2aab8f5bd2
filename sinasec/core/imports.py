"""The import toolkit every importer uses, whatever it imports.

- ``decode_text``: a file's bytes as text (UTF-8 with or without BOM), or the file
  rejected naming the line of the first byte that is not UTF-8 (a latin-1 export);
- ``sniff_delimiter`` / ``csv_rows``: the separator of a CSV (``;`` ``,`` tab or ``|``),
  read from its first line, and the rows it separates;
- ``load_json``: a JSON or GeoJSON document, or the line at fault;
- ``ProblemList``: every problem of a file (file, row, column, reason), raised together
  as ``ImportRejected`` so a user can fix the whole file in one pass;
- ``ImportResult`` and ``Progress``: what an import reports, and how it reports progress.

Parsers only read and validate; the writes are the services'.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.text import header_key

MAX_PROBLEMS = 200  # enough to fix a file; more would only bury the first ones
# Separators a CSV may use, the spreadsheet default of Spanish locales first: a tie in
# the header (no separator at all: one column) is read as ";".
DELIMITERS = (";", ",", "\t", "|")

Progress = Callable[[int, int], None]
"""``progress(done, total)``: rows done out of the file's total."""


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


def decode_text(data: bytes, file_name: str) -> str:
    """UTF-8 text (with or without BOM); a clear error naming the line otherwise."""
    if not data.strip():
        raise rejected(file_name, _("the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reason = _(
            "the file is not UTF-8 text (byte 0x%(byte)02x); save it as “CSV UTF-8” and try again"
        ) % {"byte": data[exc.start]}
        raise rejected(file_name, reason, line) from None
    if not text.strip():
        raise rejected(file_name, _("the file is empty"))
    return text


def sniff_delimiter(text: str) -> str:
    """The separator used most in the first line of ``text`` (the header)."""
    lines = text.splitlines()
    first_line = lines[0] if lines else ""
    return max(DELIMITERS, key=first_line.count)


def csv_rows(text: str) -> tuple[str, Iterator[list[str]]]:
    """The separator of a CSV text and a reader over its rows (the header first)."""
    delimiter = sniff_delimiter(text)
    return delimiter, csv.reader(io.StringIO(text), delimiter=delimiter)


def numbered_rows(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header, numbered as a spreadsheet shows them (the header is
    row 1), blank rows left out."""
    for number, values in enumerate(rows, start=2):
        if any(v.strip() for v in values):
            yield number, values


def load_json(data: bytes, file_name: str) -> Any:
    """A JSON (GeoJSON) file's document, or the file rejected with the line at fault."""
    text = decode_text(data, file_name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise rejected(file_name, _("not valid JSON: %s") % exc.msg, exc.lineno) from None


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
