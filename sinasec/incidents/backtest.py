"""The backtest of a file of incidents: read the incidents of a CSV or Parquet file that
fall in some periods into arrays (:class:`~sinasec.analytics.backtest.data.Points`),
with DuckDB, and backtest them with :mod:`sinasec.analytics.backtest`. The headers
accepted are the incident store's (:data:`~sinasec.incidents.source.FIELDS`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from sinasec.analytics.backtest.data import BacktestError, Period, Points, check_periods
from sinasec.analytics.backtest.loop import (
    DEFAULT_KDE_BANDWIDTH,
    DEFAULT_MAX_CELLS,
    BacktestResult,
    backtest_points,
)
from sinasec.core.text import header_key
from sinasec.incidents.geocoding import StackRule
from sinasec.incidents.source import FIELDS
from sinasec.incidents.sql import sql_ident, sql_literal
from sinasec.incidents.validation import LAT_RANGE, LON_RANGE

# A point's month and coordinates: ``STACK_MIN`` incidents or more on one key are a stack.
STACK_KEY = "concat_ws('|', strftime(d, '%Y-%m'), lat, lon)"
STACK_MIN = StackRule().min_incidents

# The fields the backtest reads (``id`` and ``ubigeo`` are not needed).
READ = ("date", "datetime", "lat", "lon", "crime_type")


def backtest(
    path: Path | str,
    train: Period,
    test: Period,
    cell_m: float,
    coverages: Sequence[float] = (0.05,),
    *,
    kde_bandwidth: float = DEFAULT_KDE_BANDWIDTH,
    crime_types: Iterable[str] | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
    include_forced: bool = False,
    stack_min: int = STACK_MIN,
) -> BacktestResult:
    """Read the incidents of ``path`` (:func:`read_incidents`) and backtest them
    (:func:`~sinasec.analytics.backtest.loop.backtest_points`)."""
    check_periods(train, test)
    points = read_incidents(
        path,
        (train, test),
        crime_types=crime_types,
        include_forced=include_forced,
        stack_min=stack_min,
    )
    return backtest_points(
        points,
        train,
        test,
        cell_m,
        coverages,
        kde_bandwidth=kde_bandwidth,
        max_cells=max_cells,
    )


def read_incidents(
    path: Path | str,
    periods: Sequence[Period],
    *,
    crime_types: Iterable[str] | None = None,
    include_forced: bool = False,
    stack_min: int = STACK_MIN,
) -> Points:
    """The incidents of ``path`` that fall in any of ``periods``, read with DuckDB.

    ``path`` is a CSV (``,`` ``;`` or tab separated, optionally gzipped) or a Parquet file
    with the incident store's columns: ``date`` or ``datetime``, ``lat``, ``lon`` and
    ``crime_type`` (``id`` and ``ubigeo`` are not needed here; the Spanish headers the
    store accepts are accepted too). ``crime_types`` keeps only those categories (compared
    trimmed and in lower case). Rows without coordinates, or with coordinates outside
    Peru, are skipped and counted; a date that cannot be read is an error. Unless
    ``include_forced``, so are the incidents on a stack: ``stack_min`` or more on the same
    point in one month, the mark of coordinates forced onto a police station or a centroid
    (the rule of :mod:`sinasec.incidents.geocoding`), which would otherwise be the
    "hottest" cells of every method.
    """
    file = Path(path)
    if not file.is_file():
        raise BacktestError(f"{file}: no such file")
    name = file.name.lower()
    if name.endswith((".parquet", ".pq")):
        source = f"read_parquet({sql_literal(str(file))})"
    else:
        source = f"read_csv({sql_literal(str(file))}, header = true, sample_size = 100000)"
    con = duckdb.connect()
    try:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.Error as exc:
            raise BacktestError(f"{file}: cannot be read as CSV or Parquet ({exc})") from None
        columns = {header_key(str(row[0])): (str(row[0]), str(row[1]).upper()) for row in described}
        found = {
            field: columns[alias]
            for field, aliases in FIELDS.items()
            if field in READ and (alias := next((a for a in aliases if a in columns), None))
        }
        missing = [f for f in ("lat", "lon") if f not in found]
        if "date" not in found and "datetime" not in found:
            missing.insert(0, "date")
        if missing:
            raise BacktestError(
                f"{file}: missing column(s) {', '.join(missing)}"
                f" (found: {', '.join(str(r[0]) for r in described)})"
            )
        date_expr = _date_expression(*found.get("date", found.get("datetime", ("", ""))))
        lat_expr = _number_expression(*found["lat"])
        lon_expr = _number_expression(*found["lon"])
        select = [f"{date_expr} AS d", f"{lat_expr} AS lat", f"{lon_expr} AS lon"]
        params: list[Any] = []
        where = ""
        if crime_types is not None:
            wanted = sorted({str(c).strip().lower() for c in crime_types})
            if "crime_type" not in found:
                raise BacktestError(f"{file}: no crime_type column to filter by")
            category = f"lower(trim(CAST({sql_ident(found['crime_type'][0])} AS VARCHAR)))"
            where = f"WHERE {category} IN (SELECT unnest(?))"
            params.append(wanted)
        try:
            con.execute(
                f"CREATE TEMP TABLE src AS SELECT {', '.join(select)} FROM {source} {where}",
                params,
            )
        except duckdb.Error as exc:
            raise BacktestError(f"{file}: cannot be read ({exc})") from None
        (bad,) = con.execute("SELECT count(*) FROM src WHERE d IS NULL").fetchall()[0]
        if bad:
            raise BacktestError(
                f"{file}: {bad:,} row(s) have a date that cannot be read"
                " (write it as YYYY-MM-DD or DD/MM/YYYY)"
            )
        in_periods = " OR ".join(
            f"d BETWEEN DATE '{p.start.isoformat()}' AND DATE '{p.end.isoformat()}'"
            for p in periods
        )
        usable = (
            f"lat BETWEEN {LAT_RANGE[0]} AND {LAT_RANGE[1]}"
            f" AND lon BETWEEN {LON_RANGE[0]} AND {LON_RANGE[1]}"
        )
        if not include_forced:
            usable += f" AND {STACK_KEY} NOT IN (SELECT {STACK_KEY} FROM src WHERE lat IS NOT NULL"
            usable += f" GROUP BY ALL HAVING count(*) >= {int(stack_min)})"
        relation = con.sql(
            f"SELECT lat, lon, CAST(d - DATE '1970-01-01' AS BIGINT) AS day FROM src"
            f" WHERE ({in_periods or 'false'}) AND {usable}"
        )
        table = relation.to_arrow_table()
        ((skipped,),) = con.execute(
            f"SELECT count(*) FROM src WHERE ({in_periods or 'false'})"
            f" AND (lat IS NULL OR lon IS NULL OR NOT ({usable}))"
        ).fetchall()
    finally:
        con.close()
    return Points(
        lat=np.asarray(table.column("lat").to_numpy(), dtype=np.float64),
        lon=np.asarray(table.column("lon").to_numpy(), dtype=np.float64),
        day=np.asarray(table.column("day").to_numpy(), dtype=np.int64),
        skipped=int(skipped),
    )


def _date_expression(column: str, kind: str) -> str:
    col = sql_ident(column)
    if kind == "DATE":
        return col
    if kind.startswith("TIMESTAMP"):
        return f"CAST({col} AS DATE)"
    text = f"trim(CAST({col} AS VARCHAR))"
    return (
        f"COALESCE(TRY_CAST({text} AS DATE), CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE),"
        f" CAST(TRY_STRPTIME({text}, '%d/%m/%Y') AS DATE),"
        f" CAST(TRY_STRPTIME({text}, '%d/%m/%Y %H:%M:%S') AS DATE),"
        f" CAST(TRY_STRPTIME({text}, '%d/%m/%Y %H:%M') AS DATE))"
    )


def _number_expression(column: str, kind: str) -> str:
    col = sql_ident(column)
    if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL") or "INT" in kind:
        return f"CAST({col} AS DOUBLE)"
    # Text: a decimal comma (with ';' separated files) is understood.
    return f"TRY_CAST(replace(trim(CAST({col} AS VARCHAR)), ',', '.') AS DOUBLE)"
