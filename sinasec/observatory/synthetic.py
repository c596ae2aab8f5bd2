"""The districts the synthetic incident generator (:mod:`sinasec.incidents.synthetic`)
draws around, from the territories: the INEI directory shipped with the system with the
districts' areas, or the Territory and Population tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from django.conf import settings

from sinasec.incidents.synthetic import Districts, load_districts
from sinasec.territories.models import Level, Population
from sinasec.territories.reference import inei_rows
from sinasec.territories.selectors import latest_population_year

DIRECTORY = "ubigeo_inei_2025.csv"


def district_areas() -> dict[str, float | None]:
    """Area of each district (km²) from the INEI code list shipped with the system."""
    return {r.ubigeo: r.area_km2 for r in inei_rows() if r.level == "district"}


def shipped_districts(path: Path | None = None) -> Districts:
    """Capitals, population and areas of the districts from the INEI municipal directory
    (``path``; by default the one in ``settings.SHARED_DATA_DIR``)."""
    if path is None:
        path = Path(settings.SHARED_DATA_DIR) / DIRECTORY
    return load_districts(path, district_areas())


def districts_from_database(year: int | None = None) -> Districts:
    """The same from the Territory and Population tables (the latest year by default)."""
    year = year or latest_population_year()
    if year is None:
        raise ValueError("no population has been imported")
    rows = list(
        Population.objects.filter(
            year=year,
            territory__level=Level.DISTRICT,
            territory__latitude__isnull=False,
            territory__longitude__isnull=False,
            value__gt=0,
        )
        .order_by("territory_id")
        .values_list(
            "territory_id",
            "territory__latitude",
            "territory__longitude",
            "value",
            "territory__area_km2",
        )
    )
    if not rows:
        raise ValueError("no district has population and coordinates for that year")
    codes, lats, lons, people, areas = zip(*rows, strict=True)
    return Districts(
        np.array(codes),
        np.array(lats, float),
        np.array(lons, float),
        np.array(people, float),
        np.array([np.nan if a is None else a for a in areas], float),
    )
