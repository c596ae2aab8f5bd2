"""The backtest's inputs: periods of days, and the incidents read from a file.

:func:`parse_period` reads ``FROM:TO`` (days, months or years, both ends included);
:func:`read_incidents` reads the incidents of a CSV or Parquet file that fall in some
periods into :class:`Points` (arrays of latitude, longitude and day), with DuckDB. No
Django. :class:`BacktestError` is the error of every part of the backtest.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Peru with a margin, as the incident store checks coordinates.
LAT_RANGE = (-19.5, 0.5)
LON_RANGE = (-82.0, -68.0)
EPOCH = date(1970, 1, 1)

# Headers accepted for each field (normalised: lower case, no accents, "_" for spaces),
# as the incident store accepts them.
_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "fecha", "fecha_hecho"),
    "datetime": ("datetime", "fecha_hora", "fecha_hora_hecho"),
    "lat": ("lat", "latitud", "latitude"),
    "lon": ("lon", "lng", "longitud", "longitude"),
    "crime_type": ("crime_type", "delito", "tipo_delito", "categoria"),
}


class BacktestError(ValueError):
    """The backtest cannot run as asked (bad periods, an unreadable file, no incidents)."""


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BacktestError(
                f"a period must not end ({self.end}) before it starts ({self.start})"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _parse_day(text: str, last: bool) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: its first day, or its last with ``last``."""
    match = _DAY.match(text.strip())
    if not match:
        raise BacktestError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError as exc:
        raise BacktestError(f"{text!r} is not a date: {exc}") from None


def parse_period(text: str) -> Period:
    """``FROM:TO``, both included: ``2022-01-01:2023-12-31``; a month or a year stands for
    all its days (``2022-01:2023-12``, ``2022:2023``, ``2024-03`` alone is one month)."""
    parts = text.split(":")
    if len(parts) == 1:
        return Period(_parse_day(parts[0], False), _parse_day(parts[0], True))
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise BacktestError(f"{text!r} is not a period: write FROM:TO, e.g. 2022-01-01:2023-12-31")
    return Period(_parse_day(parts[0], False), _parse_day(parts[1], True))


def check_periods(train: Period, test: Period) -> None:
    if train.end >= test.start:
        raise BacktestError(
            f"the training period ({train}) must end before the test period ({test}) starts"
        )


# --------------------------------------------------------------------------------------
# Reading the incidents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Points:
    """Incidents as arrays: latitude, longitude and day (days since 1970-01-01).
    ``skipped``: rows in the periods without usable coordinates (none, or outside Peru)."""

    lat: FloatArray
    lon: FloatArray
    day: IntArray
    skipped: int = 0

    def __len__(self) -> int:
        return int(self.day.size)


def day_number(day: date) -> int:
    return (day - EPOCH).days


def _norm(header: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", header.strip().lower())
    text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"[\s\-]+", "_", text)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_incidents(
    path: Path | str,
    periods: Sequence[Period],
    *,
    crime_types: Iterable[str] | None = None,
) -> Points:
    """The incidents of ``path`` that fall in any of ``periods``, read with DuckDB.

    ``path`` is a CSV (``,`` ``;`` or tab separated, optionally gzipped) or a Parquet file
    with the incident store's columns: ``date`` or ``datetime``, ``lat``, ``lon`` and
    ``crime_type`` (``id`` and ``ubigeo`` are not needed here; the Spanish headers the
    store accepts are accepted too). ``crime_types`` keeps only those categories (compared
    trimmed and in lower case). Rows without coordinates, or with coordinates outside
    Peru, are skipped and counted; a date that cannot be read is an error.
    """
    import duckdb

    file = Path(path)
    if not file.is_file():
        raise BacktestError(f"{file}: no such file")
    name = file.name.lower()
    if name.endswith((".parquet", ".pq")):
        source = f"read_parquet({_literal(str(file))})"
    else:
        source = f"read_csv({_literal(str(file))}, header = true, sample_size = 100000)"
    con = duckdb.connect()
    try:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.Error as exc:
            raise BacktestError(f"{file}: cannot be read as CSV or Parquet ({exc})") from None
        columns = {_norm(str(row[0])): (str(row[0]), str(row[1]).upper()) for row in described}
        found: dict[str, tuple[str, str]] = {}
        for field, aliases in _FIELDS.items():
            for alias in aliases:
                if alias in columns:
                    found[field] = columns[alias]
                    break
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
            category = f"lower(trim(CAST({_ident(found['crime_type'][0])} AS VARCHAR)))"
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
    col = _ident(column)
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
    col = _ident(column)
    if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL") or "INT" in kind:
        return f"CAST({col} AS DOUBLE)"
    # Text: a decimal comma (with ';' separated files) is understood.
    return f"TRY_CAST(replace(trim(CAST({col} AS VARCHAR)), ',', '.') AS DOUBLE)"
