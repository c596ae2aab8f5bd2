"""Targeting on a grid of cells and on custom polygons, from the incident store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.utils.translation import override

from sinasec.analytics.targeting.index import (
    IndicatorChoice,
    TargetingError,
    TargetingParams,
    compare,
    score,
)
from sinasec.analytics.targeting.units import GridGeometry, pack, unpack
from sinasec.barrios.models import BarrioStatus, TargetingRun
from sinasec.barrios.targeting.data import run_targeting
from sinasec.barrios.targeting.services import create_barrio_from_target, run_and_store_targeting
from sinasec.incidents import IncidentStore
from sinasec.jobs.models import Job
from sinasec.jobs.tests.support import run_worker

YEAR = 2024
LAT, LON = -12.12, -77.03  # Miraflores
HEADER = "id,date,lat,lon,crime_type,ubigeo"
CELL_M = 250.0
DEG_LAT = CELL_M / GridGeometry(0, 0, LAT, CELL_M, 1, 1).ky  # one cell north-south
DEG_LON = CELL_M / GridGeometry(0, 0, LAT, CELL_M, 1, 1).kx  # one cell east-west


def write_store(path: Path, points: list[tuple[float, float, str]]) -> IncidentStore:
    lines = [HEADER] + [
        f"{i},{YEAR}-0{i % 9 + 1}-10,{lat:.7f},{lon:.7f},{kind},150122"
        for i, (lat, lon, kind) in enumerate(points, start=1)
    ]
    csv = path / "incidents.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = IncidentStore(path / "store")
    store.import_file(csv)
    return store


def cell_centre(row: int, col: int) -> tuple[float, float]:
    """A point in the middle of cell (row, col) of a grid whose corner is (LAT, LON)."""
    return LAT - (row + 0.5) * DEG_LAT, LON + (col + 0.5) * DEG_LON


def square(row: int, col: int, size: int) -> dict[str, Any]:
    """A polygon of size x size cells whose north-west cell is (row, col)."""
    north, west = LAT - row * DEG_LAT, LON + col * DEG_LON
    south, east = north - size * DEG_LAT, west + size * DEG_LON
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def cluster_points() -> list[tuple[float, float, str]]:
    """A 16 x 16 block of cells: a theft on the north-west corner and one in the middle
    of cell (15, 15) fix the extent; 30 robberies in each of the 3 x 3 cells around
    (8, 8), 2 homicides in (8, 8), one robbery in every 4th cell of every 4th row."""
    points = [(LAT, LON, "hurto"), (*cell_centre(15, 15), "hurto")]
    for row in range(7, 10):
        for col in range(7, 10):
            points += [(*cell_centre(row, col), "robo")] * 30
    points += [(*cell_centre(8, 8), "homicidio")] * 2
    for row in range(0, 16, 4):
        for col in range(2, 16, 4):
            points.append((*cell_centre(row, col), "robo"))
    return points


@pytest.fixture
def store(tmp_path: Path, settings: Any) -> IncidentStore:
    settings.INCIDENTS_DIR = tmp_path / "store"
    return write_store(tmp_path, cluster_points())


GRID = TargetingParams(
    year=YEAR,
    unit="grid",
    cell_size_m=CELL_M,
    indicators=(IndicatorChoice("count:robo", 1.0), IndicatorChoice("homicides", 1.0)),
)


def test_it_packs_arrays_losslessly() -> None:
    values = np.array([0, 3, 2**31 - 1], dtype=np.int32)
    back = unpack(pack(values))
    assert back.dtype == np.int32 and back.tolist() == values.tolist()


@override("en")
def test_it_refuses_a_grid_without_a_cell_size_or_with_a_rate() -> None:
    with pytest.raises(TargetingError, match="cell size"):
        TargetingParams(year=YEAR, unit="grid", indicators=(IndicatorChoice("total"),))
    with pytest.raises(TargetingError, match="no rate"):
        TargetingParams(year=YEAR, unit="grid", cell_size_m=CELL_M)
    with pytest.raises(TargetingError, match="filters"):
        TargetingParams(
            year=YEAR,
            unit="grid",
            cell_size_m=CELL_M,
            indicators=(IndicatorChoice("total"),),
            urban=True,
        )


@pytest.mark.django_db
def test_it_bins_the_incidents_of_the_store_into_cells(store: IncidentStore) -> None:
    result = run_targeting(GRID)
    grid = GridGeometry.from_dict(result.snapshot["grid"])
    assert (grid.n_rows, grid.n_cols) == (16, 16)
    assert result.summary["ranked"] == 256  # zeros are counts here, every cell ranked
    first = result.units[0]
    assert first["ubigeo"] == "F8C8" and first["rank"] == 1
    assert first["values"] == {"count:robo": 30.0, "homicides": 2.0}
    assert first["score"] == pytest.approx(1.0)  # the highest of both indicators
    assert sum(first["contributions"].values()) == pytest.approx(first["score"])
    # The eight neighbours: 30 robberies, no homicide, half the index.
    assert {u["ubigeo"] for u in result.units[1:9]} == {
        f"F{r}C{c}" for r in range(7, 10) for c in range(7, 10)
    } - {"F8C8"}
    assert all(u["score"] == pytest.approx(0.5) for u in result.units[1:9])
    points = cluster_points()
    assert result.snapshot["incidents"] == {
        "on_grid": len(points),
        "outside": 0,
        "unlocated": 0,
        "forced": 0,
    }
    index = grid.index_of("F8C8")
    assert index is not None
    lon, lat = grid.centres([index])
    # The grid's cos(latitude) is taken at its middle, a hair from LAT: 0.1 m here.
    assert (lat[0], lon[0]) == pytest.approx(cell_centre(8, 8), abs=1e-5)


@pytest.mark.django_db
def test_it_marks_the_cluster_as_a_hot_spot_with_fdr(store: IncidentStore) -> None:
    result = run_targeting(GRID)
    by_code = {u["ubigeo"]: u for u in result.units}
    assert by_code["F8C8"]["hotspot"] == "hot"
    assert result.summary["hotspots"]["hot"] >= 9
    assert by_code["F0C0"]["hotspot"] != "hot"
    assert sum(result.summary["hotspots"].values()) == 256


@pytest.mark.django_db
def test_it_reproduces_a_grid_run_from_its_snapshot(store: IncidentStore, analyst: User) -> None:
    run = run_and_store_targeting(analyst, GRID)
    again = score(TargetingParams.from_dict(run.parameters), run.data_snapshot)
    assert compare(run.results["units"], again.units)
    assert run.results["summary"] == again.summary


@pytest.mark.django_db
def test_it_creates_a_barrio_with_the_cell_as_its_boundary(
    store: IncidentStore, analyst: User, admin: User
) -> None:
    from sinasec.territories.models import Boundary

    # Miraflores drawn as a box around the grid (the point is which district holds it).
    west, south, east, north = LON - 0.01, LAT - 0.05, LON + 0.05, LAT + 0.01
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    Boundary.objects.create(
        territory_id="150122",
        geometry=json.dumps({"type": "Polygon", "coordinates": [ring]}),
        source="test",
        min_lon=west,
        min_lat=south,
        max_lon=east,
        max_lat=north,
    )
    run = run_and_store_targeting(analyst, GRID)
    barrio = create_barrio_from_target(admin, run.pk, "F8C8", "Manzana 8")
    assert barrio.status == BarrioStatus.TARGETED and barrio.district_id == "150122"
    ring = json.loads(barrio.boundary)["coordinates"][0]
    assert len(ring) == 5
    lat, lon = cell_centre(8, 8)
    assert min(x for x, _y in ring) < lon < max(x for x, _y in ring)
    assert min(y for _x, y in ring) < lat < max(y for _x, y in ring)


@pytest.mark.django_db
def test_it_ranks_custom_polygons_with_rates_where_population_is_known(
    store: IncidentStore,
) -> None:
    features: list[dict[str, Any]] = [
        {"code": "A", "name": "Centro", "population": 12_000, "geometry": square(7, 7, 3)},
        {"code": "B", "name": "Este", "population": None, "geometry": square(7, 10, 3)},
        {"code": "C", "name": "Oeste", "population": 9_000, "geometry": square(1, 0, 2)},
    ]
    params = TargetingParams(
        year=YEAR,
        unit="polygons",
        polygons="test.geojson",
        indicators=(IndicatorChoice("rate"), IndicatorChoice("total")),
    )
    result = run_targeting(params, features)
    by_code = {u["ubigeo"]: u for u in result.units}
    # A: the 3 x 3 block (270 robberies, 2 homicides); B: cells (8, 10) has one robbery.
    assert by_code["A"]["values"] == {"rate": pytest.approx(272 * 100_000 / 12_000), "total": 272}
    assert by_code["B"]["values"] == {"rate": None, "total": 1.0}
    assert by_code["B"]["missing"] == ["rate"]  # unknown population: unknown rate, not 0
    assert by_code["C"]["values"] == {"rate": 0.0, "total": 0.0}  # known and none
    assert result.units[0]["ubigeo"] == "A"
    assert by_code["A"]["hotspot"] == "not_tested"  # three units: too few to test
    assert sorted(result.snapshot["units"][0]["neighbours"]) == ["B"]


@pytest.mark.django_db
def test_the_pages_run_a_grid_and_show_its_cells(
    store: IncidentStore, analyst: User, admin: User, client: Any
) -> None:
    client.force_login(analyst)
    response = client.post(
        "/barrios/focalizacion/",
        {
            "unit": "grid",
            "year": YEAR,
            "cell_size_m": "250",
            "indicator-0": "count:robo",
            "weight-0": "1",
        },
    )
    # A run over the incident store goes to the background worker: the page shows the
    # job, whose result links to the run once `sinasec worker` has run it.
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/tareas/{job.pk}/"
    assert not TargetingRun.objects.exists()
    run_worker()
    run = TargetingRun.objects.get()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and run.created_by == analyst
    assert (job.result or {})["url"] == f"/barrios/focalizacion/{run.pk}/"
    assert f'href="/barrios/focalizacion/{run.pk}/"' in client.get(response.url).content.decode()
    page = client.get(f"/barrios/focalizacion/{run.pk}/").content.decode()
    assert 'data-testid="grid-facts"' in page and 'data-ubigeo="F8C8"' in page
    shapes = client.get(f"/barrios/focalizacion/{run.pk}/mapa.geojson").json()
    first = shapes["features"][0]
    assert first["geometry"]["type"] == "Polygon" and first["properties"]["rank"] >= 1
    assert len(shapes["features"]) == 100  # the first 100 of 256 by default
    explained = client.get(f"/barrios/focalizacion/{run.pk}/F8C8/").content.decode()
    assert 'data-testid="create-barrio-form"' not in explained  # the analyst reads only
    client.force_login(admin)
    explained = client.get(f"/barrios/focalizacion/{run.pk}/F8C8/").content.decode()
    assert 'data-testid="create-barrio-form"' in explained
    assert client.get(f"/barrios/focalizacion/{run.pk}/F99C0/").status_code == 404


@pytest.mark.django_db
def test_an_uploaded_polygon_file_with_a_bad_feature_is_refused_naming_it(
    store: IncidentStore, analyst: User, client: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = {
        "type": "Polygon",
        "coordinates": [[[-77.0, -12.1], [-77.0, -12.0], [-76.9, -12.0], [-77.0, -12.1]]],
    }
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[-77.0, -12.1], [-76.9, -12.0], [-76.9, -12.1], [-77.0, -12.0], [-77.0, -12.1]]
        ],
    }
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"codigo": "Z1"}, "geometry": good},
            {"type": "Feature", "properties": {"codigo": "Z2"}, "geometry": bowtie},
        ],
    }
    client.force_login(analyst)
    response = client.post(
        "/barrios/focalizacion/",
        {
            "unit": "polygons",
            "year": YEAR,
            "indicator-0": "total",
            "polygons_file": SimpleUploadedFile("zonas.geojson", json.dumps(document).encode()),
        },
        headers={"accept-language": "en"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "zonas.geojson" in text and "Self-intersection" in text
    assert not TargetingRun.objects.exists()
    document["features"] = document["features"][:1]
    response = client.post(
        "/barrios/focalizacion/",
        {
            "unit": "polygons",
            "year": YEAR,
            "indicator-0": "total",
            "polygons_file": SimpleUploadedFile("zonas.geojson", json.dumps(document).encode()),
        },
    )
    assert response.status_code == 302 and not TargetingRun.objects.exists()
    run_worker()
    run = TargetingRun.objects.get()
    assert run.parameters["polygons"] == "zonas.geojson"
    assert [u["ubigeo"] for u in run.results["units"]] == ["Z1"]
