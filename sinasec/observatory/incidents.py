"""The store of incident-level records: Parquet files partitioned by year and month,
queried in-process with DuckDB.

Incidents are too many for the relational database (a national register adds about a
million a year) and are only ever counted, so they live beside it, under
``settings.INCIDENTS_DIR``::

    CURRENT                               the name of the live version (one line)
    versions/<version>/year=2024/month=3/data_0.parquet
    staging/                              work space of the import running now
    .lock                                 one import at a time

Every import writes a new *version*: the year-month partitions it touches are rewritten
(old rows merged with the new ones, de-duplicated on ``id``: a re-imported incident
replaces the previous record, never doubles it) and the untouched partitions are
hard-linked from the previous version, so no data is copied. The switch is one atomic
rename of ``CURRENT``: a reader sees the old version or the new one, never half of an
import, and an import that fails (a bad row, a full disk, a crash) leaves the store as
it was. The previous version is kept until the next import, for readers still on it.

Files in (CSV, UTF-8, ``,`` ``;`` or tab separated, or Parquet): ``id``, ``date`` or
``datetime``, ``lat``, ``lon``, ``crime_type`` and, optionally, ``ubigeo`` (Spanish
headers are accepted too: ``fecha``, ``fecha_hora``, ``latitud``, ``longitud``,
``delito``). Dates are ISO (``2024-03-15``, ``2024-03-15 21:40:00``) or, when the first
rows are written so, ``15/03/2024``; with ``;`` a decimal comma is understood. A row
may leave both coordinates empty when it has a ubigeo. The category is stored trimmed
and in lower case.

Validation is all or nothing and vectorised in DuckDB (one pass counts every kind of
problem; rows are only looked up when there is one): every problem is reported with its
row (the header is row 1, as a spreadsheet shows it), column and reason, up to
``MAX_PROBLEMS``. Where a row has no ubigeo, a ``DistrictIndex`` (district polygons)
fills it by point in polygon; a point in no polygon keeps it empty: the district is
unknown, and counted as such.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import fcntl
import gzip
import io
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import shapely
from django.utils.translation import gettext as _

from sinasec.core.errors import ImportProblem, ImportRejected

Progress = Callable[[int, int], None]

# Peru with a margin, as the territories' importers check capitals.
LAT_RANGE = (-19.5, 0.5)
LON_RANGE = (-82.0, -68.0)
MIN_DATE = date(1900, 1, 1)
MAX_PROBLEMS = 200
REJECTS_LIMIT = 2_000  # rows the CSV reader refused, kept to report
LEVEL_LENGTH = {"department": 2, "province": 4, "district": 6}

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
}
REQUIRED = ("id", "lat", "lon", "crime_type")

# Columns of the stored files (year and month are the partition folders).
SCHEMA = (
    ("id", "VARCHAR"),
    ("date", "DATE"),
    ("datetime", "TIMESTAMP"),
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("crime_type", "VARCHAR"),
    ("ubigeo", "VARCHAR"),
)
COLUMNS = ", ".join(name for name, _type in SCHEMA)
# Dictionary-encode columns with few values (ubigeo, category, day) and don't try on
# those that are all different (id, coordinates): half the writing time.
PARQUET_OPTIONS = "FORMAT PARQUET, COMPRESSION SNAPPY, DICTIONARY_SIZE_LIMIT 4096"
PIP_CHUNK = 1_000_000


def _norm(header: str) -> str:
    decomposed = unicodedata.normalize("NFD", header.strip().lower())
    text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"[\s\-]+", "_", text)


def _literal(value: str) -> str:
    """A SQL string literal (for the places DuckDB takes no parameters: file names,
    reader options)."""
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- point in polygon -----------------------------------------------------------------


class DistrictIndex:
    """District polygons in an STR-tree, to find the district of many points at once."""

    def __init__(self, ubigeos: Sequence[str], polygons: Sequence[Any] | np.ndarray):
        if len(ubigeos) != len(polygons):
            raise ValueError("one ubigeo per polygon")
        self.ubigeos = pa.array(list(ubigeos), pa.string())
        self.polygons = np.asarray(polygons, dtype=object)
        shapely.prepare(self.polygons)  # ~1.4x faster point in polygon
        self.tree = shapely.STRtree(self.polygons)

    @classmethod
    def from_boundaries(cls, items: Iterable[tuple[str, str]]) -> DistrictIndex:
        """From ``(ubigeo, GeoJSON geometry text)`` pairs, as ``Boundary`` keeps them.
        Empty geometries are left out; invalid ones are repaired."""
        pairs = [(code, text) for code, text in items if text]
        if not pairs:
            return cls([], [])
        codes, texts = zip(*pairs, strict=True)
        geometries = shapely.from_geojson(np.array(texts, dtype=object))
        keep = ~shapely.is_empty(geometries)
        invalid = keep & ~shapely.is_valid(geometries)
        geometries[invalid] = shapely.make_valid(geometries[invalid])
        return cls(
            [c for c, k in zip(codes, keep, strict=True) if k],
            geometries[keep],
        )

    @classmethod
    def from_database(cls) -> DistrictIndex:
        """The district boundaries imported into the territories app."""
        from sinasec.territories.models import Boundary, Level

        rows = Boundary.objects.filter(territory__level=Level.DISTRICT).values_list(
            "territory_id", "geometry"
        )
        return cls.from_boundaries(rows.iterator(chunk_size=200))

    def __len__(self) -> int:
        return len(self.ubigeos)

    def locate_indices(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """For each point, the index of the polygon it lies within, or -1. Where
        simplified polygons overlap, the first polygon wins (deterministic).

        One thread: GEOS prepared polygons are not safe to share between threads."""
        lon, lat = np.asarray(lon, float), np.asarray(lat, float)
        result = np.full(len(lon), -1, dtype=np.int64)
        if len(self) == 0 or len(lon) == 0:
            return result
        points = shapely.points(lon, lat)
        point_idx, polygon_idx = self.tree.query(points, predicate="within")
        if len(point_idx):
            order = np.lexsort((polygon_idx, point_idx))
            point_idx, polygon_idx = point_idx[order], polygon_idx[order]
            first = np.r_[True, point_idx[1:] != point_idx[:-1]]
            result[point_idx[first]] = polygon_idx[first]
        return result

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> list[str | None]:
        """The ubigeo of each point's district, or None where it falls in none."""
        return self.codes(self.locate_indices(lon, lat)).to_pylist()

    def codes(self, indices: np.ndarray) -> pa.Array:
        """Ubigeo per polygon index (null where the index is -1)."""
        if not len(self):
            return pa.nulls(len(indices), pa.string())
        return self.ubigeos.take(pa.array(np.maximum(indices, 0), mask=indices < 0))


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    file: str
    rows: int
    inserted: int  # ids new to the store
    replaced: int  # ids already in the store: their record was replaced
    located: int  # ubigeo filled by point in polygon
    unknown_district: int  # rows left without ubigeo (no polygon contains the point)
    partitions: int  # year-month partitions written
    seconds: float
    version: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


# --- the file brought -----------------------------------------------------------------


@dataclass
class _Source:
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

    def column(self, field: str) -> str:
        return self.header[self.fields[field]]


def _open_text(path: Path) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path) if path.suffix == ".gz" else open(path, "rb")


def _problem(source_name: str, row: int | None, column: str | None, reason: str) -> ImportProblem:
    return ImportProblem(source_name, row, column, reason)


def _map_fields(header: list[str], name: str) -> dict[str, int]:
    normalised = [_norm(h) for h in header]
    fields: dict[str, int] = {}
    for field, aliases in FIELDS.items():
        for alias in aliases:
            if alias in normalised:
                fields[field] = normalised.index(alias)
                break
    problems = []
    found = ", ".join(header) or "—"
    for field in REQUIRED:
        if field not in fields:
            problems.append(
                _problem(
                    name,
                    1,
                    field,
                    _("required column missing (columns found: %(found)s)") % {"found": found},
                )
            )
    if "date" not in fields and "datetime" not in fields:
        problems.append(
            _problem(
                name,
                1,
                "date",
                _("required column missing: “date” or “datetime” (columns found: %(found)s)")
                % {"found": found},
            )
        )
    if problems:
        raise ImportRejected(problems)
    return fields


DMY = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}")


def _sniff(path: Path) -> _Source:
    """Read the start of the file: its kind, the columns, the CSV dialect, the date and
    decimal formats (taken from the first rows), and an estimate of its rows."""
    name = path.name
    if not path.is_file():
        raise ImportRejected([_problem(name, None, None, _("the file does not exist"))])
    size = path.stat().st_size
    with _open_text(path) as handle:
        head = handle.read(256 * 1024)
    if not head.strip():
        raise ImportRejected([_problem(name, None, None, _("the file is empty"))])
    if head.startswith(b"PAR1"):
        return _sniff_parquet(path)
    # Cut at the last complete line, then decode: a bad byte here is reported now.
    complete = head[: head.rfind(b"\n") + 1] or head
    try:
        text = codecs.decode(complete, "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = complete[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                _problem(
                    name,
                    line,
                    None,
                    _(
                        "the file is not UTF-8 text (byte 0x%(byte)02x); save it as "
                        "“CSV UTF-8” and try again"
                    )
                    % {"byte": complete[exc.start]},
                )
            ]
        ) from None
    lines = text.splitlines()
    first_line = lines[0] if lines else ""
    delimiter = max((",", ";", "\t", "|"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [h.strip() for h in rows[0]] if rows else []
    fields = _map_fields(header, name)
    sample = [r for r in rows[1:101] if len(r) == len(header)]
    if not sample and len(rows) <= 1:
        raise ImportRejected([_problem(name, None, None, _("the file has no rows, only a header"))])
    source = _Source(
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


def _sniff_parquet(path: Path) -> _Source:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise ImportRejected(
            [_problem(path.name, None, None, _("not a readable Parquet file: %s") % exc)]
        ) from None
    header = list(parquet.schema_arrow.names)
    fields = _map_fields(header, path.name)
    rows = parquet.metadata.num_rows
    if rows == 0:
        raise ImportRejected([_problem(path.name, None, None, _("the file has no rows"))])
    return _Source(path, path.name, "parquet", header, fields, rows)


# --- progress -------------------------------------------------------------------------


class _Tracker:
    """Reports the import's progress as rows of the file: each stage is a share of the
    work; inside a long query, DuckDB's own progress is polled."""

    def __init__(self, callback: Progress | None, total: int):
        self.callback = callback
        self.total = max(1, total)
        self.done = 0.0
        self.lock = threading.Lock()

    def set(self, fraction: float) -> None:
        if self.callback is None:
            return
        with self.lock:
            if fraction <= self.done:
                return
            self.done = min(fraction, 1.0)
            self.callback(round(self.done * self.total), self.total)

    @contextlib.contextmanager
    def stage(self, con: duckdb.DuckDBPyConnection, start: float, end: float) -> Iterator[None]:
        self.set(start)
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(0.2):
                with contextlib.suppress(duckdb.Error):
                    percent = con.query_progress()
                    if percent >= 0:
                        self.set(start + (end - start) * min(percent, 100.0) / 100)

        thread = threading.Thread(target=poll, daemon=True) if self.callback else None
        if thread:
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread:
                thread.join()
        self.set(end)


# --- the store ------------------------------------------------------------------------


class IncidentStore:
    def __init__(self, root: Path | str | None = None):
        if root is None:
            from django.conf import settings

            root = settings.INCIDENTS_DIR
        self.root = Path(root)
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._connection_lock = threading.Lock()

    # layout

    @property
    def versions_dir(self) -> Path:
        return self.root / "versions"

    @property
    def staging_dir(self) -> Path:
        return self.root / "staging"

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_version(self) -> str | None:
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def current_dir(self) -> Path | None:
        """The folder of the live version (``year=YYYY/month=M/*.parquet`` below it)."""
        name = self.current_version()
        return self.versions_dir / name if name else None

    def files(self) -> list[Path]:
        folder = self.current_dir()
        return sorted(folder.glob("year=*/month=*/*.parquet")) if folder else []

    def partitions(self) -> list[tuple[int, int]]:
        """(year, month) of every partition of the live version."""
        folder = self.current_dir()
        return sorted(_partition_key(p) for p in folder.glob("year=*/month=*")) if folder else []

    # reading

    def _scan(self, folder: Path | None) -> str:
        """SQL for the records of a version (an empty table when there is none)."""
        files = sorted(folder.glob("year=*/month=*/*.parquet")) if folder else []
        if folder is None or not files:
            columns = ", ".join(f"NULL::{t} AS {n}" for n, t in SCHEMA)
            return f"(SELECT {columns}, NULL::INTEGER AS year, NULL::INTEGER AS month WHERE false)"
        glob = _literal(str(folder / "year=*" / "month=*" / "*.parquet"))
        return (
            f"read_parquet({glob}, hive_partitioning = true, "
            "hive_types = {'year': INTEGER, 'month': INTEGER})"
        )

    def _cursor(self, folder: Path | None = None, view: bool = True) -> duckdb.DuckDBPyConnection:
        """A cursor on the store's in-memory DuckDB, with the view ``incidents`` on the
        version in ``folder`` unless ``view`` is false."""
        with self._connection_lock:
            if self._connection is None:
                self._connection = duckdb.connect(":memory:")
                self._connection.execute("SET parquet_metadata_cache = true")
            cursor = self._connection.cursor()
        if view:
            cursor.execute(
                f"CREATE OR REPLACE TEMP VIEW incidents AS SELECT * FROM {self._scan(folder)}"
            )
        return cursor

    def query_arrow(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> pa.Table:
        """Run ``sql`` against the view ``incidents`` (one row per incident: the stored
        columns plus ``year`` and ``month``) and return an Arrow table."""
        cursor = self._cursor(self.current_dir())
        try:
            relation = cursor.sql(sql, params=params)
            return relation.to_arrow_table() if relation is not None else pa.table({})
        finally:
            cursor.close()

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Like ``query_arrow``, as a list of dicts (for small results)."""
        cursor = self._cursor(self.current_dir())
        try:
            return _dicts(cursor.sql(sql, params=params))
        finally:
            cursor.close()

    def count(self) -> int:
        return int(self.query("SELECT count(*) AS n FROM incidents")[0]["n"])

    def _aggregate_sql(
        self,
        folder: Path | None,
        level: str,
        start: date | None,
        end: date | None,
        categories: Collection[str] | None,
    ) -> tuple[str, dict[str, Any]]:
        """One grouped query per month, glued with UNION ALL.

        Each month is a partition: grouping it alone by territory and category keeps
        the hash table small (tens of thousands of groups, not a million), which is
        faster than one national GROUP BY; months outside the period are not opened,
        and the day is only read in a month the period starts or ends inside."""
        if level not in LEVEL_LENGTH:
            raise ValueError(f"level must be one of {', '.join(LEVEL_LENGTH)}")
        territory = "ubigeo" if level == "district" else f"left(ubigeo, {LEVEL_LENGTH[level]})"
        first = (start.year, start.month) if start else (0, 0)
        last = (end.year, end.month) if end else (9999, 12)
        params: dict[str, Any] = {}
        if categories is not None:
            params["categories"] = sorted(categories)
        parts = []
        months = sorted(
            (_partition_key(p), p) for p in (folder.glob("year=*/month=*") if folder else [])
        )
        for (year, month), partition in months:
            if not first <= (year, month) <= last:
                continue
            where = []
            if start and (year, month) == first and start.day != 1:
                where.append(f"date >= DATE '{start.isoformat()}'")
            if end and (year, month) == last and (end + timedelta(days=1)).day != 1:
                where.append(f"date <= DATE '{end.isoformat()}'")
            if categories is not None:
                where.append("list_contains($categories, crime_type)")
            files = _literal(str(partition / "*.parquet"))
            parts.append(
                f"SELECT {territory} AS territory, {year:d} AS year, {month:d} AS month, "
                f"crime_type, count(*) AS n FROM read_parquet({files})"
                + (" WHERE " + " AND ".join(where) if where else "")
                # (year and month are constants here: not group keys)
                + " GROUP BY territory, crime_type"
            )
        if not parts:
            empty = "SELECT NULL::VARCHAR AS territory, NULL::INTEGER AS year, "
            empty += "NULL::INTEGER AS month, NULL::VARCHAR AS crime_type, NULL::BIGINT AS n"
            return empty + " WHERE false", {}
        return "\nUNION ALL ".join(parts), params

    def aggregate_arrow(
        self,
        level: str = "district",
        start: date | None = None,
        end: date | None = None,
        categories: Collection[str] | None = None,
    ) -> pa.Table:
        """Counts by territory x year-month x category, as an Arrow table in no
        particular order (columns ``territory``, ``year``, ``month``, ``crime_type``,
        ``n``). ``level`` is district, province or department; ``start`` and ``end``
        are inclusive days; ``territory`` is null for incidents whose district is
        unknown. For large results (a million groups) and columnar consumers."""
        folder = self.current_dir()
        sql, params = self._aggregate_sql(folder, level, start, end, categories)
        cursor = self._cursor(view=False)
        try:
            return cursor.sql(sql, params=params).to_arrow_table()
        finally:
            cursor.close()

    def aggregate(
        self,
        level: str = "district",
        start: date | None = None,
        end: date | None = None,
        categories: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        """``aggregate_arrow`` as a list of dicts ordered by territory (unknown last),
        year, month and category."""
        folder = self.current_dir()
        sql, params = self._aggregate_sql(folder, level, start, end, categories)
        sql = f"SELECT * FROM ({sql}) ORDER BY territory NULLS LAST, year, month, crime_type"
        cursor = self._cursor(view=False)
        try:
            return _dicts(cursor.sql(sql, params=params))
        finally:
            cursor.close()

    # writing

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def import_file(
        self,
        path: Path | str,
        *,
        district_index: DistrictIndex | None = None,
        known_districts: Collection[str] | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Validate a CSV or Parquet file of incidents and add it to the store, all or
        nothing. ``known_districts``, when given, is the list an ubigeo must be in."""
        started = time.perf_counter()
        source = _sniff(Path(path))
        tracker = _Tracker(progress, source.estimated_rows)
        with self._locked():
            self._clean_crashed()
            work = self.staging_dir / uuid.uuid4().hex
            work.mkdir(parents=True)
            con = duckdb.connect(":memory:")
            try:
                con.execute(f"SET temp_directory = {_literal(str(work / 'spill'))}")
                con.execute("SET enable_progress_bar = true")
                con.execute("SET enable_progress_bar_print = false")
                with tracker.stage(con, 0.0, 0.45):
                    _stage(con, source)
                with tracker.stage(con, 0.45, 0.55):
                    rows = _validate(con, source, known_districts)
                located = 0
                if district_index is not None:
                    located = _locate(con, district_index, tracker, 0.55, 0.65)
                unknown = _scalar(con, "SELECT count(*) FROM staged WHERE ubigeo IS NULL")
                with tracker.stage(con, 0.65, 1.0):
                    version, replaced, partitions = self._commit(con, work)
            finally:
                con.close()
                shutil.rmtree(work, ignore_errors=True)
        tracker.set(1.0)
        return ImportSummary(
            file=source.name,
            rows=rows,
            inserted=rows - replaced,
            replaced=replaced,
            located=located,
            unknown_district=unknown,
            partitions=partitions,
            seconds=time.perf_counter() - started,
            version=version,
        )

    def _commit(self, con: duckdb.DuckDBPyConnection, work: Path) -> tuple[str, int, int]:
        """Write the new version and switch to it. Returns (version, replaced, partitions
        written)."""
        current = self.current_dir()
        old_partitions = (
            {_partition_key(p): p for p in current.glob("year=*/month=*")} if current else {}
        )
        new_keys = {
            (int(y), int(m))
            for y, m in con.sql("SELECT DISTINCT year(date), month(date) FROM staged").fetchall()
        }
        replaced = 0
        touched = set(new_keys)
        if old_partitions:
            con.execute(f"CREATE TEMP VIEW old AS SELECT * FROM {self._scan(current)}")
            for y, m, n in con.sql(
                "SELECT year, month, count(*) FROM old SEMI JOIN staged USING (id) GROUP BY ALL"
            ).fetchall():
                touched.add((int(y), int(m)))
                replaced += int(n)
        merged = [old_partitions[k] for k in sorted(touched) if k in old_partitions]
        select = f"SELECT {COLUMNS}, year(date) AS year, month(date) AS month FROM staged"
        if merged:
            files = ", ".join(_literal(str(p / "*.parquet")) for p in merged)
            select += (
                f" UNION ALL SELECT {', '.join('o.' + c for c, _t in SCHEMA)}, o.year, o.month "
                f"FROM read_parquet([{files}], hive_partitioning = true, "
                "hive_types = {'year': INTEGER, 'month': INTEGER}) AS o "
                "ANTI JOIN staged AS s ON o.id = s.id"
            )
        out = work / "out"
        con.execute(
            f"COPY ({select}) TO {_literal(str(out))} "
            f"({PARQUET_OPTIONS}, PARTITION_BY (year, month))"
        )
        # Assemble the version beside the others (same file system: links, renames).
        version = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        building = self.versions_dir / f".{version}.building"
        building.mkdir()
        try:
            for key, folder in old_partitions.items():
                if key in touched:
                    continue
                target = building / folder.relative_to(current)  # type: ignore[arg-type]
                target.mkdir(parents=True)
                for file in folder.iterdir():
                    os.link(file, target / file.name)
            written = list(out.glob("year=*/month=*")) if out.exists() else []
            for folder in written:
                target = building / folder.relative_to(out)
                target.parent.mkdir(parents=True, exist_ok=True)
                folder.rename(target)
            building.rename(self.versions_dir / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        try:
            self._switch(version)
        except BaseException:
            shutil.rmtree(self.versions_dir / version, ignore_errors=True)
            raise
        self._clean_versions(keep={version, current.name if current else ""})
        return version, replaced, len(written)

    def _switch(self, version: str) -> None:
        pending = self.root / f".CURRENT.{uuid.uuid4().hex}"
        try:
            with open(pending, "w", encoding="utf-8") as handle:
                handle.write(version + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(pending, self.pointer)
        finally:
            pending.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # make the rename itself durable
            fd = os.open(self.root, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _clean_crashed(self) -> None:
        """Only an import holds the lock: work left in staging, a version half built or
        a pointer half written is a crashed import's."""
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        for leftover in self.root.glob(".CURRENT.*"):
            leftover.unlink(missing_ok=True)
        if self.versions_dir.is_dir():
            for folder in self.versions_dir.glob(".*.building"):
                shutil.rmtree(folder, ignore_errors=True)

    def _clean_versions(self, keep: set[str]) -> None:
        for folder in self.versions_dir.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)


def _dicts(relation: duckdb.DuckDBPyRelation | None) -> list[dict[str, Any]]:
    if relation is None:
        return []
    names = relation.columns
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def _partition_key(folder: Path) -> tuple[int, int]:
    return int(folder.parent.name.split("=", 1)[1]), int(folder.name.split("=", 1)[1])


# --- import steps ---------------------------------------------------------------------


def _stage(con: duckdb.DuckDBPyConnection, source: _Source) -> None:
    """Read the file into the temporary table ``staged`` with the store's columns."""
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
        columns = "{" + ", ".join(f"{_literal(n)}: {_literal(t)}" for n, t in types.items()) + "}"
        options = [
            "header = true",
            "auto_detect = false",
            f"delim = {_literal(source.delimiter)}",
            "quote = '\"'",
            "escape = '\"'",
            f"columns = {columns}",
            "store_rejects = true",
            f"rejects_limit = {REJECTS_LIMIT}",
        ]
        if source.decimal_comma:
            options.append("decimal_separator = ','")
        if source.date_format:
            options.append(f"dateformat = {_literal(source.date_format)}")
        if source.timestamp_format:
            options.append(f"timestampformat = {_literal(source.timestamp_format)}")
        reader = f"read_csv({_literal(str(source.path))}, {', '.join(options)})"

        def col(field: str) -> str:
            return names[fields[field]]

        datetime_sql = col("datetime") if "datetime" in fields else "NULL::TIMESTAMP"
        date_sql = col("date") if "date" in fields else None
        id_sql = f"trim({col('id')})"
        crime_sql = f"lower(trim({col('crime_type')}))"
        ubigeo_sql = f"nullif(trim({col('ubigeo')}), '')" if "ubigeo" in fields else "NULL"
        lat_sql, lon_sql = col("lat"), col("lon")
    else:
        reader = f"read_parquet({_literal(str(source.path))})"

        def col(field: str) -> str:
            return _ident(source.column(field))

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
        f"CAST({ubigeo_sql} AS VARCHAR) AS ubigeo FROM {reader}"
    )


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
    if key == "ubigeo_unknown":
        return "ubigeo", _("unknown ubigeo %(value)s: not a district of the INEI code list") % {
            "value": record["ubigeo"]
        }
    raise ValueError(key)


def _validate(
    con: duckdb.DuckDBPyConnection, source: _Source, known: Collection[str] | None
) -> int:
    """Count every kind of problem in one pass over ``staged``; only when there is one,
    find its rows and raise. Returns the number of rows."""
    if known is not None:
        con.register("known_arrow", pa.table({"ubigeo": pa.array(sorted(known), pa.string())}))
        con.execute("CREATE TEMP TABLE known AS SELECT * FROM known_arrow")
        con.unregister("known_arrow")
    checks = _checks(known is not None)
    rejects = 0
    if source.kind == "csv":
        rejects = _scalar(con, "SELECT count(*) FROM reject_errors")
    counts_sql = ", ".join(f"count_if({c.condition})" for c in checks)
    # Distinct hashes = rows proves the ids distinct (fewer: look at the ids themselves).
    totals = con.execute(f"SELECT count(*), count(DISTINCT hash(id)), {counts_sql} FROM staged")
    rows, distinct_hashes, *counts = totals.fetchall()[0]
    if rejects or any(counts) or distinct_hashes != rows:
        problems = _describe(
            con, source, checks, dict(zip([c.key for c in checks], counts, strict=True))
        )
        if problems:
            raise ImportRejected(problems)
    if rows == 0:
        raise ImportRejected([_problem(source.name, None, None, _("the file has no rows"))])
    return int(rows)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


def _describe(
    con: duckdb.DuckDBPyConnection,
    source: _Source,
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
                _problem(
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

    problems = _rejected(con, source) if source.kind == "csv" else []
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
            _problem(source.name, numbers[position], _column_name(source, field), reason)
        )
    problems.sort(key=lambda p: p.row or 0)
    return problems[:MAX_PROBLEMS] + more


def _column_name(source: _Source, field: str) -> str:
    """The column as the file names it."""
    if field == "date" and "date" not in source.fields:
        field = "datetime"
    return source.column(field) if field in source.fields else field


DATE_FORMAT_SHOWN = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%H": "HH", "%M": "MM", "%S": "SS"}


def _shown_format(source: _Source, field: str) -> str:
    pattern = source.timestamp_format if field == "datetime" else source.date_format
    if not pattern:
        return "YYYY-MM-DD HH:MM:SS" if field == "datetime" else "YYYY-MM-DD"
    for code, shown in DATE_FORMAT_SHOWN.items():
        pattern = pattern.replace(code, shown)
    return pattern


def _rejected(con: duckdb.DuckDBPyConnection, source: _Source) -> list[ImportProblem]:
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
        problems.append(_problem(source.name, int(line), column, reason))
    if len(rows) >= REJECTS_LIMIT:
        problems.append(
            _problem(source.name, None, None, _("and more rows that could not be read"))
        )
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


def _row_numbers(source: _Source, positions: list[int], skipped: set[int]) -> dict[int, int]:
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
    with _open_text(source.path) as raw:
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
    with _open_text(path) as handle:
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


def _parquet_values(source: _Source, positions: list[int]) -> dict[int, dict[str, Any]]:
    """The values as written (text) of some rows of a Parquet file, by position."""
    if source.kind != "parquet" or not positions:
        return {}
    fields: dict[str, str] = {f: source.column(f) for f in ("lat", "lon") if f in source.fields}
    fields["date"] = source.column("datetime" if "datetime" in source.fields else "date")
    select = ", ".join(f"CAST({_ident(c)} AS VARCHAR)" for c in fields.values())
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


def _locate(
    con: duckdb.DuckDBPyConnection,
    index: DistrictIndex,
    tracker: _Tracker,
    start: float,
    end: float,
) -> int:
    """Fill the missing ubigeo by point in polygon; returns how many were found."""
    points = con.sql(
        "SELECT rowid AS rid, lon, lat FROM staged WHERE ubigeo IS NULL AND lat IS NOT NULL"
    ).to_arrow_table()
    total = points.num_rows
    if not total or not len(index):
        tracker.set(end)
        return 0
    rid = points["rid"].to_numpy()
    lon = points["lon"].to_numpy()
    lat = points["lat"].to_numpy()
    found = np.empty(total, dtype=np.int64)
    for first in range(0, total, PIP_CHUNK):
        chunk = slice(first, first + PIP_CHUNK)
        found[chunk] = index.locate_indices(lon[chunk], lat[chunk])
        tracker.set(start + (end - start) * min(1.0, (first + PIP_CHUNK) / total) * 0.9)
    hit = found >= 0
    located = pa.table(
        {"rid": pa.array(rid[hit]), "ubigeo": index.ubigeos.take(pa.array(found[hit]))}
    )
    con.register("located", located)
    con.execute(
        "UPDATE staged SET ubigeo = located.ubigeo FROM located WHERE staged.rowid = located.rid"
    )
    con.unregister("located")
    tracker.set(end)
    return int(hit.sum())
