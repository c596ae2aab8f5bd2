"""The chart description every chart page renders: the table, the CSV and the chart's
JSON come from the same columns and rows, numbers stay numbers."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sinasec.core.charts import Chart, Marker, Series
from sinasec.core.tests.chart_html import chart_json


def survey_like() -> Chart:
    return Chart(
        id="demo",
        title="Share",
        x_label="Wave",
        y_label="Share of respondents",
        unit="%",
        categories=["2008", "2009", "2010"],
        series=[
            Series(
                "pct",
                "Yes",
                [72.5, None, 70.25],
                "#0b5394",
                low=[70, None, 68],
                high=[75, None, 72.5],
                low_name="low",
                high_name="high",
            ),
            Series("other", "No", [1, 2, 3], "#b3261e", kind="bar"),
        ],
        file_name="demo",
        marker=Marker(1, "launch"),
        y_max=100,
        decimals=2,
    )


def test_it_lays_out_a_band_as_two_more_columns_and_keeps_unknown_values_none() -> None:
    chart = survey_like()
    assert chart.columns() == ["Wave", "Yes", "low", "high", "No"]
    assert chart.rows() == [
        ["2008", 72.5, 70, 75, 1],
        ["2009", None, None, None, 2],
        ["2010", 70.25, 68, 72.5, 3],
    ]
    assert chart.points == 5  # the unknown 2009 value is not a point


def test_it_writes_json_safe_numbers_and_the_marker() -> None:
    spec = json.loads(json.dumps(survey_like().spec()))
    assert spec["series"][0]["values"] == [72.5, None, 70.25]
    assert spec["series"][1]["kind"] == "bar" and spec["series"][1]["low"] is None
    assert spec["marker"] == {"index": 1, "label": "launch"}
    assert spec["rows"][0] == ["2008", 72.5, 70, 75, 1] and spec["y_max"] == 100


@pytest.mark.parametrize("language", ["es-pe", "en"])
def test_it_renders_the_numbers_as_json_numbers_whatever_the_language(language: str) -> None:
    with translation.override(language):
        html = render_to_string("core/_chart.html", {"chart": survey_like(), "testid": "t"})
    assert chart_json(html, "demo-data")["series"][0]["values"] == [72.5, None, 70.25]
    assert 'data-points="5"' in html and "<details" in html
    # The table alternative is for people: localised, the unknown value a dash.
    decimal = "," if language == "es-pe" else "."
    assert f'<td class="num">72{decimal}50</td>' in html
    assert '<td class="num">—</td>' in html
