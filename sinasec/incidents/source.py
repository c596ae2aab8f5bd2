"""The files brought to the incident store, and how they are read into DuckDB.

Files in (CSV, UTF-8, ``,`` ``;`` or tab separated, or Parquet): ``id``, ``date`` or
``datetime``, ``lat``, ``lon``, ``crime_type`` and, optionally, ``ubigeo`` (Spanish
headers are accepted too: ``fecha``, ``fecha_hora``, ``latitud``, ``longitud``,
``delito``). Dates are ISO (``2024-03-15``, ``2024-03-15 21:40:00``) or, when the first
rows are written so, ``15/03/2024``; with ``;`` a decimal comma is understood. A row
may leave both coordinates empty when it has a ubigeo. The category is stored trimmed
and in lower case.

:func:`sniff` reads the start of a file (its kind, columns, dialect and formats);
:func:`stage_file` reads all of it into the temporary table ``staged`` with the store's
columns, the CSV reader keeping the rows it refuses for
:mod:`~sinasec.incidents.validation` to report.

A CSV is first read skipping the rows it cannot read (``ignore_errors``: cheap), and
the rows read are counted against the file's data lines. All read: done. A few
unreadable: read again keeping them (``store_rejects``, to say row, column and
reason). More than ``REJECTS_LIMIT``: the file is hopeless, and keeping the rejects of
every row would cost gigabytes (DuckDB's ``store_rejects`` took 3.7 GB on a 54 MB
all-garbage file, whatever ``rejects_limit``), so only its first ``HEAD_LINES`` lines
are read again to describe the first problems, and validation refuses the whole file.
"""

from __future__ import annotations

import gzip
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from django.utils.translation import gettext as _

from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.imports import ProblemList, csv_rows, decode_text, map_columns
from sinasec.incidents.geocoding import stored_quality_sql, value_map
from sinasec.incidents.sql import scalar, sql_ident, sql_literal

REJECTS_LIMIT = 2_000  # rows the CSV reader refused, kept to report
HEAD_LINES = 5_000  # lines of a hopeless CSV read again to describe its first problems
HEAD_BYTES = 16 * 1024 * 1024  # ... and at most this much of it

# The fields of a record and the headers accepted for each (normalised: lower case, no
# accents, "_" for spaces), in order of preference.
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "id_incidente", "id_denuncia", "codigo"),
    "date": ("date", "fecha", "fecha_hecho"),
    "datetime": ("datetime", "fecha_hora", "fecha_hora_hecho"),
    "lat": ("lat", "latitud", "latitude"),
    "lon": ("lon", "lng", "longitud", "longitude"),
    "crime_type": ("crime_type", "delito", "tipo_delito", "categoria"),
    "ubigeo": ("ubigeo", "ubigeo_hecho"),
    # The source's own word on the point (sinasec.incidents.geocoding maps it to a class).
    "geocoding": (
        "geo_quality",
        "calidad_geo",
        "calidad_geocodificacion",
        "geocodificacion",
        "georeferencia",
        "estado_geo",
        "tipo_geo",
    ),
}
REQUIRED = ("id", "lat", "lon", "crime_type")


@dataclass
class Source:
    path: Path
    name: str
    kind: str  # "csv" or "parquet"
    header: list[str]
    fields: dict[str, int]  # field -> column position
    estimated_rows: int
    delimiter: str = ","
    decimal_comma: bool = False
    date_format: str | None = None
    timestamp_format: str | None = None
    # Set by stage_file: whether ``reject_errors`` holds the rows the reader refused,
    # and, for a hopeless file, (rows that cannot be read, data lines).
    rejects_stored: bool = False
    unreadable: tuple[int, int] | None = None

    def column(self, field: str) -> str:
        return self.header[self.fields[field]]


def open_text(path: Path) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path) if path.suffix == ".gz" else open(path, "rb")


def problem(source_name: str, row: int | None, column: str | None, reason: str) -> ImportProblem:
    return ImportProblem(source_name, row, column, reason)


def _map_fields(header: list[str], name: str) -> dict[str, int]:
    problems = ProblemList()
    fields = map_columns(header, FIELDS, REQUIRED, name, problems)
    if "date" not in fields and "datetime" not in fields:
        problems.add(
            1,
            "date",
            _("required column missing: “date” or “datetime” (columns found: %(found)s)")
            % {"found": ", ".join(header) or "—"},
            name,
        )
    if problems:
        raise ImportRejected(problems)
    return fields


BLANK_LINE = re.compile(rb"\n(?=\n)")  # a line end followed by an empty line
DMY = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}")


def sniff(path: Path) -> Source:
    """Read the start of the file: its kind, the columns, the CSV dialect, the date and
    decimal formats (taken from the first rows), and an estimate of its rows."""
    name = path.name
    if not path.is_file():
        raise ImportRejected([problem(name, None, None, _("the file does not exist"))])
    size = path.stat().st_size
    with open_text(path) as handle:
        head = handle.read(256 * 1024)
    if not head.strip():
        raise ImportRejected([problem(name, None, None, _("the file is empty"))])
    if head.startswith(b"PAR1"):
        return _sniff_parquet(path)
    # Cut at the last complete line, then decode: a bad byte here is reported now.
    complete = head[: head.rfind(b"\n") + 1] or head
    delimiter, reader = csv_rows(decode_text(complete, name), name)
    rows = list(reader)
    header = [h.strip() for h in rows[0]] if rows else []
    fields = _map_fields(header, name)
    sample = [r for r in rows[1:101] if len(r) == len(header)]
    if not sample and len(rows) <= 1:
        raise ImportRejected([problem(name, None, None, _("the file has no rows, only a header"))])
    source = Source(
        path=path,
        name=name,
        kind="csv",
        header=header,
        fields=fields,
        estimated_rows=max(1, round(size / max(1, len(complete)) * max(1, len(rows) - 1))),
        delimiter=delimiter,
    )
    if delimiter != ",":
        coordinates = [r[fields[f]] for r in sample for f in ("lat", "lon")]
        source.decimal_comma = any("," in v and "." not in v for v in coordinates)
    for field in ("date", "datetime"):
        values = [r[fields[field]] for r in sample if field in fields and r[fields[field]].strip()]
        if values and DMY.match(values[0]):
            if field == "date":
                source.date_format = "%d/%m/%Y"
            else:
                seconds = values[0].count(":") >= 2
                source.timestamp_format = "%d/%m/%Y %H:%M" + (":%S" if seconds else "")
    return source


def _sniff_parquet(path: Path) -> Source:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise ImportRejected(
            [problem(path.name, None, None, _("not a readable Parquet file: %s") % exc)]
        ) from None
    header = list(parquet.schema_arrow.names)
    fields = _map_fields(header, path.name)
    rows = parquet.metadata.num_rows
    if rows == 0:
        raise ImportRejected([problem(path.name, None, None, _("the file has no rows"))])
    return Source(path, path.name, "parquet", header, fields, rows)


def stage_file(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Read the file into the temporary table ``staged`` with the store's columns (a
    hopeless CSV: only its head, ``source.unreadable`` set; validation refuses it)."""
    if source.kind != "csv":
        _create_staged(con, source, source.path)
        return
    _create_staged(con, source, source.path, rejects=False)
    lines = data_lines(source.path)
    unreadable = lines - scalar(con, "SELECT count(*) FROM staged")
    if unreadable == 0:
        return  # every line read
    # Otherwise rows were skipped, or the lines were miscounted (line breaks inside
    # quoted values, or a lone CR as line end): read again, keeping what is refused.
    con.execute("DROP TABLE staged")
    if unreadable > REJECTS_LIMIT:
        with tempfile.TemporaryDirectory(prefix="sinasec-head-") as folder:
            head = Path(folder) / "head.csv"
            head.write_bytes(_head(source.path))
            _create_staged(con, source, head, rejects=True)
        source.rejects_stored = True
        if scalar(con, "SELECT count(*) FROM reject_errors"):
            source.unreadable = (unreadable, lines)
            return
        # A clean head: the count was fooled (line breaks inside quoted values).
        con.execute("DROP TABLE staged")
        con.execute("DELETE FROM reject_errors")
    _create_staged(con, source, source.path, rejects=True)
    source.rejects_stored = True


def data_lines(path: Path) -> int:
    """The non-blank lines of a text file after the first (its header): what a CSV
    reader should make rows of, when no value holds a line break."""
    lines = blank = 0
    previous = b"\n"  # a blank first line counts as blank
    with open_text(path) as handle:
        while chunk := handle.read(16 * 1024 * 1024):
            chunk = chunk.replace(b"\r", b"")
            if not chunk:
                continue
            lines += chunk.count(b"\n")
            blank += sum(1 for _ in BLANK_LINE.finditer(previous + chunk))
            previous = chunk[-1:]
    if previous != b"\n":
        lines += 1  # a last line without its line end
    return max(0, lines - blank - 1)


def _head(path: Path) -> bytes:
    """The header and first ``HEAD_LINES`` lines of a file (at most ``HEAD_BYTES``)."""
    with open_text(path) as handle:
        head = handle.read(HEAD_BYTES)
    end = -1
    for _line in range(HEAD_LINES + 1):
        end = head.find(b"\n", end + 1)
        if end < 0:
            return head
    return head[: end + 1]


def _create_staged(
    con: duckdb.DuckDBPyConnection, source: Source, path: Path, *, rejects: bool = True
) -> None:
    """``staged`` from ``path``: for a CSV, keeping the rows the reader refuses in
    ``reject_errors`` (``rejects``) or skipping them."""
    fields = source.fields
    if source.kind == "csv":
        names = [f"c{i}" for i in range(len(source.header))]
        types = dict.fromkeys(names, "VARCHAR")
        if "datetime" in fields:
            types[names[fields["datetime"]]] = "TIMESTAMP"
        if "date" in fields:
            types[names[fields["date"]]] = "DATE"
        types[names[fields["lat"]]] = "DOUBLE"
        types[names[fields["lon"]]] = "DOUBLE"
        columns = (
            "{" + ", ".join(f"{sql_literal(n)}: {sql_literal(t)}" for n, t in types.items()) + "}"
        )
        options = [
            "header = true",
            "auto_detect = false",
            f"delim = {sql_literal(source.delimiter)}",
            "quote = '\"'",
            "escape = '\"'",
            f"columns = {columns}",
        ]
        if rejects:
            options += ["store_rejects = true", f"rejects_limit = {REJECTS_LIMIT}"]
        else:
            options.append("ignore_errors = true")
        if source.decimal_comma:
            options.append("decimal_separator = ','")
        if source.date_format:
            options.append(f"dateformat = {sql_literal(source.date_format)}")
        if source.timestamp_format:
            options.append(f"timestampformat = {sql_literal(source.timestamp_format)}")
        reader = f"read_csv({sql_literal(str(path))}, {', '.join(options)})"

        def col(field: str) -> str:
            return names[fields[field]]

        datetime_sql = col("datetime") if "datetime" in fields else "NULL::TIMESTAMP"
        date_sql = col("date") if "date" in fields else None
        id_sql = f"trim({col('id')})"
        crime_sql = f"lower(trim({col('crime_type')}))"
        ubigeo_sql = f"nullif(trim({col('ubigeo')}), '')" if "ubigeo" in fields else "NULL"
        lat_sql, lon_sql = col("lat"), col("lon")
        geo_sql = col("geocoding") if "geocoding" in fields else "NULL::VARCHAR"
    else:
        reader = f"read_parquet({sql_literal(str(source.path))})"

        def col(field: str) -> str:
            return sql_ident(source.column(field))

        datetime_sql = (
            f"TRY_CAST({col('datetime')} AS TIMESTAMP)"
            if "datetime" in fields
            else "NULL::TIMESTAMP"
        )
        date_sql = f"TRY_CAST({col('date')} AS DATE)" if "date" in fields else None
        id_sql = f"trim(CAST({col('id')} AS VARCHAR))"
        crime_sql = f"lower(trim(CAST({col('crime_type')} AS VARCHAR)))"
        ubigeo_sql = (
            f"nullif(trim(CAST({col('ubigeo')} AS VARCHAR)), '')" if "ubigeo" in fields else "NULL"
        )
        lat_sql = f"TRY_CAST({col('lat')} AS DOUBLE)"
        lon_sql = f"TRY_CAST({col('lon')} AS DOUBLE)"
        geo_sql = (
            f"CAST({col('geocoding')} AS VARCHAR)" if "geocoding" in fields else "NULL::VARCHAR"
        )
    if "datetime" in fields:
        day_sql = f"CAST({datetime_sql} AS DATE)"
        if date_sql:
            day_sql = f"coalesce({day_sql}, {date_sql})"
    else:
        day_sql = str(date_sql)
    con.execute(
        "CREATE TEMP TABLE staged AS SELECT "
        f"{id_sql} AS id, {day_sql} AS date, {datetime_sql} AS datetime, "
        f"{lat_sql} AS lat, {lon_sql} AS lon, {crime_sql} AS crime_type, "
        f"CAST({ubigeo_sql} AS VARCHAR) AS ubigeo, "
        f"{stored_quality_sql(geo_sql, lat_sql, value_map())} AS geo_quality FROM {reader}"
    )
