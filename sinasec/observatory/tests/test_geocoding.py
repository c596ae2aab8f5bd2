"""Geocoding quality: forced placements (police stations) are left out of the grid hot
spots by default, said how many and where, and counted on request."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from sinasec.core.errors import ImportRejected
from sinasec.incidents import IncidentStore
from sinasec.incidents.geocoding import StackRule, usable_points
from sinasec.observatory.grid_hotspots import grid_hotspots
from sinasec.territories.models import PoliceStation
from sinasec.territories.services import import_police_stations

# Ten police stations of a synthetic city, well inside its 0.2 x 0.2 degree square.
pytestmark = pytest.mark.django_db

STATIONS = [(-12.18 + 0.016 * i, -77.08 + 0.016 * i) for i in range(10)]
CELL_M = 500


def synthetic_city(path: Path, *, with_field: bool = False, seed: int = 3) -> None:
    """4,000 incidents in March 2024: 80 % scattered over the city, 20 % (80 per
    station) forced onto the ten stations' points."""
    rng = np.random.default_rng(seed)
    n, forced = 4000, 800
    lat = list(rng.uniform(-12.20, -12.00, n - forced))
    lon = list(rng.uniform(-77.10, -76.90, n - forced))
    quality = ["EXACTA"] * (n - forced)
    for i in range(forced):
        station = STATIONS[i % len(STATIONS)]
        lat.append(station[0])
        lon.append(station[1])
        quality.append("GEO FORZADA AL CENTROIDE DE COMISARIA")
    header = "id,date,lat,lon,crime_type,ubigeo" + (",calidad_geo" if with_field else "")
    lines = [header]
    for i in range(n):
        ubigeo = "150101" if i % 2 else "150122"
        row = f"{i},2024-03-{1 + i % 28:02d},{lat[i]:.6f},{lon[i]:.6f},robo,{ubigeo}"
        lines.append(row + (f",{quality[i]}" if with_field else ""))
    path.write_text("\n".join(lines), encoding="utf-8")


def station_cells_hot(data: Mapping[str, Any]) -> int:
    """How many of the ten stations lie in a hot cell (within half a cell's diagonal of
    a hot cell's centre)."""
    hot = [c for c in data["cells"] if c["class"] == "hot"]
    half = CELL_M / 111_000 * 0.75
    return sum(
        any(abs(c["lat"] - s[0]) < half and abs(c["lon"] - s[1]) < half for c in hot)
        for s in STATIONS
    )


def test_it_leaves_inferred_station_stacks_out_of_the_hot_spots(tmp_path: Path) -> None:
    source = tmp_path / "incidentes.csv"
    synthetic_city(source)  # no quality field: the stacks are inferred
    store = IncidentStore(tmp_path / "store")
    store.import_file(source)
    data = grid_hotspots(store, 2024, CELL_M)
    assert data["incidents"] == 3200
    assert station_cells_hot(data) == 0
    assert data["left_out"]["total"] == 800
    assert data["left_out"]["by_quality"] == {"forced": 800}
    assert data["left_out"]["by_district"] == {"150101": 400, "150122": 400}
    with override_settings(INCIDENTS_DIR=tmp_path / "store"):
        out = io.StringIO()
        call_command(
            "observatory", "hotspots", "--year", "2024", "--grid-m", str(CELL_M),
            "--include-forced", stdout=out,
        )  # fmt: skip
    included = json.loads(out.getvalue())
    assert included["incidents"] == 4000 and included["left_out"]["total"] == 0
    assert station_cells_hot(included) == 10


def test_it_reads_the_sources_own_field(tmp_path: Path) -> None:
    source = tmp_path / "sidpol.csv"
    synthetic_city(source, with_field=True)
    store = IncidentStore(tmp_path / "store")
    store.import_file(source)
    counts = {
        r["geo_quality"]: r["n"]
        for r in store.query("SELECT geo_quality, count(*) AS n FROM incidents GROUP BY 1")
    }
    assert counts == {"exact": 3200, "forced_station": 800}
    # Even with a threshold no stack reaches, the source's word is enough.
    _points, dropped = usable_points(store, ["year = 2024"], [], rule=StackRule(10_000))
    assert dropped["by_quality"] == {"forced_station": 800}


def test_it_infers_stacks_per_period_from_the_threshold(tmp_path: Path) -> None:
    source = tmp_path / "incidentes.csv"
    synthetic_city(source)
    store = IncidentStore(tmp_path / "store")
    store.import_file(source)
    # 80 incidents per station in the month: a threshold of 81 finds no stack.
    _points, dropped = usable_points(store, ["year = 2024"], [], rule=StackRule(81, "month"))
    assert dropped["total"] == 0
    _points, dropped = usable_points(store, ["year = 2024"], [], rule=StackRule(80, "year"))
    assert dropped["total"] == 800


def test_it_reads_a_store_written_before_the_column(tmp_path: Path) -> None:
    """Schema evolution: a partition without ``geo_quality`` reads as unknown, beside
    a newer one that has it."""
    store = IncidentStore(tmp_path / "store")
    old = tmp_path / "store" / "versions" / "v1" / "year=2023" / "month=1"
    old.mkdir(parents=True)
    duckdb.sql(
        "COPY (SELECT 'a' AS id, DATE '2023-01-05' AS date, NULL::TIMESTAMP AS datetime, "
        "-12.1 AS lat, -77.0 AS lon, 'robo' AS crime_type, '150101' AS ubigeo) "
        f"TO '{old / 'data_0.parquet'}' (FORMAT PARQUET)"
    )
    (tmp_path / "store" / "CURRENT").write_text("v1\n", encoding="utf-8")
    assert store.query("SELECT id, geo_quality FROM incidents") == [
        {"id": "a", "geo_quality": None}
    ]
    source = tmp_path / "new.csv"
    source.write_text(
        "id,date,lat,lon,crime_type,ubigeo,calidad_geo\n"
        "b,2024-02-01,,,robo,150101,SIN COORDENADA\n"
        "c,2023-01-09,-12.2,-77.0,robo,150101,exacta\n",
        encoding="utf-8",
    )
    store.import_file(source)  # merges into the old partition of January 2023
    assert store.query("SELECT id, geo_quality FROM incidents ORDER BY id") == [
        {"id": "a", "geo_quality": None},
        {"id": "b", "geo_quality": "none"},
        {"id": "c", "geo_quality": "exact"},
    ]


def test_it_shows_the_share_of_usable_coordinates_per_district_and_month(
    tmp_path: Path, client: Client
) -> None:
    source = tmp_path / "incidentes.csv"
    synthetic_city(source)
    with override_settings(INCIDENTS_DIR=tmp_path / "store"):
        IncidentStore(tmp_path / "store").import_file(source)
        page = client.get("/observatorio/coordenadas/", {"anio": "2024"})
        download = client.get("/observatorio/coordenadas.csv", {"anio": "2024"})
    assert page.status_code == 200 and 'data-ubigeo="150101"' in page.content.decode()
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "ubigeo,year,month,incidents,usable,forced,no_point,usable_pct"
    # Each district: 2,000 incidents in March, 400 of them stacked on the stations.
    assert sorted(lines[1:]) == [
        "150101,2024,3,2000,1600,400,0,80.0",
        "150122,2024,3,2000,1600,400,0,80.0",
    ]


def stations_csv(rows: list[tuple[float, float]]) -> bytes:
    lines = ["codigo;nombre;ubigeo;latitud;longitud"]
    lines += [f"C{i};Comisaría {i};150101;{a};{b}" for i, (a, b) in enumerate(rows)]
    return "\n".join(lines).encode()


def test_it_confirms_stacks_near_a_registered_police_station(tmp_path: Path, admin: User) -> None:
    source = tmp_path / "incidentes.csv"
    synthetic_city(source)
    store = IncidentStore(tmp_path / "store")
    store.import_file(source)
    # Six of the ten stations registered, each about 50 m from its stack.
    result = import_police_stations(
        admin, "comisarias.csv", stations_csv([(a + 0.0004, b) for a, b in STATIONS[:6]])
    )
    assert result.created == 6
    with override_settings(INCIDENTS_DIR=tmp_path / "store"):
        out = io.StringIO()
        call_command("observatory", "hotspots", "--year", "2024", "--grid-m", "500", stdout=out)
    data = json.loads(out.getvalue())
    assert data["left_out"]["by_quality"] == {"forced_station": 480, "forced": 320}


def test_it_refuses_a_police_station_file_with_a_bad_row(admin: User) -> None:
    data = stations_csv([(-12.1, -77.0), (12.1, -77.0)])
    with pytest.raises(ImportRejected) as info:
        import_police_stations(admin, "comisarias.csv", data)
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "latitud")]
    assert not PoliceStation.objects.exists()


def test_it_edits_the_geocoding_values_table_and_audits_it(
    tmp_path: Path, admin: User, settings: Any
) -> None:
    from sinasec.audit.models import AuditEvent

    table = tmp_path / "valores.csv"
    table.write_text("value,quality\nSIN COORDENADA,none\n", encoding="utf-8")
    settings.GEOCODING_VALUES_FILE = table
    out = io.StringIO()
    call_command(
        "observatory", "geocoding-values", "--set", "geo  forzada a serenazgo=forced_centroid",
        "--as", admin.username, stdout=out,
    )  # fmt: skip
    assert out.getvalue().splitlines() == [
        "GEO FORZADA A SERENAZGO\tforced_centroid",
        "SIN COORDENADA\tnone",
    ]
    event = AuditEvent.objects.get(action="observatory.set_geocoding_value")
    assert event.actor == admin and (event.after or {}).get("quality") == "forced_centroid"
    # The next import reads the new row.
    source = tmp_path / "inc.csv"
    source.write_text(
        "id,date,lat,lon,crime_type,calidad_geo\n1,2024-01-02,-12.1,-77.0,robo,Geo forzada a serenazgo\n",
        encoding="utf-8",
    )
    store = IncidentStore(tmp_path / "store")
    store.import_file(source)
    assert store.query("SELECT geo_quality FROM incidents") == [{"geo_quality": "forced_centroid"}]
    with pytest.raises(CommandError):
        call_command(
            "observatory", "geocoding-values", "--set", "X=nowhere", "--as", admin.username
        )
    assert table.read_text(encoding="utf-8").count("\n") == 3  # unchanged by the refusal
