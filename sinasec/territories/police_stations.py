"""Police stations file (comisarías), CSV or XLSX: ``codigo``, ``nombre``, ``ubigeo``
(the district), ``latitud``, ``longitud``. All or nothing: every problem with its row
and column. It only reads and validates; ``services.import_police_stations`` writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sinasec.core.imports import FirstSeen, ProblemList, finish_rows, map_columns
from sinasec.core.peru import LAT_RANGE, LON_RANGE
from sinasec.core.tabular import cell_text, read_table
from sinasec.territories.population_file import fix_ubigeo

FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("codigo", "code", "cod_comisaria", "id"),
    "name": ("nombre", "name", "comisaria"),
    "ubigeo": ("ubigeo",),
    "lat": ("latitud", "lat", "latitude"),
    "lon": ("longitud", "lon", "lng", "longitude"),
}
LENGTHS = {"code": 20, "name": 200}


@dataclass(frozen=True)
class StationRow:
    row: int
    code: str
    name: str
    ubigeo: str
    latitude: float
    longitude: float


def parse_police_stations(data: bytes, file_name: str, districts: set[str]) -> list[StationRow]:
    problems = ProblemList()
    header, records = read_table(data, file_name, problems)
    fields = map_columns(header, FIELDS, tuple(FIELDS), file_name, problems)
    problems.raise_if_any()
    rows: list[StationRow] = []
    seen = FirstSeen()
    for number, values in records:
        cells = {f: cell_text(values[i]) for f, i in fields.items()}

        bad: list[str] = []

        def fail(field: str, reason: str, number: int = number, bad: list[str] = bad) -> None:
            problems.add(number, header[fields[field]], reason, file_name)
            bad.append(field)

        for field, length in LENGTHS.items():
            if not cells[field]:
                fail(field, _("a value is required"))
            elif len(cells[field]) > length:
                fail(field, _("longer than %(n)d characters") % {"n": length})
        ubigeo = fix_ubigeo(cells["ubigeo"])
        if ubigeo not in districts:
            fail(
                "ubigeo",
                _("unknown ubigeo %(ubigeo)s: not a district of the INEI code list")
                % {"ubigeo": ubigeo},
            )
        point: dict[str, float] = {}
        for field, (low, high) in (("lat", LAT_RANGE), ("lon", LON_RANGE)):
            try:
                point[field] = float(cells[field].replace(",", "."))
            except ValueError:
                point[field] = float("nan")
            if not low <= point[field] <= high:
                fail(
                    field,
                    _("“%(value)s” is not a coordinate inside Peru") % {"value": cells[field]},
                )
        if bad:
            continue
        first = seen.earlier(cells["code"], number)
        if first is not None:
            fail("code", _("duplicate code (already in row %(first)d)") % {"first": first})
            continue
        rows.append(
            StationRow(number, cells["code"], cells["name"], ubigeo, point["lat"], point["lon"])
        )
    finish_rows(problems, bool(rows), file_name)
    return rows
