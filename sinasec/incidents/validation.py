"""The checks of an import's rows, and the problems reported.

Validation is all or nothing and vectorised in DuckDB (one pass counts every kind of
problem; rows are only looked up when there is one): every problem is reported with its
row (the header is row 1, as a spreadsheet shows it), column and reason, up to
``MAX_PROBLEMS``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.utils.translation import gettext as _

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.imports import formula, limits, too_long
from sinasec.core.peru import LAT_RANGE, LON_RANGE
from sinasec.incidents.source import REJECTS_LIMIT, Source, open_text, problem
from sinasec.incidents.sql import scalar, sql_ident

MIN_DATE = date(1900, 1, 1)
MAX_PROBLEMS = 200
FORMULA_FIELDS = {"formula": "crime_type", "id_formula": "id"}
TEXT_LENGTH = 200  # an id or a crime type longer than this is not one


@dataclass(frozen=True)
class _Check:
    """One kind of problem: its condition on ``staged`` and the column it is about."""

    key: str
    field: str
    condition: str


def _checks(with_known: bool) -> list[_Check]:
    lat_lo, lat_hi = LAT_RANGE
    lon_lo, lon_hi = LON_RANGE
    latest = date.today() + timedelta(days=1)
    six_digits = "ubigeo GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'"
    checks = [
        _Check("id", "id", "id IS NULL OR id = ''"),
        _Check("date", "date", "date IS NULL"),
        _Check(
            "date_range",
            "date",
            f"date < DATE '{MIN_DATE.isoformat()}' OR date > DATE '{latest.isoformat()}'",
        ),
        _Check(
            "coordinates",
            "lat",
            "(lat IS NULL) <> (lon IS NULL) OR (lat IS NULL AND ubigeo IS NULL)",
        ),
        _Check("lat", "lat", f"NOT (lat BETWEEN {lat_lo} AND {lat_hi})"),
        _Check("lon", "lon", f"NOT (lon BETWEEN {lon_lo} AND {lon_hi})"),
        _Check("crime_type", "crime_type", "crime_type IS NULL OR crime_type = ''"),
        _Check("ubigeo", "ubigeo", f"ubigeo IS NOT NULL AND NOT {six_digits}"),
        _Check("formula", "crime_type", "starts_with(ltrim(crime_type), '=')"),
        _Check("too_long", "crime_type", f"length(crime_type) > {TEXT_LENGTH}"),
        _Check("id_too_long", "id", f"length(id) > {TEXT_LENGTH}"),
        _Check("id_formula", "id", "starts_with(ltrim(id), '=')"),
    ]
    if with_known:
        checks.append(
            _Check(
                "ubigeo_unknown",
                "ubigeo",
                f"{six_digits} AND ubigeo NOT IN (SELECT ubigeo FROM known)",
            )
        )
    return checks


def _reason(key: str, record: dict[str, Any], raw: dict[str, Any]) -> tuple[str, str]:
    """(field, reason) of a problem found in a row of ``staged``. ``raw`` holds the
    values as written in a Parquet file, where one that does not convert reads empty."""
    if key == "id":
        return "id", _("the id is empty")
    if key == "date":
        if raw.get("date") is not None:
            return "date", _("“%(value)s” is not a date") % {"value": raw["date"]}
        return "date", _("the date is empty")
    if key == "date_range":
        return "date", _(
            "%(date)s is not a plausible date for an incident (in the future or before %(min)d)"
        ) % {"date": record["date"], "min": MIN_DATE.year}
    if key == "coordinates":
        for field in ("lat", "lon"):
            if record[field] is None and raw.get(field) is not None:
                return field, _("“%(value)s” is not a number") % {"value": raw[field]}
        return "lat", _(
            "the coordinates are missing: both lat and lon are needed (or a ubigeo, then neither)"
        )
    if key in ("lat", "lon"):
        low, high = LAT_RANGE if key == "lat" else LON_RANGE
        label = _("latitude") if key == "lat" else _("longitude")
        return key, _("%(label)s %(value)s is outside Peru (%(low)s to %(high)s)") % {
            "label": label,
            "value": record[key],
            "low": low,
            "high": high,
        }
    if key == "crime_type":
        return "crime_type", _("the crime type is empty")
    if key == "ubigeo":
        return "ubigeo", _("“%(value)s” is not a 6-digit ubigeo (a leading zero lost?)") % {
            "value": record["ubigeo"]
        }
    if key in ("too_long", "id_too_long"):
        field = "id" if key == "id_too_long" else "crime_type"
        return field, too_long(TEXT_LENGTH)
    if key in ("formula", "id_formula"):
        return FORMULA_FIELDS[key], formula(str(record[FORMULA_FIELDS[key]]))
    if key == "ubigeo_unknown":
        return "ubigeo", _("unknown ubigeo %(value)s: not a district of the INEI code list") % {
            "value": record["ubigeo"]
        }
    raise ValueError(key)


def validate(con: duckdb.DuckDBPyConnection, source: Source, known: Collection[str] | None) -> int:
    """Count every kind of problem in one pass over ``staged``; only when there is one,
    find its rows and raise. Returns the number of rows."""
    if known is not None:
        con.register("known_arrow", pa.table({"ubigeo": pa.array(sorted(known), pa.string())}))
        con.execute("CREATE TEMP TABLE known AS SELECT * FROM known_arrow")
        con.unregister("known_arrow")
    if source.unreadable is not None:
        raise ImportRejected(_unreadable_file(con, source, *source.unreadable))
    checks = _checks(known is not None)
    rejects = 0
    if source.rejects_stored:
        rejects = scalar(con, "SELECT count(*) FROM reject_errors")
    counts_sql = ", ".join(f"count_if({c.condition})" for c in checks)
    # Distinct hashes = rows proves the ids distinct (fewer: look at the ids themselves).
    rows = scalar(con, "SELECT count(*) FROM staged")
    most = limits().incident_rows
    if rows > most:
        reason = _("the file has more than %(n)d rows, the limit of one import; split it")
        raise ImportRejected([problem(source.name, None, None, reason % {"n": most})])
    totals = con.execute(f"SELECT count(*), count(DISTINCT hash(id)), {counts_sql} FROM staged")
    rows, distinct_hashes, *counts = totals.fetchall()[0]
    if rejects or any(counts) or distinct_hashes != rows:
        problems = _describe(
            con, source, checks, dict(zip([c.key for c in checks], counts, strict=True))
        )
        if problems:
            raise ImportRejected(problems)
    if rows == 0:
        raise ImportRejected([problem(source.name, None, None, _("the file has no rows"))])
    return int(rows)


def _unreadable_file(
    con: duckdb.DuckDBPyConnection, source: Source, unreadable: int, lines: int
) -> list[ImportProblem]:
    """The refusal of a file most of whose rows cannot be read: the first problems of
    its head (``staged`` holds only the head: it is never imported), then how many."""
    summary = _("%(bad)d of %(rows)d rows cannot be read; nothing was imported") % {
        "bad": unreadable,
        "rows": lines,
    }
    first = [p for p in _rejected(con, source) if p.row is not None][:MAX_PROBLEMS]
    return [*first, problem(source.name, None, None, summary)]


def _describe(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    checks: list[_Check],
    counts: dict[str, int],
) -> list[ImportProblem]:
    """Every problem row by row, the first ``MAX_PROBLEMS`` in file order, then how many
    more of each kind were left out."""
    found: list[tuple[int, str, dict[str, Any]]] = []  # (position in staged, key, row)
    more: list[ImportProblem] = []
    for check in checks:
        if not counts[check.key]:
            continue
        result = con.sql(
            f"SELECT rowid AS _position, * FROM staged WHERE {check.condition} "
            f"ORDER BY rowid LIMIT {MAX_PROBLEMS}"
        )
        names = [d[0] for d in result.description]
        for values in result.fetchall():
            record = dict(zip(names, values, strict=True))
            found.append((record["_position"], check.key, record))
        if counts[check.key] > MAX_PROBLEMS:
            more.append(
                problem(
                    source.name,
                    None,
                    _column_name(source, check.field),
                    _("and %(n)d more rows with this problem")
                    % {"n": counts[check.key] - MAX_PROBLEMS},
                )
            )
    for ident, positions in con.sql(
        "WITH d AS (SELECT id FROM staged GROUP BY id HAVING count(*) > 1) "
        "SELECT id, list(rowid ORDER BY rowid) FROM staged SEMI JOIN d USING (id) "
        f"GROUP BY id ORDER BY min(rowid) LIMIT {MAX_PROBLEMS}"
    ).fetchall():
        for position in positions[1:]:
            found.append((position, "duplicate", {"id": ident, "first": positions[0]}))
    found.sort(key=lambda item: item[0])
    found = found[:MAX_PROBLEMS]

    problems = _rejected(con, source) if source.rejects_stored else []
    skipped = {p.row for p in problems if p.row is not None}
    wanted = [f[0] for f in found] + [f[2]["first"] for f in found if f[1] == "duplicate"]
    numbers = _row_numbers(source, wanted, skipped)
    raw = _parquet_values(source, [f[0] for f in found if f[1] in ("date", "coordinates")])
    for position, key, record in found:
        if key == "duplicate":
            field, reason = (
                "id",
                _("duplicate id %(id)s (already in row %(first)d)")
                % {
                    "id": record["id"],
                    "first": numbers[record["first"]],
                },
            )
        else:
            field, reason = _reason(key, record, raw.get(position, {}))
        problems.append(
            problem(source.name, numbers[position], _column_name(source, field), reason)
        )
    problems.sort(key=lambda p: (p.row is None, p.row or 0))  # the "and more" last
    return problems[:MAX_PROBLEMS] + more


def _column_name(source: Source, field: str) -> str:
    """The column as the file names it."""
    if field == "date" and "date" not in source.fields:
        field = "datetime"
    return source.column(field) if field in source.fields else field


DATE_FORMAT_SHOWN = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%H": "HH", "%M": "MM", "%S": "SS"}


def _shown_format(source: Source, field: str) -> str:
    pattern = source.timestamp_format if field == "datetime" else source.date_format
    if not pattern:
        return "YYYY-MM-DD HH:MM:SS" if field == "datetime" else "YYYY-MM-DD"
    for code, shown in DATE_FORMAT_SHOWN.items():
        pattern = pattern.replace(code, shown)
    return pattern


def _rejected(con: duckdb.DuckDBPyConnection, source: Source) -> list[ImportProblem]:
    """Rows the CSV reader refused (its line numbers are the file's): a value that is
    not a date or a number, a wrong number of fields, bytes that are not UTF-8."""
    rows = con.sql(
        "SELECT line, column_idx, error_type, csv_line, error_message FROM reject_errors "
        "ORDER BY line, column_idx"
    ).fetchall()
    problems: list[ImportProblem] = []
    whole_line: set[int] = set()
    for line, column_idx, error_type, csv_line, message in rows:
        if line in whole_line:
            continue
        position = (column_idx or 0) - 1
        field = next((f for f, i in source.fields.items() if i == position), None)
        column = source.header[position] if 0 <= position < len(source.header) else None
        if error_type == "CAST":
            value = _field_value(csv_line, source.delimiter, position)
            if field in ("date", "datetime"):
                reason = _("“%(value)s” is not a date (expected %(format)s)") % {
                    "value": value,
                    "format": _shown_format(source, field),
                }
            else:
                reason = _("“%(value)s” is not a number") % {"value": value}
        else:
            whole_line.add(line)
            column = None
            if error_type in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
                reason = _("expected %(expected)d fields, found %(found)d") % {
                    "expected": len(source.header),
                    "found": _field_count(csv_line, source.delimiter),
                }
            elif error_type == "INVALID ENCODING":
                reason = _("the file is not UTF-8 text; save it as “CSV UTF-8” and try again")
            else:
                reason = str(message)
        problems.append(problem(source.name, int(line), column, reason))
    if len(rows) >= REJECTS_LIMIT:
        problems.append(problem(source.name, None, None, _("and more rows that could not be read")))
    return problems


def _split(csv_line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([csv_line.strip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []


def _field_value(csv_line: str, delimiter: str, position: int) -> str:
    values = _split(csv_line, delimiter)
    return values[position] if 0 <= position < len(values) else ""


def _field_count(csv_line: str, delimiter: str) -> int:
    return len(_split(csv_line, delimiter))


def _row_numbers(source: Source, positions: list[int], skipped: set[int]) -> dict[int, int]:
    """Row numbers as a spreadsheet shows them (the header is row 1) of rows of
    ``staged``, from their positions.

    Parquet: position + 1. CSV: position + 2, unless the reader skipped lines (blank
    lines, rows it refused): then the file is read again up to the last row wanted."""
    if source.kind == "parquet":
        return {p: p + 1 for p in positions}
    if not positions:
        return {}
    if not skipped and not _has_blank_lines(source.path):
        return {p: p + 2 for p in positions}
    wanted = set(positions)
    last = max(wanted)
    numbers: dict[int, int] = {}
    position = -1
    with open_text(source.path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text, delimiter=source.delimiter)
        line = 0
        for record in reader:
            start, line = line + 1, reader.line_num
            if start == 1 or not record or start in skipped:
                continue
            position += 1
            if position in wanted:
                numbers[position] = start
                if position >= last:
                    break
    for p in wanted - numbers.keys():  # not found again (the file changed?): best guess
        numbers[p] = p + 2
    return numbers


def _has_blank_lines(path: Path) -> bool:
    """Whether the file has an empty line before its last row (the CSV reader skips
    them, so row positions and line numbers part)."""
    previous = b""
    blank_seen = False
    with open_text(path) as handle:
        while chunk := handle.read(16 * 1024 * 1024):
            block = previous + chunk.replace(b"\r", b"")
            if blank_seen and block.strip(b"\n"):
                return True
            at = block.find(b"\n\n")
            if at >= 0:
                if block[at:].strip(b"\n"):
                    return True
                blank_seen = True
            previous = block[-1:]
    return False


def _parquet_values(source: Source, positions: list[int]) -> dict[int, dict[str, Any]]:
    """The values as written (text) of some rows of a Parquet file, by position."""
    if source.kind != "parquet" or not positions:
        return {}
    fields: dict[str, str] = {f: source.column(f) for f in ("lat", "lon") if f in source.fields}
    fields["date"] = source.column("datetime" if "datetime" in source.fields else "date")
    select = ", ".join(f"CAST({sql_ident(c)} AS VARCHAR)" for c in fields.values())
    con = duckdb.connect(":memory:")
    try:
        rows = con.execute(
            f"SELECT file_row_number, {select} FROM read_parquet(?, file_row_number = true) "
            "WHERE list_contains(?, file_row_number)",
            [str(source.path), sorted(set(positions))],
        ).fetchall()
    finally:
        con.close()
    return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows}
