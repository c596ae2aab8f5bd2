"""The national analyst runs a targeting at district level in real Chromium, opens a
district's explanation and creates a barrio from the result."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.models import Barrio, BarrioStatus, TargetingRun
from sinasec.barrios.tests.test_targeting import HIGHEST, YEAR, sidpol_counts
from sinasec.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def submit_targeting(
    page: Any, unit: str, year: int, weights: dict[str, str], polygons: Path | None = None
) -> None:
    """Fill the targeting form (unit, year, indicators with their weights, the polygons
    file) and run it."""
    page.goto(page.base + "/barrios/focalizacion/")
    form = "[data-testid=targeting-form]"
    page.select_option(f"{form} select[name=unit]", unit)
    page.select_option(f"{form} select[name=year]", str(year))
    for i, (indicator, weight) in enumerate(weights.items()):
        page.select_option(f"{form} select[name=indicator-{i}]", indicator)
        page.fill(f"{form} input[name=weight-{i}]", weight)
    if polygons is not None:
        page.set_input_files(f"{form} input[name=polygons_file]", str(polygons))
    page.click("[data-testid=run-targeting]")


@pytest.mark.usefixtures("reference_data", "population_2025")  # in this order
def test_the_analyst_runs_a_targeting_explains_a_district_and_the_admin_creates_a_barrio(
    page, analyst: User, secretary: User, admin: User
) -> None:
    sidpol_counts()
    log_in(page, analyst.username)
    submit_targeting(page, "district", YEAR, {"rate": "1", "homicides": "1"})
    page.wait_for_selector("[data-testid=results] tbody tr[data-ubigeo]")

    run = TargetingRun.objects.get()
    assert run.created_by == analyst and run.parameters["unit"] == "district"
    assert [i["key"] for i in run.parameters["indicators"]] == ["rate", "homicides"]
    first = page.locator("[data-testid=results] tbody tr").first
    assert first.get_attribute("data-ubigeo") == HIGHEST
    page.wait_for_selector("#map[data-loaded=true]")
    assert int(page.get_attribute("#map", "data-points") or 0) > 0  # capitals: no polygons

    first.locator("[data-testid=explain]").click()
    page.wait_for_selector("[data-testid=explanation]")
    assert page.inner_text("[data-testid=rank]").startswith("1 /")
    assert page.locator("[data-testid=explanation] tbody tr").count() == 2
    homicides = page.inner_text("[data-testid=explanation] tr[data-indicator=homicides]")
    assert "0.5000" in homicides or "0,5000" in homicides  # relative weight 1 of 2

    # The read-only analyst is offered no barrio creation (issue 16); the admin is.
    assert page.locator("[data-testid=create-barrio-form]").count() == 0
    unit_url = page.url
    log_in(page, admin.username)
    page.goto(unit_url)
    page.fill("[data-testid=create-barrio-form] input[name=name]", "Huáscar")
    page.click("[data-testid=create-barrio]")
    page.wait_for_selector("[data-testid=barrios] li[data-status=targeted]")

    barrio = Barrio.objects.get(district_id=HIGHEST)
    assert (barrio.status, barrio.name, barrio.region_id) == (
        BarrioStatus.TARGETED,
        "Huáscar",
        "1501",
    )
    assert re.search(rf"\b{run.pk}\b", barrio.note)  # the run, in any language

    csv = page.request.get(page.base + f"/barrios/focalizacion/{run.pk}/resultados.csv")
    assert csv.ok and HIGHEST in csv.text()

    log_in(page, secretary.username)
    response = page.goto(page.base + "/barrios/focalizacion/")
    assert response is not None and response.status == 403
