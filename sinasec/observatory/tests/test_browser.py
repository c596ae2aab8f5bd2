"""An anonymous visitor filters the public dashboard, sees the map and the chart
change, and downloads the CSV of what is shown. In real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from sinasec.observatory.services import load_seed_demo
from sinasec.territories.services import import_boundaries

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_it_lets_the_public_filter_the_dashboard_and_download_it(
    page, admin: User, shared_data: Path
) -> None:
    load_seed_demo()
    for level, name in (
        ("department", "peru_departamental_simple.geojson"),
        ("province", "peru_provincial_simple.geojson"),
    ):
        import_boundaries(admin, name, (shared_data / name).read_bytes(), level)
    page.goto(page.base + "/observatorio/")
    page.wait_for_selector("#map[data-loaded=true]")
    assert page.get_attribute("[data-testid=panel]", "data-year") == "2008"
    assert page.get_attribute("#map", "data-polygons") == "25"

    page.select_option("[data-testid=filters] select[name=anio]", "2005")
    page.wait_for_selector("[data-testid=panel][data-year='2005']")
    page.select_option("[data-testid=filters] select[name=territorio]", "15")
    page.wait_for_selector("[data-testid=panel][data-territory='15']")
    page.wait_for_selector("#map[data-loaded=true]")
    assert int(page.get_attribute("#map", "data-polygons") or 0) == 1 + 10  # Lima and its provinces
    rows = page.locator("[data-testid=table] tbody tr")
    assert rows.count() == 1 and "75" in rows.first.inner_text()  # Lima 2005: 75,406
    assert page.get_attribute("[data-testid=trend]", "data-points") == "9"  # 2000-2008, Lima only
    page.wait_for_selector("[data-testid=trend][data-rendered=true]")  # ECharts drew it
    row = page.locator("[data-testid=trend-table] tbody tr").nth(5)
    assert (row.text_content() or "").replace("\xa0", "").startswith("200575")

    with page.expect_download() as info:
        page.click("[data-testid=download-csv]")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("año,puesto,ubigeo,nombre,delitos")
    assert text.splitlines()[1].startswith("2005,1,15,Lima,75406,")
    assert len(text.splitlines()) == 2
