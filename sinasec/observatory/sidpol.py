"""Import of the police's SIDPOL monthly open data: complaints by district and modality.

Columns ``ANIO, MES, DPTO_HECHO_NEW, PROV_HECHO, DIST_HECHO, UBIGEO_HECHO, P_MODALIDADES,
cantidad``. The ubigeo may have lost its leading zero (a spreadsheet read it as a
number); departments are written ``LIMA METROPOLITANA``, ``REGION LIMA`` and ``PROV.
CONST. DEL CALLAO``. All or nothing: every problem with its row and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.text import name_key
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source
from sinasec.territories.access import check_territories_write
from sinasec.territories.importers import ProblemList, decode_text
from sinasec.territories.models import Territory
from sinasec.territories.reference import LIMA_METROPOLITANA
from sinasec.territories.services import ImportResult

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
    text = decode_text(data, file_name)
    first = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text), delimiter=max((",", ";", "\t"), key=first.count))
    header = [h.strip() for h in next(reader)]
    index = {h.upper(): i for i, h in enumerate(header)}
    problems = ProblemList()
    for column in COLUMNS:
        if column.upper() not in index:
            problems.add(
                1,
                column,
                _("required column missing (columns found: %(found)s)")
                % {"found": ", ".join(header)},
                file_name,
            )
    problems.raise_if_any()
    rows: list[SidpolRow] = []
    seen: dict[tuple[int, int, str, str], int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue

        def cell(column: str, values: list[str] = values) -> str:
            position = index[column.upper()]
            return values[position].strip() if position < len(values) else ""

        row = _row(number, cell, file_name, districts, department_names, problems)
        if row is None:
            continue
        key = (row.year, row.month, row.ubigeo, row.modality)
        if key in seen:
            problems.add(
                number,
                "P_MODALIDADES",
                _("duplicate row (already in row %(first)d)") % {"first": seen[key]},
                file_name,
            )
            continue
        seen[key] = number
        rows.append(row)
    if not rows and not problems:
        problems.add(None, None, _("the file has a header but no data rows"), file_name)
    problems.raise_if_any()
    return rows


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
    for column, low, high in (("ANIO", 1990, 2100), ("MES", 1, 12), ("cantidad", 0, 10**9)):
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
    if not ok:
        return None
    return SidpolRow(values["ANIO"], values["MES"], ubigeo, modality, values["cantidad"])


def category_index() -> tuple[dict[str, CrimeCategory], CrimeCategory]:
    categories = list(CrimeCategory.objects.all())
    index = {}
    for category in categories:
        for alias in [category.name, *category.aliases]:
            index[name_key(alias)] = category
    return index, next(c for c in categories if c.code == "otros")


def import_sidpol(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Counts by district, month and modality. Re-importing a month replaces it exactly."""
    check_territories_write(actor)
    districts = set(Territory.objects.filter(level="district").values_list("ubigeo", flat=True))
    department_names = {
        code: name_key(name)
        for code, name in Territory.objects.filter(level="department").values_list("ubigeo", "name")
    }
    rows = parse_sidpol(data, file_name, districts, department_names)
    categories, other = category_index()
    result = ImportResult(file=file_name, rows=len(rows))
    with transaction.atomic():
        source, _created = Source.objects.get_or_create(
            code=SOURCE_CODE, defaults={"name": "PNP, SIDPOL (datos abiertos)"}
        )
        months = {(r.year, r.month) for r in rows}
        existing: dict[tuple[int, int, str, str], int] = {}
        for year, month in months:
            for territory, modality, count in CrimeCount.objects.filter(
                source=source, year=year, month=month
            ).values_list("territory_id", "modality", "count"):
                existing[(year, month, territory or "", modality)] = count
        new = {(r.year, r.month, r.ubigeo, r.modality): r.count for r in rows}
        result.created = sum(1 for k in new if k not in existing)
        result.updated = sum(1 for k, v in new.items() if k in existing and existing[k] != v)
        result.unchanged = sum(1 for k, v in new.items() if existing.get(k) == v)
        removed = sum(1 for k in existing if k not in new)
        if result.created or result.updated or removed:
            for year, month in months:
                CrimeCount.objects.filter(source=source, year=year, month=month).delete()
            CrimeCount.objects.bulk_create(
                [
                    CrimeCount(
                        source=source,
                        territory_id=r.ubigeo,
                        year=r.year,
                        month=r.month,
                        modality=r.modality,
                        category=categories.get(name_key(r.modality), other),
                        count=r.count,
                    )
                    for r in rows
                ],
                batch_size=2000,
            )
            record_change(
                actor,
                "observatory.import_sidpol",
                f"sidpol:{file_name}",
                _("SIDPOL %(file)s: %(created)d new, %(updated)d changed, %(removed)d removed")
                % {
                    "file": file_name,
                    "created": result.created,
                    "updated": result.updated,
                    "removed": removed,
                },
                after={
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "months": sorted(f"{y}-{m:02d}" for y, m in months),
                },
                object_type="crime_counts",
            )
    return result


def unmapped_modalities(rows: list[SidpolRow]) -> dict[str, int]:
    """Modalities that fall into "otros" (shown to the user after an import)."""
    categories, _other = category_index()
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        if name_key(row.modality) not in categories:
            totals[row.modality] += row.count
    return dict(totals)
