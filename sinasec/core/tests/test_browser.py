"""Real pages in Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from sinasec.conftest import log_in
from sinasec.territories.services import import_boundaries

# Transactional: the live server runs in another thread with its own connection, so the
# test data must be committed. pytest-django runs these after the other database tests.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_it_lets_a_secretary_browse_to_a_district_and_see_population_and_map(
    page,
    secretary: User,
    population_2025: None,
    admin: User,
    shared_data: Path,
) -> None:
    districts = shared_data / "peru_distrital_simple.geojson"
    import_boundaries(admin, districts.name, districts.read_bytes(), "district", skip_unknown=True)
    log_in(page, secretary.username)
    page.click("nav >> a[href='/territorios/']")
    page.wait_for_selector("[data-testid=national-population]")
    assert page.inner_text("[data-testid=national-population]").replace("\u00a0", ",") in (
        "34,350,244",
        "34.350.244",
        "34 350 244",
    )
    page.click("[data-testid=children] >> text=Lima Metropolitana")
    page.click("[data-testid=children] >> a[href='/territorios/1501/']")
    page.click("[data-testid=children] >> a[href='/territorios/150122/']")
    assert page.locator("h1").inner_text().endswith("Miraflores")
    population = page.inner_text("[data-testid=population]")
    assert population.replace("\u00a0", "").replace(",", "").replace(".", "").isdigit()
    page.wait_for_selector("#map[data-loaded=true]")
    # The district's own polygon (imported) is drawn, as SVG paths in Leaflet's pane.
    assert page.get_attribute("#map", "data-polygons") == "1"
    assert page.locator("#map path.leaflet-interactive").count() == 1


def test_it_draws_capital_points_where_no_polygon_was_imported(
    page,
    population_2025: None,
) -> None:
    page.goto(page.base + "/territorios/1501/")
    page.wait_for_selector("#map[data-loaded=true]")
    assert page.get_attribute("#map", "data-points") == "44"
    assert page.get_attribute("#map", "data-polygons") == "0"
    assert "44" in page.inner_text("[data-testid=map-note]")
    # Leaflet's zoom buttons speak the page's language (titles translated by the server).
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == "Acercar"
    assert page.get_attribute(".leaflet-control-zoom-out", "title") == "Alejar"


def test_it_refuses_the_import_page_to_a_secretary(page, secretary: User) -> None:
    log_in(page, secretary.username)
    response = page.goto(page.base + "/territorios/importar/")
    assert response.status == 403
    assert page.locator("[data-testid=forbidden]").is_visible()


def test_it_shows_the_services_catalogue_by_moment(page) -> None:
    page.goto(page.base + "/servicios/")
    moments = page.locator("[data-moment]")
    assert moments.count() == 3
    assert page.locator("[data-moment=before] [data-type=A] li").count() == 11
    assert page.locator("[data-moment=during] [data-type=D] li").count() == 3
