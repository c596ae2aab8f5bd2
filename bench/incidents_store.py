"""Benchmark: the incident store (Parquet + DuckDB) at national scale, against the same
aggregation through the Django ORM on PostgreSQL.

Generates 10 million synthetic incidents with a seeded RNG (``observatory.synthetic``:
around district capitals in proportion to population, with a trend and near repeats,
2015-2024) into a CSV in a temporary folder (timed, not counted), then measures, in the
same run:

- the import of that CSV into an empty store: rows per second (goal: at least
  1,000,000 per second on 2 cores);
- the district x month x category aggregation over the 10 million incidents with
  DuckDB on the Parquet store, p50 over 10 runs (goal: under 200 ms), both as an Arrow
  table and as the list of dicts the ORM gives;
- the same aggregation through the Django ORM on PostgreSQL,
  ``.values("ubigeo", "year", "month", "crime_type").annotate(n=Count("id"))``, p50 of
  3 runs, on the same rows loaded with ``COPY FROM STDIN`` into a throwaway table of a
  scratch database ``sinasec_bench`` (dropped at the end) at
  ``$SINASEC_TEST_DATABASE_URL``; the ratio (goal: DuckDB at least 20x faster). When
  PostgreSQL cannot be reached this comparison alone is skipped, and the bench says so;
- point in polygon: 1 million incidents without ubigeo imported with the district
  polygons of ``../shared/data/peru_distrital_simple.geojson`` (not part of the goals).

The totals of DuckDB and the ORM are checked to agree group by group.

    python bench/incidents_store.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from common import percentile, timed

SEED = 20260215
ROWS = 10_000_000
PIP_ROWS = 1_000_000
START, END = date(2015, 1, 1), date(2024, 12, 31)
DUCKDB_RUNS = 10
DICT_RUNS = 3
ORM_RUNS = 3
IMPORT_GOAL = 1_000_000  # rows per second
AGGREGATE_GOAL_MS = 200.0
RATIO_GOAL = 20.0
SCRATCH_DB = "sinasec_bench"
TABLE = "bench_incident"
DEFAULT_URL = "postgres://sinasec:sinasec@127.0.0.1:5432/sinasec"

ROOT = Path(__file__).resolve().parent.parent


def megabytes(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# --- PostgreSQL -----------------------------------------------------------------------


def scratch_url(url: str) -> str:
    """The same server and account, database ``sinasec_bench``."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + SCRATCH_DB))


def postgres_admin(url: str) -> tuple[Any, str | None]:
    """An autocommit connection to the server (None and the reason when unreachable)."""
    try:
        import psycopg

        return psycopg.connect(url, autocommit=True, connect_timeout=5), None
    except Exception as exc:  # any failure means: no comparison, and say why
        return None, f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"


def create_scratch(admin: Any) -> None:
    admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {SCRATCH_DB}")


def load_postgres(url: str, csv_path: Path) -> tuple[float, float, int, str]:
    """Create the throwaway table, COPY the CSV in, VACUUM ANALYZE it. Returns (load ms,
    analyze ms, rows, table size)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        # UNLOGGED: no write-ahead log for a table thrown away (loads faster, reads the
        # same). year and month are stored columns, as the Parquet partitions are.
        conn.execute(
            f"""CREATE UNLOGGED TABLE {TABLE} (
                id text NOT NULL,
                datetime timestamp NOT NULL,
                lat double precision,
                lon double precision,
                crime_type text NOT NULL,
                ubigeo varchar(6),
                year smallint GENERATED ALWAYS AS (extract(year FROM datetime)::smallint) STORED,
                month smallint GENERATED ALWAYS AS (extract(month FROM datetime)::smallint) STORED
            )"""
        )
        started = time.perf_counter()
        with (
            conn.cursor() as cursor,
            cursor.copy(
                f"COPY {TABLE} (id, datetime, lat, lon, crime_type, ubigeo) "
                "FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
            open(csv_path, "rb") as handle,
        ):
            while chunk := handle.read(8 * 1024 * 1024):
                copy.write(chunk)
        load_ms = (time.perf_counter() - started) * 1000
        analyze_ms, _ = timed(lambda: conn.execute(f"VACUUM ANALYZE {TABLE}"))
        rows = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]  # type: ignore[index]
        size = conn.execute(f"SELECT pg_size_pretty(pg_total_relation_size('{TABLE}'))").fetchone()[
            0
        ]  # type: ignore[index]
    return load_ms, analyze_ms, rows, size


def bench_model() -> Any:
    """An unmanaged model over the throwaway table, made at run time."""
    from django.db import models

    meta = type("Meta", (), {"managed": False, "db_table": TABLE, "app_label": "observatory_bench"})
    return type(
        "BenchIncident",
        (models.Model,),
        {
            "__module__": __name__,
            "id": models.CharField(primary_key=True, max_length=40),
            "datetime": models.DateTimeField(),
            "lat": models.FloatField(null=True),
            "lon": models.FloatField(null=True),
            "crime_type": models.CharField(max_length=60),
            "ubigeo": models.CharField(max_length=6, null=True),
            "year": models.SmallIntegerField(),
            "month": models.SmallIntegerField(),
            "Meta": meta,
        },
    )


# --- the run --------------------------------------------------------------------------


def setup_django(folder: Path, database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["SINASEC_DATABASE_URL"] = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("SINASEC_VAR_DIR", str(folder / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinasec.settings")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="incidents to generate")
    args = parser.parse_args()
    rows_wanted: int = args.rows
    bench_started = time.perf_counter()
    load_before = os.getloadavg()[0]
    url = os.environ.get("SINASEC_TEST_DATABASE_URL", DEFAULT_URL)
    admin, pg_problem = postgres_admin(url)
    if admin is not None:
        try:
            create_scratch(admin)
        except Exception as exc:  # no CREATEDB, say: the comparison alone is skipped
            pg_problem = f"cannot create {SCRATCH_DB}: {str(exc).strip().splitlines()[0]}"
            admin.close()
            admin = None

    with tempfile.TemporaryDirectory(prefix="sinasec-bench-incidents-") as tmp:
        folder = Path(tmp)
        try:
            setup_django(folder, scratch_url(url) if admin is not None else None)
            return run(folder, rows_wanted, url, admin, pg_problem, bench_started, load_before)
        finally:
            if admin is not None:
                from django.db import connections

                connections.close_all()
                admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
                admin.close()


def run(
    folder: Path,
    rows_wanted: int,
    url: str,
    admin: Any,
    pg_problem: str | None,
    bench_started: float,
    load_before: float,
) -> int:
    import django
    import duckdb
    from django.conf import settings
    from django.db.models import Count

    from sinasec.incidents import DistrictIndex, IncidentStore, synthetic
    from sinasec.observatory.synthetic import shipped_districts

    shared = Path(settings.SHARED_DATA_DIR)
    districts = shipped_districts(shared / "ubigeo_inei_2025.csv")
    generate_ms, table = timed(
        lambda: synthetic.generate(rows_wanted, SEED, START, END, districts=districts)
    )
    csv_path = folder / "incidents.csv"
    write_ms, _size = timed(lambda t=table: synthetic.write_csv(t, csv_path))
    del table

    # Import.
    store = IncidentStore(folder / "store")
    import_ms, summary = timed(lambda: store.import_file(csv_path))
    assert summary.rows == rows_wanted, summary
    rate = summary.rows / (import_ms / 1000)

    # Aggregation with DuckDB.
    duck_ms: list[float] = []
    for _ in range(DUCKDB_RUNS):
        ms, cube = timed(store.aggregate_arrow)
        duck_ms.append(ms)
    dict_ms: list[float] = []
    for _ in range(DICT_RUNS):  # (the previous result freed first, as for the ORM)
        ms, cube_dicts = timed(store.aggregate)
        dict_ms.append(ms)
        assert len(cube_dicts) == cube.num_rows
        del cube_dicts
    groups = cube.num_rows
    duck_total = sum(cube["n"].to_pylist())
    assert duck_total == rows_wanted, duck_total

    # The same through the ORM on PostgreSQL.
    orm_ms: list[float] = []
    pg_line = ""
    agree = "not checked (no PostgreSQL)"
    if admin is not None:
        from django.db import connection

        load_ms, analyze_ms, pg_rows, pg_size = load_postgres(scratch_url(url), csv_path)
        assert pg_rows == rows_wanted, pg_rows
        model = bench_model()
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            work_mem = cursor.fetchone()[0]
            cursor.execute("SHOW max_parallel_workers_per_gather")
            workers = cursor.fetchone()[0]
        query = model.objects.values("ubigeo", "year", "month", "crime_type").annotate(
            n=Count("id")
        )
        orm_rows: list[dict[str, Any]] = []
        for _ in range(ORM_RUNS):
            orm_rows = []
            ms, orm_rows = timed(lambda q=query: list(q.all()))
            orm_ms.append(ms)
        pg_line = (
            f"  PostgreSQL {connection.pg_version // 10000} (scratch database {SCRATCH_DB}):"
            f" {pg_rows:,} rows, table {pg_size}; COPY FROM STDIN {load_ms / 1000:.1f} s,"
            f" VACUUM ANALYZE {analyze_ms / 1000:.1f} s; work_mem {work_mem},"
            f" {workers} parallel workers per gather (server defaults)"
        )
        # Self-check: the same groups with the same counts.
        duck = {
            (r["territory"], r["year"], r["month"], r["crime_type"]): r["n"]
            for r in cube.to_pylist()
        }
        orm = {(r["ubigeo"], r["year"], r["month"], r["crime_type"]): r["n"] for r in orm_rows}
        assert sum(orm.values()) == duck_total, (sum(orm.values()), duck_total)
        assert duck == orm, "DuckDB and the ORM disagree"
        agree = f"agree: {len(orm):,} groups, {sum(orm.values()):,} incidents in both"
        del orm_rows, duck, orm

    # Point in polygon (not part of the goals).
    geojson = json.loads((shared / "peru_distrital_simple.geojson").read_text(encoding="utf-8"))
    index_ms, index = timed(
        lambda: DistrictIndex.from_boundaries(
            (
                str(f["properties"]["IDDIST"]),
                json.dumps(f["geometry"]) if f.get("geometry") else "",
            )
            for f in geojson["features"]
        )
    )
    pip_table = synthetic.generate(
        PIP_ROWS, SEED + 1, START, END, districts=districts, unknown_ubigeo=1.0
    )
    pip_csv = folder / "without_ubigeo.csv"
    synthetic.write_csv(pip_table, pip_csv)
    del pip_table
    pip_store = IncidentStore(folder / "pip_store")
    pip_ms, pip_summary = timed(lambda: pip_store.import_file(pip_csv, district_index=index))

    # Report.
    duck_p50, duck_p95 = statistics.median(duck_ms), percentile(duck_ms, 95)
    dict_p50 = statistics.median(dict_ms)
    print("SINASEC benchmark: incident store (Parquet + DuckDB) at national scale")
    print(
        f"  Python {platform.python_version()}, Django {django.get_version()}, "
        f"DuckDB {duckdb.__version__}, {os.cpu_count()} CPUs, seed {SEED}"
    )
    print(
        f"  data: {rows_wanted:,} synthetic incidents {START}..{END} in"
        f" {len(districts):,} districts, generated in {generate_ms / 1000:.1f} s"
        f" (not counted); CSV {megabytes(csv_path):,.0f} MB written in"
        f" {write_ms / 1000:.1f} s"
    )
    print(
        f"  store: {megabytes(store.current_dir() or folder):,.0f} MB of Parquet in"
        f" {summary.partitions} year-month partitions; aggregation result {groups:,} groups"
        f" (district x month x category)"
    )
    if pg_line:
        print(pg_line)
    if rows_wanted != ROWS:
        print(f"  (the goals are set for {ROWS:,} incidents)")
    print()
    verdict = "met" if rate >= IMPORT_GOAL else "NOT met"
    print(
        f"  import CSV -> Parquet (validated, de-duplicated, partitioned): {summary.rows:,}"
        f" rows in {import_ms / 1000:.2f} s = {rate:,.0f} rows/s"
    )
    print(f"  goal: >= {IMPORT_GOAL:,} rows/s on 2 cores -> {verdict}")
    print()
    table_rows: list[tuple[str, ...]] = [("method", "runs", "p50 ms", "p95 ms")]
    table_rows.append(
        ("DuckDB on Parquet -> Arrow", str(DUCKDB_RUNS), f"{duck_p50:.0f}", f"{duck_p95:.0f}")
    )
    table_rows.append(
        ("DuckDB on Parquet -> list of dicts", str(DICT_RUNS), f"{dict_p50:.0f}", "-")
    )
    if orm_ms:
        orm_p50 = statistics.median(orm_ms)
        table_rows.append(
            ("Django ORM on PostgreSQL (list of dicts)", str(ORM_RUNS), f"{orm_p50:.0f}", "-")
        )
    for name, *figures in table_rows:
        print(f"  {name:<42}" + "".join(f"{f:>10}" for f in figures))
    verdict = "met" if duck_p50 < AGGREGATE_GOAL_MS else "NOT met"
    print(f"  goal: p50 < {AGGREGATE_GOAL_MS:.0f} ms -> DuckDB {duck_p50:.0f} ms: {verdict}")
    if orm_ms:
        ratio = orm_p50 / duck_p50
        verdict = "met" if ratio >= RATIO_GOAL else "NOT met"
        print(
            f"  ORM / DuckDB (p50): {ratio:,.0f}x (goal >= {RATIO_GOAL:.0f}x: {verdict});"
            f" same result shape, list of dicts: {orm_p50 / dict_p50:,.1f}x"
        )
    else:
        print(f"  ORM comparison skipped: PostgreSQL not reachable at {url} ({pg_problem})")
    print(f"  self-check DuckDB vs ORM: {agree}")
    print()
    print(
        f"  point in polygon: {pip_summary.rows:,} incidents without ubigeo imported with"
        f" {len(index):,} district polygons (index built in {index_ms:.0f} ms) in"
        f" {pip_ms / 1000:.2f} s = {pip_summary.rows / (pip_ms / 1000):,.0f} rows/s;"
        f" {pip_summary.located:,} located, {pip_summary.unknown_district:,} outside every"
        " polygon (unknown)"
    )
    print(
        f"  total bench time {time.perf_counter() - bench_started:.1f} s; load average"
        f" {load_before:.2f} before, {os.getloadavg()[0]:.2f} after (1 min: other processes"
        " on the machine slow every figure down)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
