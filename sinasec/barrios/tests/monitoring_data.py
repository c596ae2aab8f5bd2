"""Hand-placed incidents around hand-drawn barrios in Miraflores, for the monitoring
tests: every expected count below is known by construction."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from sinasec.analytics.grid import unproject
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.incidents import IncidentStore, synthetic
from sinasec.territories.models import Boundary, Population

MIRAFLORES = "150122"
CENTRE = (-12.12, -77.03)  # lat, lon of the barrio under study
SIDE_M = 500.0  # the barrios are squares of 500 m
DISTRICT_HALF_M = 5_000.0  # the district polygon drawn for the tests: a 10 km square
BARRIO_POPULATION = 8_000
DISTRICT_POPULATION = 100_000
WINDOW = ("2024-01", "2024-12")
LAUNCH = date(2024, 7, 15)  # month index 6 of the window


def at(dx: float, dy: float) -> tuple[float, float]:
    """(lat, lon) ``dx`` metres east and ``dy`` north of the centre."""
    lat, lon = unproject(np.array([dx]), np.array([dy]), *CENTRE)
    return float(lat[0]), float(lon[0])


def square(dx: float, dy: float, side: float = SIDE_M) -> str:
    """GeoJSON of a square of ``side`` metres centred ``dx`` east and ``dy`` north."""
    half = side / 2
    xs = np.array([dx - half, dx + half, dx + half, dx - half, dx - half])
    ys = np.array([dy - half, dy - half, dy + half, dy + half, dy - half])
    lat, lon = unproject(xs, ys, *CENTRE)
    ring = [[round(float(x), 9), round(float(y), 9)] for x, y in zip(lon, lat, strict=True)]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def barrio(name: str, dx: float | None, dy: float = 0.0, **fields: object) -> Barrio:
    """A barrio in Miraflores whose boundary is a square centred at (dx, dy); no
    boundary when ``dx`` is None."""
    launched = BarrioStatus.LAUNCHED if fields.get("launched_on") else BarrioStatus.PLANNED
    defaults: dict[str, object] = {"cohort": "2024", "status": launched, **fields}
    return Barrio.objects.create(
        name=name,
        district_id=MIRAFLORES,
        boundary=square(dx, dy) if dx is not None else "",
        **defaults,
    )


def district_with_population() -> None:
    """A 10 km square as Miraflores' polygon and its 2024 population."""
    text = square(0.0, 0.0, 2 * DISTRICT_HALF_M)
    coordinates = json.loads(text)["coordinates"][0]
    lons, lats = [c[0] for c in coordinates], [c[1] for c in coordinates]
    Boundary.objects.update_or_create(
        territory_id=MIRAFLORES,
        defaults={
            "geometry": text,
            "source": "prueba",
            "min_lon": min(lons),
            "min_lat": min(lats),
            "max_lon": max(lons),
            "max_lat": max(lats),
        },
    )
    Population.objects.update_or_create(
        territory_id=MIRAFLORES,
        year=2024,
        defaults={"value": DISTRICT_POPULATION, "source": "prueba"},
    )


Incident = tuple[date, float | None, float | None]  # day, dx, dy (None: no coordinates)


def write_store(folder: Path, incidents: list[Incident]) -> IncidentStore:
    """An incident store in ``folder`` holding ``incidents`` (all 'robo', Miraflores)."""
    lats: list[float | None] = []
    lons: list[float | None] = []
    for _day, dx, dy in incidents:
        if dx is None or dy is None:
            lats.append(None)
            lons.append(None)
        else:
            lat, lon = at(dx, dy)
            lats.append(round(lat, 7))
            lons.append(round(lon, 7))
    table = pa.table(
        {
            "id": [str(i + 1) for i in range(len(incidents))],
            "date": pa.array([day for day, _x, _y in incidents], pa.date32()),
            "lat": pa.array(lats, pa.float64()),
            "lon": pa.array(lons, pa.float64()),
            "crime_type": ["robo"] * len(incidents),
            "ubigeo": [MIRAFLORES] * len(incidents),
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "incidentes.csv"
    synthetic.write_csv(table, path)
    store = IncidentStore(folder / "store")
    store.import_file(path)
    return store


# Per month of 2024: where the incidents of the monitoring scenario fall (dx, dy in
# metres from the centre) and how many before (months 1-6) and after (7-12) the launch.
COMPARISON_DX = 3_000.0
PLACES = {
    "barrio": ((0.0, 0.0), 3, 1),
    "buffer": ((450.0, 0.0), 1, 2),  # 200 m east of the barrio's edge
    "comparison": ((COMPARISON_DX, 0.0), 2, 2),
    "comparison_buffer": ((COMPARISON_DX + 450.0, 0.0), 1, 1),
    "district_only": ((-2_000.0, 2_000.0), 5, 5),
    "outside": ((-6_000.0, 0.0), 1, 1),  # outside the district polygon
}
EXPECTED = {
    "barrio": [3] * 6 + [1] * 6,
    "buffer": [1] * 6 + [2] * 6,
    "comparison": [2] * 12,
    "comparison_buffer": [1] * 12,
    "district": [3 + 1 + 2 + 1 + 5] * 6 + [1 + 2 + 2 + 1 + 5] * 6,
}


def scenario_incidents() -> list[Incident]:
    incidents: list[Incident] = []
    for month in range(1, 13):
        for (dx, dy), before, after in PLACES.values():
            for k in range(before if month <= 6 else after):
                incidents.append((date(2024, month, 1 + k), dx + 10 * k, dy))
    incidents.append((date(2024, 3, 9), None, None))  # no coordinates, ubigeo only
    return incidents
