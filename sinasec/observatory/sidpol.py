"""Import of the police's SIDPOL monthly open data: complaints by district and modality.

Columns ``ANIO, MES, DPTO_HECHO_NEW, PROV_HECHO, DIST_HECHO, UBIGEO_HECHO, P_MODALIDADES,
cantidad``. The ubigeo may have lost its leading zero (a spreadsheet read it as a
number); departments are written ``LIMA METROPOLITANA``, ``REGION LIMA`` and ``PROV.
CONST. DEL CALLAO``. All or nothing: every problem with its row and column.

It only reads and validates; ``services.import_sidpol`` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sinasec.core.imports import (
    FirstSeen,
    ProblemList,
    csv_rows,
    decode_text,
    finish_rows,
    missing_column,
    numbered_rows,
)
from sinasec.core.peru import LIMA_METROPOLITANA
from sinasec.core.text import name_key

COLUMNS = ("ANIO", "MES", "DPTO_HECHO_NEW", "UBIGEO_HECHO", "P_MODALIDADES", "cantidad")
SOURCE_CODE = "sidpol"


def department_matches(written: str, ubigeo: str, department_names: dict[str, str]) -> bool:
    """Whether SIDPOL's department name agrees with the ubigeo's department."""
    name = name_key(written)
    if name == "LIMA METROPOLITANA":
        return ubigeo.startswith(LIMA_METROPOLITANA)
    if name in ("REGION LIMA", "LIMA REGION", "LIMA PROVINCIAS"):
        return ubigeo.startswith("15") and not ubigeo.startswith(LIMA_METROPOLITANA)
    if "CALLAO" in name:
        return ubigeo.startswith("07")
    return department_names.get(ubigeo[:2]) == name


@dataclass(frozen=True)
class SidpolRow:
    year: int
    month: int
    ubigeo: str
    modality: str
    count: int


def parse_sidpol(
    data: bytes, file_name: str, districts: set[str], department_names: dict[str, str]
) -> list[SidpolRow]:
    _delimiter, reader = csv_rows(decode_text(data, file_name), file_name)
    header = [h.strip() for h in next(reader)]
    index = {h.upper(): i for i, h in enumerate(header)}
    problems = ProblemList()
    for column in COLUMNS:
        if column.upper() not in index:
            missing_column(problems, column, header, file_name)
    problems.raise_if_any()
    rows: list[SidpolRow] = []
    seen = FirstSeen()
    for number, values in numbered_rows(reader):

        def cell(column: str, values: list[str] = values) -> str:
            position = index[column.upper()]
            return values[position].strip() if position < len(values) else ""

        row = _row(number, cell, file_name, districts, department_names, problems)
        if row is None:
            continue
        first = seen.earlier((row.year, row.month, row.ubigeo, row.modality), number)
        if first is not None:
            problems.add(
                number,
                "P_MODALIDADES",
                _("duplicate row (already in row %(first)d)") % {"first": first},
                file_name,
            )
            continue
        rows.append(row)
    finish_rows(problems, bool(rows), file_name)
    return rows


MODALITY_LENGTH = 200  # CrimeCount.modality
MAX_COUNT = 10**9  # CrimeCount.count fits; no count of crimes comes near


def whole_number(raw: str) -> int | None:
    """``"12"``, ``"12.0"`` (a spreadsheet's float) and ``"1,234"`` are whole numbers."""
    text = raw.replace(",", "").strip()
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
        return int(value) if value.is_integer() else None


def _row(
    number: int,
    cell: Callable[[str], str],
    file_name: str,
    districts: set[str],
    department_names: dict[str, str],
    problems: ProblemList,
) -> SidpolRow | None:
    ok = True
    values: dict[str, int] = {}
    for column, low, high in (("ANIO", 1990, 2100), ("MES", 1, 12), ("cantidad", 0, MAX_COUNT)):
        raw = cell(column)
        parsed = whole_number(raw)
        if parsed is None:
            problems.add(
                number, column, _("“%(value)s” is not a whole number") % {"value": raw}, file_name
            )
            ok = False
            continue
        values[column] = parsed
        if not low <= values[column] <= high:
            problems.add(number, column, _("%(value)s is out of range") % {"value": raw}, file_name)
            ok = False
    ubigeo = cell("UBIGEO_HECHO").split(".")[0]
    if ubigeo.isdigit() and len(ubigeo) == 5:
        ubigeo = "0" + ubigeo  # lost its leading zero
    if ubigeo not in districts:
        problems.add(
            number,
            "UBIGEO_HECHO",
            _("unknown ubigeo %(ubigeo)s: not a district of the INEI code list")
            % {"ubigeo": ubigeo},
            file_name,
        )
        ok = False
    elif not department_matches(cell("DPTO_HECHO_NEW"), ubigeo, department_names):
        problems.add(
            number,
            "DPTO_HECHO_NEW",
            _("“%(written)s” does not match ubigeo %(ubigeo)s")
            % {"written": cell("DPTO_HECHO_NEW"), "ubigeo": ubigeo},
            file_name,
        )
        ok = False
    modality = cell("P_MODALIDADES")
    if not modality:
        problems.add(number, "P_MODALIDADES", _("a value is required"), file_name)
        ok = False
    elif len(modality) > MODALITY_LENGTH:
        reason = _("longer than %(n)d characters") % {"n": MODALITY_LENGTH}
        problems.add(number, "P_MODALIDADES", reason, file_name)
        ok = False
    if not ok:
        return None
    return SidpolRow(values["ANIO"], values["MES"], ubigeo, modality, values["cantidad"])
