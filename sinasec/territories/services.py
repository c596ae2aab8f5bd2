"""Every write to territories. Each function checks access, owns its transaction and
writes its audit record; views, the API and commands only call these."""

from __future__ import annotations

import hashlib
from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.cache import bump_generation
from sinasec.core.imports import ImportResult, Progress, rejected
from sinasec.territories import (
    importers,
    police_stations,
    population_file,
    reference,
    selectors,
)
from sinasec.territories.access import check_territories_write
from sinasec.territories.models import (
    Boundary,
    Level,
    PoliceStation,
    Population,
    Region,
    Territory,
)


def load_reference_hierarchy() -> tuple[int, int]:
    """Insert the INEI territories and the regions that are missing (idempotent)."""
    with transaction.atomic():
        bump_generation("committees", "observatory", "territories")
        return reference.load_reference(Territory, Region)


def import_population(
    actor: AnyUser,
    file_name: str,
    data: bytes,
    year: int | None,
    source: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Population estimates of a CSV or XLSX table (:mod:`population_file`): districts,
    provinces or departments, for ``year`` or for the year of each row (an ``año``
    column; then ``year`` may be None).

    All or nothing: the file is validated completely before anything is written.
    Re-importing the same file changes nothing. A district's capital, category,
    altitude and coordinates are refreshed from the file when it has them.
    """
    check_territories_write(actor)
    territories = {t.ubigeo: t for t in Territory.objects.order_by()}
    rows = population_file.parse_population(data, file_name, set(territories))
    if year is None and any(r.year is None for r in rows):
        raise rejected(file_name, _("the file has no “año” column: say which year it is"))
    years = sorted({cast(int, r.year or year) for r in rows})
    result = ImportResult(file=file_name, rows=len(rows))
    with transaction.atomic():
        existing = {(p.territory_id, p.year): p for p in Population.objects.filter(year__in=years)}
        changes: list[dict[str, object]] = []
        new: list[Population] = []
        changed_pop: list[Population] = []
        changed_places: list[Territory] = []
        for i, row in enumerate(rows, start=1):
            row_year = cast(int, row.year or year)
            row_source = source or _("%(file)s (INEI, %(year)d)") % {
                "file": file_name,
                "year": row_year,
            }
            current = existing.get((row.ubigeo, row_year))
            change = {"ubigeo": row.ubigeo, "year": row_year, "after": row.population}
            if current is None:
                new.append(
                    Population(
                        territory_id=row.ubigeo,
                        year=row_year,
                        value=row.population,
                        source=row_source,
                    )
                )
                changes.append({**change, "before": None})
            elif current.value != row.population:
                changes.append({**change, "before": current.value})
                current.value, current.source = row.population, row_source
                changed_pop.append(current)
            else:
                result.unchanged += 1
            if _refresh_place(territories[row.ubigeo], row):
                changed_places.append(territories[row.ubigeo])
            if progress and (i % 200 == 0 or i == len(rows)):
                progress(i, len(rows))
        Population.objects.bulk_create(new, batch_size=1000)
        Population.objects.bulk_update(changed_pop, ["value", "source"], batch_size=1000)
        Territory.objects.bulk_update(
            changed_places,
            ["capital", "category", "altitude_m", "latitude", "longitude"],
            batch_size=1000,
        )
        result.created, result.updated = len(new), len(changed_pop)
        if changes or changed_places:
            bump_generation("committees", "observatory", "territories")
            shown = ", ".join(str(y) for y in years)
            record_change(
                actor,
                "territories.import_population",
                f"population:{shown}",
                _(
                    "Population %(year)s imported from %(file)s: %(created)d new, %(updated)d changed"
                )
                % {
                    "year": shown,
                    "file": file_name,
                    "created": result.created,
                    "updated": result.updated,
                },
                before={"changes": [c for c in changes if c["before"] is not None]},
                after={
                    "year": years[0] if len(years) == 1 else None,
                    "years": years,
                    "source": source,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "changes": changes,
                    "places_refreshed": len(changed_places),
                },
                object_type="population",
            )
    return result


def _refresh_place(territory: Territory, row: population_file.PopulationRow) -> bool:
    wanted = {
        "capital": row.capital or territory.capital,
        "category": row.category or territory.category,
        "altitude_m": row.altitude_m if row.altitude_m is not None else territory.altitude_m,
        "latitude": row.latitude if row.latitude is not None else territory.latitude,
        "longitude": row.longitude if row.longitude is not None else territory.longitude,
    }
    if all(getattr(territory, k) == v for k, v in wanted.items()):
        return False
    for k, v in wanted.items():
        setattr(territory, k, v)
    return True


def import_boundaries(
    actor: AnyUser,
    file_name: str,
    data: bytes,
    level: str,
    source: str = "",
    skip_unknown: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Polygons (and, for districts, creation law and date) from a GeoJSON file."""
    check_territories_write(actor)
    if level not in Level.values:
        raise ValueError(level)
    known = set(Territory.objects.filter(level=level).values_list("ubigeo", flat=True))
    parsed = importers.parse_boundaries(
        data, file_name, level, known, skip_unknown, places=selectors.expected_places(level)
    )
    source = source or file_name
    result = ImportResult(
        file=file_name, rows=len(parsed.rows), warnings=parsed.warnings, skipped=parsed.skipped
    )
    with transaction.atomic():
        existing = {b.territory_id: b for b in Boundary.objects.filter(territory__level=level)}
        territories = {t.ubigeo: t for t in Territory.objects.filter(ubigeo__in=known)}
        changed_territories: list[Territory] = []
        for i, row in enumerate(parsed.rows, start=1):
            _save_boundary(row, existing.get(row.ubigeo), source, result)
            territory = territories[row.ubigeo]
            if level == Level.DISTRICT and _refresh_creation(territory, row):
                changed_territories.append(territory)
            if progress and (i % 100 == 0 or i == len(parsed.rows)):
                progress(i, len(parsed.rows))
        Territory.objects.bulk_update(
            changed_territories, ["creation_law", "creation_date", "creation_date_text"]
        )
        if result.created or result.updated or changed_territories:
            bump_generation("committees", "observatory", "territories")
            record_change(
                actor,
                "territories.import_boundaries",
                f"boundaries:{level}",
                _(
                    "Boundaries (%(level)s) imported from %(file)s: %(created)d new, %(updated)d changed"
                )
                % {
                    "level": Level(level).label,
                    "file": file_name,
                    "created": result.created,
                    "updated": result.updated,
                },
                after={
                    "level": level,
                    "source": source,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "skipped": [s.as_dict() for s in parsed.skipped],
                    "creation_dates_refreshed": len(changed_territories),
                },
                object_type="boundary",
            )
    return result


def _save_boundary(
    row: importers.BoundaryRow, current: Boundary | None, source: str, result: ImportResult
) -> None:
    if row.geometry is None:
        result.unchanged += 1
        return
    geometry = row.geometry_json()
    min_lon, min_lat, max_lon, max_lat = row.geometry.bounds
    if current is not None and current.geometry == geometry:
        result.unchanged += 1
        return
    Boundary.objects.update_or_create(
        territory_id=row.ubigeo,
        defaults={
            "geometry": geometry,
            "source": source,
            "min_lon": min_lon,
            "min_lat": min_lat,
            "max_lon": max_lon,
            "max_lat": max_lat,
        },
    )
    if current is None:
        result.created += 1
    else:
        result.updated += 1


def _refresh_creation(territory: Territory, row: importers.BoundaryRow) -> bool:
    wanted = (row.creation_law, row.creation_date, row.creation_date_text)
    have = (territory.creation_law, territory.creation_date, territory.creation_date_text)
    if wanted == have or not any(wanted):
        return False
    territory.creation_law, territory.creation_date, territory.creation_date_text = wanted
    return True


def import_police_stations(
    actor: AnyUser, file_name: str, data: bytes, source: str = ""
) -> ImportResult:
    """Police stations of a CSV or XLSX file (:mod:`police_stations`), matched on their
    code: new ones added, changed ones updated. All or nothing; audited."""
    check_territories_write(actor)
    districts = set(Territory.objects.filter(level=Level.DISTRICT).values_list("ubigeo", flat=True))
    rows = police_stations.parse_police_stations(data, file_name, districts)
    source = source or file_name
    result = ImportResult(file=file_name, rows=len(rows))
    with transaction.atomic():
        existing = {
            s.code: s for s in PoliceStation.objects.filter(code__in=[r.code for r in rows])
        }
        new: list[PoliceStation] = []
        changed: list[PoliceStation] = []
        for row in rows:
            wanted = {
                "name": row.name,
                "territory_id": row.ubigeo,
                "latitude": row.latitude,
                "longitude": row.longitude,
            }
            current = existing.get(row.code)
            if current is None:
                new.append(PoliceStation(code=row.code, source=source, **wanted))
            elif any(getattr(current, k) != v for k, v in wanted.items()):
                for k, v in wanted.items():
                    setattr(current, k, v)
                current.source = source
                changed.append(current)
            else:
                result.unchanged += 1
        PoliceStation.objects.bulk_create(new, batch_size=1000)
        PoliceStation.objects.bulk_update(
            changed, ["name", "territory_id", "latitude", "longitude", "source"], batch_size=1000
        )
        result.created, result.updated = len(new), len(changed)
        if new or changed:
            bump_generation("observatory", "territories")
            record_change(
                actor,
                "territories.import_police_stations",
                "police_stations",
                _("Police stations imported from %(file)s: %(created)d new, %(updated)d changed")
                % {"file": file_name, "created": result.created, "updated": result.updated},
                after={
                    "source": source,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "created": [s.code for s in new],
                    "updated": [s.code for s in changed],
                },
                object_type="police_station",
            )
    return result
