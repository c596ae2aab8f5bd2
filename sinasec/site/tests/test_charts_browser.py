"""Every chart page in real Chromium, in Spanish (es-PE) and English: each chart drawn by
ECharts with its series and legend, no console error, the CSV download equal to the
chart's JSON, the PNG a PNG, the table alternative there, the maps' legends with the
count of territories without data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.tests import monitoring_data as data
from sinasec.conftest import log_in
from sinasec.observatory.services import load_seed_demo
from sinasec.plans.services import load_national_plan_2010
from sinasec.territories.services import import_boundaries

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# What ECharts holds once drawn: per chart, the number of known points and legend items.
DRAWN = """
() => Array.from(document.querySelectorAll("figure[data-chart]")).map(function (f) {
  var box = f.querySelector(".chart-canvas");
  var chart = window.echarts.getInstanceByDom(box);
  var option = chart.getOption();
  var points = 0;
  option.series.forEach(function (s) {
    if (s.stack) { return; }  // a confidence band, not a series of its own
    s.data.forEach(function (v) { if (v !== null && v !== undefined && v !== "-") { points += 1; } });
  });
  return {
    id: f.dataset.chart,
    testid: f.dataset.testid,
    canvas: box.querySelectorAll("canvas").length,
    points: points,
    legend: option.legend[0].data.length,
    legendShown: option.legend[0].show !== false,
    xName: option.xAxis[0].name,
    yName: option.yAxis[0].name
  };
})
"""


@pytest.fixture
def chart_pages(admin: User, shared_data: Path, settings: Any, tmp_path: Path) -> list[str]:
    """The four pages with charts, with data behind every chart."""
    plan = load_national_plan_2010()
    load_seed_demo()
    name = "peru_departamental_simple.geojson"
    import_boundaries(admin, name, (shared_data / name).read_bytes(), "department")
    data.district_with_population()
    treated = data.barrio(
        "Barrio bajo estudio", 0.0, launched_on=data.LAUNCH, population=data.BARRIO_POPULATION
    )
    control = data.barrio("Barrio de comparación", data.COMPARISON_DX)
    settings.INCIDENTS_DIR = data.write_store(tmp_path, data.scenario_incidents()).root
    query = f"desde=2024-01&hasta=2024-12&buffer=400&comparacion={control.pk}"
    return [
        f"/planes/{plan.pk}/avance/",
        "/observatorio/",
        "/comites/cumplimiento/",
        f"/barrios/{treated.pk}/monitoreo/?{query}",
    ]


def check_csv(page: Any, figure: Any, spec: dict[str, Any]) -> None:
    """The CSV downloaded is the chart's table: same header, same numbers."""
    with page.expect_download() as info:
        figure.locator("[data-chart-csv]").click()
    assert info.value.suggested_filename == spec["file_name"] + ".csv"
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == spec["columns"]
    assert len(rows) == 1 + len(spec["rows"])
    for got, want in zip(rows[1:], spec["rows"], strict=True):
        assert got[0] == want[0]
        for cell, value in zip(got[1:], want[1:], strict=True):
            assert (cell == "") if value is None else float(cell) == pytest.approx(value)


def check_page(page: Any, path: str) -> list[dict[str, Any]]:
    response = page.goto(page.base + path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    figures = page.locator("figure[data-chart]")
    assert figures.count() > 0, path
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('figure[data-chart]'))"
        ".every(function (f) { return f.dataset.rendered === 'true'; })"
    )
    drawn = page.evaluate(DRAWN)
    for chart in drawn:
        assert chart["canvas"] >= 1 and chart["points"] > 0, (path, chart)
        assert chart["legend"] > 0 and chart["legendShown"], (path, chart)
        assert chart["xName"] and chart["yName"], (path, chart)
    for i in range(figures.count()):
        figure = figures.nth(i)
        spec = json.loads(page.text_content(f"#{figure.get_attribute('data-chart')}") or "")
        rows = figure.locator("details.chart-table tbody tr")
        assert rows.count() == len(spec["categories"]), path
        check_csv(page, figure, spec)
        with page.expect_download() as png:
            figure.locator("[data-chart-png]").click()
        assert png.value.suggested_filename == spec["file_name"] + ".png"
        assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if page.locator("div#map").count():
        page.wait_for_selector("#map[data-loaded=true]")
        legend = page.locator("#map [data-testid=map-legend]")
        assert legend.count() == 1, path
        assert legend.locator(".class").count() == 4, path
        assert int(legend.get_attribute("data-without-data") or -1) >= 0, path
    return drawn


def watch_errors(page: Any) -> list[str]:
    """The console errors and uncaught exceptions of ``page``, as they come."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.usefixtures("reference_data", "population_2025")  # in this order
def test_it_draws_every_chart_with_legend_csv_and_png_in_both_languages_without_errors(
    browser: Any, live_server: Any, admin: User, chart_pages: list[str]
) -> None:
    for locale, lang in (("es-PE", "es"), ("en-US", "en")):
        context = browser.new_context(locale=locale, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        errors = watch_errors(page)
        log_in(page, admin.username)
        for path in chart_pages:
            drawn = check_page(page, path)
            assert (page.get_attribute("html", "lang") or "").startswith(lang), path
            assert errors == [], (locale, path, errors)
            if path == "/observatorio/":
                # Table 4: 17 departments with figures among the 25 drawn.
                legend = page.locator("#map [data-testid=map-legend]")
                assert legend.get_attribute("data-without-data") == "8"
                assert {c["testid"] for c in drawn} >= {"trend"}
        context.close()
