"""The incident store: versions of Parquet files, the live one queried with DuckDB,
a new one written by every import.

Under ``settings.INCIDENTS_DIR``::

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
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypedDict, cast

import duckdb
import pyarrow as pa

from sinasec.incidents.districts import DistrictIndex, locate_staged
from sinasec.incidents.progress import Progress, Tracker
from sinasec.incidents.source import sniff, stage_file
from sinasec.incidents.sql import scalar, sql_literal
from sinasec.incidents.validation import validate

LEVEL_LENGTH = {"department": 2, "province": 4, "district": 6}
MEMORY_LIMIT = "1GB"  # DuckDB's memory for one import; it spills the rest to disk

# Columns of the stored files (year and month are the partition folders).
SCHEMA = (
    ("id", "VARCHAR"),
    ("date", "DATE"),
    ("datetime", "TIMESTAMP"),
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("crime_type", "VARCHAR"),
    ("ubigeo", "VARCHAR"),
    # sinasec.incidents.geocoding: NULL in files written before it (read as unknown).
    ("geo_quality", "VARCHAR"),
)
COLUMNS = ", ".join(name for name, _type in SCHEMA)
# Dictionary-encode columns with few values (ubigeo, category, day) and don't try on
# those that are all different (id, coordinates): half the writing time.
PARQUET_OPTIONS = "FORMAT PARQUET, COMPRESSION SNAPPY, DICTIONARY_SIZE_LIMIT 4096"


class ImportSummaryData(TypedDict):
    """:class:`ImportSummary` as JSON (the audit record of an import, the command)."""

    file: str
    rows: int
    inserted: int
    replaced: int
    located: int
    unknown_district: int
    partitions: int
    seconds: float
    version: str


class AggregateRow(TypedDict):
    """One group of :meth:`IncidentStore.aggregate`."""

    territory: str | None  # None: the district is unknown
    year: int
    month: int
    crime_type: str
    n: int


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

    def as_dict(self) -> ImportSummaryData:
        return cast(ImportSummaryData, asdict(self))

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


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
            return _EMPTY
        return _read_parquet(sql_literal(str(folder / "year=*" / "month=*" / "*.parquet")))

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
            files = sql_literal(str(partition / "*.parquet"))
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
    ) -> list[AggregateRow]:
        """``aggregate_arrow`` as a list of rows ordered by territory (unknown last),
        year, month and category."""
        folder = self.current_dir()
        sql, params = self._aggregate_sql(folder, level, start, end, categories)
        sql = (
            f"SELECT territory, year, month, crime_type, n FROM ({sql})"
            " ORDER BY territory NULLS LAST, year, month, crime_type"
        )
        cursor = self._cursor(view=False)
        try:
            return [
                AggregateRow(territory=territory, year=year, month=month, crime_type=kind, n=n)
                for territory, year, month, kind, n in cursor.sql(sql, params=params).fetchall()
            ]
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
        source = sniff(Path(path))
        tracker = Tracker(progress, source.estimated_rows)
        with self._locked():
            self._clean_crashed()
            work = self.staging_dir / uuid.uuid4().hex
            work.mkdir(parents=True)
            con = duckdb.connect(":memory:")
            try:
                con.execute(f"SET temp_directory = {sql_literal(str(work / 'spill'))}")
                # Bounded memory whatever the file's size: DuckDB spills the rest to disk.
                con.execute(f"SET memory_limit = {sql_literal(MEMORY_LIMIT)}")
                con.execute("SET enable_progress_bar = true")
                con.execute("SET enable_progress_bar_print = false")
                with tracker.stage(con, 0.0, 0.45):
                    stage_file(con, source)
                with tracker.stage(con, 0.45, 0.55):
                    rows = validate(con, source, known_districts)
                located = 0
                if district_index is not None:
                    located = locate_staged(con, district_index, tracker, 0.55, 0.65)
                unknown = scalar(con, "SELECT count(*) FROM staged WHERE ubigeo IS NULL")
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
        touched, replaced = self._touched(con, current, old_partitions)
        out = work / "out"
        merged = [old_partitions[k] for k in sorted(touched) if k in old_partitions]
        _write_partitions(con, merged, out)
        kept = {k: p for k, p in old_partitions.items() if k not in touched}
        version, written = self._assemble(current, kept, out)
        try:
            self._switch(version)
        except BaseException:
            shutil.rmtree(self.versions_dir / version, ignore_errors=True)
            raise
        self._clean_versions(keep={version, current.name if current else ""})
        return version, replaced, written

    def _touched(
        self,
        con: duckdb.DuckDBPyConnection,
        current: Path | None,
        old_partitions: dict[tuple[int, int], Path],
    ) -> tuple[set[tuple[int, int]], int]:
        """The year-months the import rewrites (those of its rows and those holding the
        records it replaces) and how many records it replaces."""
        touched = {
            (int(y), int(m))
            for y, m in con.sql("SELECT DISTINCT year(date), month(date) FROM staged").fetchall()
        }
        replaced = 0
        if old_partitions:
            con.execute(f"CREATE TEMP VIEW old AS SELECT * FROM {self._scan(current)}")
            for y, m, n in con.sql(
                "SELECT year, month, count(*) FROM old SEMI JOIN staged USING (id) GROUP BY ALL"
            ).fetchall():
                touched.add((int(y), int(m)))
                replaced += int(n)
        return touched, replaced

    def _assemble(
        self, current: Path | None, kept: dict[tuple[int, int], Path], out: Path
    ) -> tuple[str, int]:
        """The new version beside the others (same file system: links, renames): the
        untouched partitions ``kept`` hard-linked, the written ones moved in. Returns its
        name and how many partitions were written."""
        version = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        building = self.versions_dir / f".{version}.building"
        building.mkdir()
        try:
            for folder in kept.values():
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
        return version, len(written)

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


def _write_partitions(con: duckdb.DuckDBPyConnection, merged: list[Path], out: Path) -> None:
    """The staged rows and the old rows of the ``merged`` partitions that they do not
    replace, written to ``out`` partitioned by year and month."""
    select = f"SELECT {COLUMNS}, year(date) AS year, month(date) AS month FROM staged"
    if merged:
        files = ", ".join(sql_literal(str(p / "*.parquet")) for p in merged)
        select += (
            f" UNION ALL SELECT {', '.join('o.' + c for c, _t in SCHEMA)}, o.year, o.month "
            f"FROM {_read_parquet(f'[{files}]')} AS o "
            "ANTI JOIN staged AS s ON o.id = s.id"
        )
    con.execute(
        f"COPY ({select}) TO {sql_literal(str(out))} "
        f"({PARQUET_OPTIONS}, PARTITION_BY (year, month))"
    )


_NULLS = ", ".join(f"NULL::{t} AS {n}" for n, t in SCHEMA)
_EMPTY = f"(SELECT {_NULLS}, NULL::INTEGER AS year, NULL::INTEGER AS month WHERE false)"


def _read_parquet(files: str) -> str:
    """SQL of the stored ``files``: a column added since one was written reads NULL."""
    return (
        f"(SELECT * FROM read_parquet({files}, hive_partitioning = true, union_by_name = true, "
        "hive_types = {'year': INTEGER, 'month': INTEGER}) "
        f"UNION ALL BY NAME SELECT * FROM {_EMPTY})"
    )


def _dicts(relation: duckdb.DuckDBPyRelation | None) -> list[dict[str, Any]]:
    if relation is None:
        return []
    names = relation.columns
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def _partition_key(folder: Path) -> tuple[int, int]:
    return int(folder.parent.name.split("=", 1)[1]), int(folder.name.split("=", 1)[1])
