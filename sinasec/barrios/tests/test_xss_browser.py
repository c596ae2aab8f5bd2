"""In real Chromium: a targeting polygon named like an HTML tag is shown as text on the
run's map, never run as markup (the label goes to Leaflet as a text node)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.models import TargetingRun
from sinasec.barrios.tests.test_targeting_grid import (
    DEG_LAT,
    DEG_LON,
    LAT,
    LON,
    YEAR,
    cluster_points,
    write_store,
)
from sinasec.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

HOSTILE = "<img src=x onerror=window.__xss=1>"


def square(row: int, col: int, size: int) -> dict[str, Any]:
    north, west = LAT - row * DEG_LAT, LON + col * DEG_LON
    south, east = north - size * DEG_LAT, west + size * DEG_LON
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_a_hostile_polygon_name_shows_as_text_on_the_run_map_and_runs_no_script(
    page: Any, analyst: User, tmp_path: Path, settings: Any
) -> None:
    settings.INCIDENTS_DIR = tmp_path / "store"
    write_store(tmp_path, cluster_points())
    polygons = tmp_path / "zonas.geojson"
    polygons.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"codigo": "Z1", "nombre": HOSTILE},
                        "geometry": square(7, 7, 3),
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    log_in(page, analyst.username)
    page.goto(page.base + "/barrios/focalizacion/")
    form = "[data-testid=targeting-form]"
    page.select_option(f"{form} select[name=unit]", "polygons")
    page.select_option(f"{form} select[name=year]", str(YEAR))
    page.select_option(f"{form} select[name=indicator-0]", "total")
    page.set_input_files(f"{form} input[name=polygons_file]", str(polygons))
    page.click("[data-testid=run-targeting]")
    run = TargetingRun.objects.get()
    page.wait_for_url(f"**/barrios/focalizacion/{run.pk}/")
    page.wait_for_selector("#map[data-loaded=true]")
    assert page.get_attribute("#map", "data-polygons") == "1"
    page.hover("#map path.leaflet-interactive")
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert tooltip is not None and HOSTILE in tooltip.inner_text()
    assert page.locator(".leaflet-tooltip img, #map img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
