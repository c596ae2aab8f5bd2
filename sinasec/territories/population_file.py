"""Population files: INEI's municipal directory and any table of estimates, CSV or XLSX.

A ``ubigeo`` column (2 digits a department, 4 a province, 6 a district; a leading zero
lost by a spreadsheet is put back) and a ``población`` column; an ``año`` column lets
one file carry several years (else the year given with the import). Capital, category,
altitude and coordinates are read when present (INEI's directory has them).

A department's or province's own row is kept as such: the published estimate of that
level for that year (INEI publishes historical projections by department, not by
district), used by rates of that level instead of a sum of districts.

It only reads and validates; :func:`sinasec.territories.services.import_population`
writes. All or nothing: every problem with its row and column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sinasec.core.imports import FirstSeen, ProblemList, finish_rows, missing_column
from sinasec.core.peru import LAT_RANGE, LON_RANGE
from sinasec.core.tabular import Cell, cell_text, read_table
from sinasec.core.text import header_key

REQUIRED = ("ubigeo", "poblacion")
YEAR_COLUMNS = ("ano", "anio", "year")
MAX_POPULATION = 100_000_000  # more than Peru's people: a typo, not a district
YEARS = (1900, 2100)
UBIGEO_LENGTHS = (2, 4, 6)


@dataclass(frozen=True)
class PopulationRow:
    row: int
    ubigeo: str
    population: int
    year: int | None = None  # None: the year given with the import
    capital: str = ""
    category: str = ""
    altitude_m: float | None = None
    latitude: float | None = None
    longitude: float | None = None


def parse_population(
    data: bytes, file_name: str, known: Mapping[str, str] | set[str]
) -> list[PopulationRow]:
    """Rows of a population table; ``known`` holds the ubigeos of the territories (of
    any level) it may name."""
    problems = ProblemList()
    header, records = read_table(data, file_name, problems)
    columns = {header_key(h): i for i, h in enumerate(header)}
    for required in REQUIRED:
        if required not in columns:
            shown = "población" if required == "poblacion" else required
            missing_column(problems, shown, header, file_name)
    problems.raise_if_any()
    year_column = next((c for c in YEAR_COLUMNS if c in columns), None)
    rows: list[PopulationRow] = []
    seen = FirstSeen()
    for number, values in records:
        row = _row(number, values, columns, header, year_column, file_name, known, problems)
        if row is None:
            continue
        first = seen.earlier((row.ubigeo, row.year), number)
        if first is not None:
            problems.add(
                number,
                header[columns["ubigeo"]],
                _("duplicate ubigeo %(ubigeo)s (already in row %(first)d)")
                % {"ubigeo": row.ubigeo, "first": first},
                file_name,
            )
            continue
        rows.append(row)
    finish_rows(problems, bool(rows), file_name)
    return rows


def fix_ubigeo(raw: str) -> str:
    """A department, province or district code with the leading zero a spreadsheet
    dropped put back (an odd length is unambiguous: codes have 2, 4 or 6 digits)."""
    if raw.isdigit() and len(raw) in (1, 3, 5):
        return "0" + raw
    return raw


def _row(
    number: int,
    values: list[Cell],
    columns: dict[str, int],
    header: list[str],
    year_column: str | None,
    file_name: str,
    known: Mapping[str, str] | set[str],
    problems: ProblemList,
) -> PopulationRow | None:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cell_text(values[index]) if index is not None else ""

    ok = True

    def fail(key: str, reason: str) -> None:
        nonlocal ok
        problems.add(number, header[columns[key]], reason, file_name)
        ok = False

    ubigeo = fix_ubigeo(cell("ubigeo"))
    if not (ubigeo.isdigit() and len(ubigeo) in UBIGEO_LENGTHS):
        fail("ubigeo", _("“%(value)s” is not a ubigeo of 2, 4 or 6 digits") % {"value": ubigeo})
    elif ubigeo not in known:
        fail(
            "ubigeo",
            _("unknown ubigeo %(ubigeo)s: not a territory of the INEI code list")
            % {"ubigeo": ubigeo},
        )
    raw_population = cell("poblacion")
    population = _int_or_none(raw_population)
    if population is None or not 0 <= population <= MAX_POPULATION:
        fail(
            "poblacion",
            _("“%(value)s” is not a whole number of inhabitants") % {"value": raw_population},
        )
    year = None
    if year_column is not None:
        year = _int_or_none(cell(year_column))
        if year is None or not YEARS[0] <= year <= YEARS[1]:
            fail(year_column, _("“%(value)s” is not a year") % {"value": cell(year_column)})
    coordinates: dict[str, float | None] = {}
    for key, (low, high) in (("latitud", LAT_RANGE), ("longitud", LON_RANGE)):
        raw = cell(key)
        value = _float_or_none(raw)
        if raw and (value is None or not low <= value <= high):
            fail(key, _("“%(value)s” is not a coordinate inside Peru") % {"value": raw})
        coordinates[key] = value
    for key, length in (("capital_legal", 120), ("capital", 120), ("categoria", 40)):
        if len(cell(key)) > length:  # Territory.capital, Territory.category
            fail(key, _("longer than %(n)d characters") % {"n": length})
    if not ok or population is None:
        return None
    return PopulationRow(
        row=number,
        ubigeo=ubigeo,
        population=population,
        year=year,
        capital=cell("capital_legal") or cell("capital"),
        category=cell("categoria"),
        altitude_m=_float_or_none(cell("altitud")),
        latitude=coordinates["latitud"],
        longitude=coordinates["longitud"],
    )


def _int_or_none(raw: str) -> int | None:
    try:
        return int(raw.replace(",", "").strip())
    except ValueError:
        try:
            value = float(raw)
        except ValueError:
            return None
        return int(value) if value.is_integer() else None


def _float_or_none(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
