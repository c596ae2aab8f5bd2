"""In real Chromium: the Barrio Seguro team draws a barrio's boundary on the map, over
its district's outline, corner by corner."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from sinasec.audit.models import AuditEvent
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.conftest import log_in
from sinasec.territories.models import Boundary

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

WEST, SOUTH, EAST, NORTH = -77.06, -12.14, -77.01, -12.10  # a box standing for Miraflores


def test_the_team_draws_a_barrio_boundary_on_the_map(page, admin: User) -> None:
    ring = [[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]
    Boundary.objects.create(
        territory_id="150122",
        geometry=json.dumps({"type": "Polygon", "coordinates": [ring]}),
        source="test",
        min_lon=WEST,
        min_lat=SOUTH,
        max_lon=EAST,
        max_lat=NORTH,
    )
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2026", status=BarrioStatus.PLANNED
    )
    log_in(page, admin.username)
    page.goto(page.base + f"/barrios/{barrio.pk}/")
    page.wait_for_selector("#barrio-map[data-loaded=true]")
    assert page.get_attribute("#barrio-map", "data-polygons") == "0"
    page.click("[data-testid=draw-start]")
    page.locator("#barrio-map").scroll_into_view_if_needed()
    box = page.locator("#barrio-map").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-40, -30), (40, -30), (40, 30), (-40, 30)):  # clockwise on screen
        page.mouse.click(cx + dx, cy + dy)
        page.wait_for_timeout(350)  # a person's pace: not a double click
    assert page.get_attribute("[data-testid=draw-count]", "data-points") == "4"
    page.click("[data-testid=draw-save]")
    page.wait_for_selector("#barrio-map[data-polygons='1']")

    barrio.refresh_from_db()
    drawn = json.loads(barrio.boundary)
    corners = drawn["coordinates"][0]
    assert drawn["type"] == "Polygon" and len(corners) == 5 and corners[0] == corners[-1]
    assert all(WEST < lon < EAST and SOUTH < lat < NORTH for lon, lat in corners)
    event = AuditEvent.objects.filter(action="barrios.set_boundary").get()
    assert event.actor == admin and (event.after or {}).get("file") == "dibujo.geojson"
