"""The demo's synthetic incidents: drawn with the seeded generator
(:mod:`sinasec.incidents.synthetic`: clustered around district capitals by population,
with a trend and near repeats) for Lima and the regions of the barrios the Barrio
Seguro document names (Callao, Ica), imported into the incident store through the
product's importer, and summed per district, year and category as the observatory's
counts of a demo source. Nothing here is real: every incident id starts with
``demo-`` and the source is ``is_demo``, so every page that shows them says so."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import transaction

from sinasec.accounts.scope import AnyUser
from sinasec.core.cache import bump_generation
from sinasec.incidents import IncidentStore
from sinasec.incidents.synthetic import Districts, generate, write_csv
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source
from sinasec.observatory.selectors import DEMO_ID_PREFIX, demo_incident_count
from sinasec.observatory.services import import_incidents
from sinasec.observatory.synthetic import districts_from_database, shipped_districts

DEMO_SOURCE = "demo-incidentes-sinteticos"
DEMO_SOURCE_NAME = "Incidentes sintéticos generados para la demostración (no son datos reales)"
DEMO_SEED = 20260101
# Lima (department), Callao and Ica: the regions of San Clemente, Ventanilla and
# Carmen de La Legua, the barrios the document names. Each region gets its own share so
# the smaller ones have enough incidents per barrio and month for the analyses.
DEMO_REGIONS = (("15", 30_000), ("07", 12_000), ("11", 8_000))
DEMO_START, DEMO_END = date(2015, 1, 1), date(2019, 12, 31)


def _districts() -> Districts:
    """District capitals and population: the database's (the demo imported population
    2025 and boundaries just before) or, without them, the shipped INEI directory."""
    try:
        return districts_from_database()
    except ValueError:
        return shipped_districts()


def _subset(districts: Districts, prefix: str) -> Districts:
    keep = np.char.startswith(districts.ubigeo.astype(str), prefix)
    return Districts(
        districts.ubigeo[keep],
        districts.lat[keep],
        districts.lon[keep],
        districts.population[keep],
        None if districts.area_km2 is None else districts.area_km2[keep],
    )


def demo_incidents(districts: Districts | None = None) -> pa.Table:
    """The demo's incidents, the same table on every run (fixed seeds), ids
    ``demo-<region>-<n>``."""
    districts = districts or _districts()
    parts = []
    for offset, (prefix, n) in enumerate(DEMO_REGIONS):
        region = _subset(districts, prefix)
        if not len(region):
            continue
        table = generate(n, DEMO_SEED + offset, DEMO_START, DEMO_END, districts=region)
        ids = pc.binary_join_element_wise(  # type: ignore[attr-defined]
            f"{DEMO_ID_PREFIX}{prefix}-", table["id"], ""
        )
        parts.append(table.set_column(0, "id", ids))
    if not parts:
        return pa.table({})
    return pa.concat_tables(parts)


def load_incident_demo(
    actor: AnyUser, districts: Districts | None = None, log: Callable[[str], object] = print
) -> tuple[int, int]:
    """Import the demo incidents (unless the store already holds them) and their counts
    per district, year and category (unless the demo source exists): ``(incidents
    imported, counts created)``. Idempotent."""
    store = IncidentStore(settings.INCIDENTS_DIR)
    imported = 0
    if not demo_incident_count():
        table = demo_incidents(districts)
        if table.num_rows == 0:
            log("  (sin distritos con población y coordenadas: no se generan incidentes)")
            return 0, 0
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "incidentes_sinteticos_demo.csv"
            write_csv(table, path)
            imported = import_incidents(actor, path).rows
    counts = 0 if Source.objects.filter(code=DEMO_SOURCE).exists() else _demo_counts(store)
    return imported, counts


def _demo_counts(store: IncidentStore) -> int:
    """The demo incidents per district, year and category as the demo source's counts
    (from the store, so each incident counts where the importer placed it)."""
    rows = store.query(
        "SELECT ubigeo, year(date) AS year, crime_type, count(*) AS n FROM incidents "
        f"WHERE starts_with(id, '{DEMO_ID_PREFIX}') AND ubigeo IS NOT NULL "
        "GROUP BY ALL ORDER BY ALL"
    )
    categories = dict(CrimeCategory.objects.values_list("code", "pk"))
    with transaction.atomic():
        source = Source.objects.create(code=DEMO_SOURCE, name=DEMO_SOURCE_NAME, is_demo=True)
        created = CrimeCount.objects.bulk_create(
            [
                CrimeCount(
                    source=source,
                    territory_id=row["ubigeo"],
                    year=row["year"],
                    category_id=categories.get(row["crime_type"]),
                    modality=row["crime_type"],
                    count=row["n"],
                    is_demo=True,
                )
                for row in rows
            ],
            batch_size=2000,
        )
    bump_generation("observatory")
    return len(created)
