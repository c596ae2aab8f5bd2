"""In real Chromium: a targeting polygon named like an HTML tag is shown as text on the
run's map, never run as markup (the label goes to Leaflet as a text node)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.models import TargetingRun
from sinasec.barrios.tests.test_browser import submit_targeting
from sinasec.barrios.tests.test_targeting_grid import YEAR, cluster_points, square, write_store
from sinasec.conftest import log_in
from sinasec.jobs.models import Job
from sinasec.jobs.tests.support import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

HOSTILE = "<img src=x onerror=window.__xss=1>"
# The code lands in the page's data-values attribute and in its results table too.
HOSTILE_CODE = "Z1'><img src=x onerror=window.__xss=2>"


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
                        "properties": {"codigo": HOSTILE_CODE, "nombre": HOSTILE},
                        "geometry": square(7, 7, 3),
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    log_in(page, analyst.username)
    submit_targeting(page, "polygons", YEAR, {"total": "1"}, polygons)
    # A polygon run goes to the background worker: the page follows the job to the run.
    page.wait_for_url("**/tareas/*/")
    run_worker()
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    run = TargetingRun.objects.get()
    assert run.parameters["polygons"] == "zonas.geojson"
    page.goto(page.url.split("/tareas/")[0] + f"/barrios/focalizacion/{run.pk}/")
    page.wait_for_selector("#map[data-loaded=true]")
    assert page.get_attribute("#map", "data-polygons") == "1"
    page.hover("#map path.leaflet-interactive")
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert tooltip is not None and f"{HOSTILE} ({HOSTILE_CODE})" in tooltip.inner_text()
    assert page.locator("main img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
