"""In real Chromium: the Barrio Seguro team uploads a barrio's boundary and sees it on
the map, records MINSA's commitment; MINSA's focal point reports a delivery; the
barrio x sector matrix shows the coverage."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.models import Barrio, BarrioStatus, Commitment, Delivery
from sinasec.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# A block of Miraflores, longitude first.
BOUNDARY = {
    "type": "Feature",
    "properties": {"nombre": "Santa Cruz"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [
                [-77.03, -12.12],
                [-77.02, -12.12],
                [-77.02, -12.11],
                [-77.03, -12.11],
                [-77.03, -12.12],
            ]
        ],
    },
}


def test_the_team_maps_a_barrio_and_commits_a_sector_which_reports_its_delivery(
    page, admin: User, other_focal_point: User, tmp_path: Path
) -> None:
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2026", status=BarrioStatus.LAUNCHED
    )
    geojson = tmp_path / "santa-cruz.geojson"
    geojson.write_text(json.dumps(BOUNDARY), encoding="utf-8")
    today = date.today()

    log_in(page, admin.username)
    page.click("[data-testid=nav-barrios]")
    page.wait_for_selector("[data-testid=barrios]")
    page.click(f"[data-testid=barrios] tr[data-barrio-id='{barrio.pk}'] a")
    page.wait_for_selector("[data-testid=no-boundary]")
    page.set_input_files("[data-testid=boundary-form] input[name=file]", str(geojson))
    page.click("[data-testid=upload-boundary]")
    page.wait_for_selector("#barrio-map[data-loaded=true]")
    assert page.get_attribute("#barrio-map", "data-polygons") == "1"
    assert page.locator("#barrio-map path.leaflet-interactive").count() >= 1
    barrio.refresh_from_db()
    assert json.loads(barrio.boundary)["type"] == "Polygon"

    form = "[data-testid=commitment-form]"
    page.select_option(f"{form} select[name=sector]", "MINSA")
    page.fill(f"{form} input[name=description]", "Campañas de salud mental")
    page.fill(f"{form} input[name=unit]", "campañas")
    page.fill(f"{form} input[name=target]", "20")
    page.fill(f"{form} input[name=starts_on]", (today - timedelta(days=30)).isoformat())
    page.fill(f"{form} input[name=ends_on]", (today + timedelta(days=30)).isoformat())
    page.click("[data-testid=add-commitment]")
    page.wait_for_selector("[data-testid=commitment-table] tr[data-sector=MINSA]")
    commitment = Commitment.objects.get(barrio=barrio)
    assert (commitment.sector.acronym, commitment.target) == ("MINSA", 20)

    log_in(page, other_focal_point.username)  # MINSA's focal point
    page.goto(page.base + f"/barrios/{barrio.pk}/")
    form = "[data-testid=delivery-form]"
    page.select_option(f"{form} select[name=commitment]", str(commitment.pk))
    page.fill(f"{form} input[name=delivered_on]", today.isoformat())
    page.fill(f"{form} input[name=quantity]", "5")
    page.click("[data-testid=report-delivery]")
    row = f"[data-testid=commitment-table] tr[data-commitment-id='{commitment.pk}']"
    page.wait_for_function(
        f"document.querySelector(\"{row} [data-testid=delivered]\").textContent.trim() === '5'"
    )
    assert Delivery.objects.get().reported_by == other_focal_point
    assert page.locator("[data-testid=commitment-form]").count() == 0  # not the team

    page.click("[data-testid=links] a[href='/barrios/articulacion/']")
    cell = page.locator(
        f"[data-testid=matrix] tr[data-barrio-id='{barrio.pk}'] td[data-sector=MINSA]"
    )
    cell.wait_for()
    assert (cell.get_attribute("data-target"), cell.get_attribute("data-delivered")) == ("20", "5")
    assert cell.get_attribute("data-coverage") == "25.0"
    gap = f"[data-testid=matrix] tr[data-barrio-id='{barrio.pk}'] td[data-sector=MINEDU]"
    assert page.get_attribute(gap, "data-gap") == "true"
