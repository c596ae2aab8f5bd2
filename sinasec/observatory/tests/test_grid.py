"""Grid hot spots from the incident store: a planted cluster is found, noise is not."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings

from sinasec.analytics.grid import project, unproject
from sinasec.incidents import IncidentStore
from sinasec.observatory.grid_hotspots import grid_hotspots


def write_incidents(path: Path, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    lat = rng.uniform(-12.20, -12.00, 4000)
    lon = rng.uniform(-77.10, -76.90, 4000)
    cluster_lat = rng.normal(-12.12, 0.002, 600)  # a few hundred metres across
    cluster_lon = rng.normal(-77.03, 0.002, 600)
    lats, lons = np.concatenate([lat, cluster_lat]), np.concatenate([lon, cluster_lon])
    lines = ["id,date,lat,lon,crime_type"]
    lines += [
        f"{i},2024-03-{1 + i % 28:02d},{a:.6f},{b:.6f},robo"
        for i, (a, b) in enumerate(zip(lats, lons, strict=True))
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_it_round_trips_the_projection() -> None:
    lat, lon = np.array([-12.1, -12.2]), np.array([-77.0, -77.1])
    x, y = project(lat, lon, -12.15, -77.05)
    back_lat, back_lon = unproject(x, y, -12.15, -77.05)
    assert np.allclose(back_lat, lat) and np.allclose(back_lon, lon)
    assert abs(y[0] - y[1]) == pytest.approx(11_119, rel=0.01)  # 0.1 degree of latitude


@pytest.mark.django_db  # the command reads the police stations
def test_it_finds_the_planted_cluster(tmp_path: Path) -> None:
    source = tmp_path / "incidentes.csv"
    write_incidents(source)
    store = IncidentStore(tmp_path / "store")
    store.import_file(source)
    data = grid_hotspots(store, 2024, 500)
    hot = [c for c in data["cells"] if c["class"] == "hot"]
    assert data["incidents"] == 4600 and hot
    for cell in hot:  # every hot cell is at the planted cluster
        assert abs(cell["lat"] + 12.12) < 0.01 and abs(cell["lon"] + 77.03) < 0.01
    with override_settings(INCIDENTS_DIR=tmp_path / "store"):
        out = io.StringIO()
        call_command("observatory", "hotspots", "--year", "2024", "--grid-m", "500", stdout=out)
    assert json.loads(out.getvalue())["cells"] == data["cells"]
