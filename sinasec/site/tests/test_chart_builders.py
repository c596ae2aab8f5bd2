"""The chart builders of each page: what each chart shows, from the page's own data."""

from __future__ import annotations

from datetime import date
from typing import Any

from sinasec.barrios.monitoring.charts import monitoring_chart
from sinasec.committees.charts import series_chart
from sinasec.committees.series import Figure, MonthFigures
from sinasec.observatory.charts import survey_chart, trend_chart
from sinasec.observatory.dashboard import Filters, TrendPoint
from sinasec.observatory.types import SurveySeries
from sinasec.plans.charts import month_chart
from sinasec.plans.evaluation import Line


def test_the_plan_chart_shows_each_months_schedule_and_approved_execution() -> None:
    months = [Line(str(m), str(m), 10 * m, 0, m if m < 3 else 0) for m in range(1, 13)]
    months[4] = Line("5", "5", None, 0, 0)  # a month without a schedule
    chart = month_chart(7, 2010, months)
    assert len(chart.categories) == 12
    assert chart.series[0].values[:5] == [10, 20, 30, 40, 0]
    assert chart.series[1].values[:3] == [1, 2, 0]
    assert {s.kind for s in chart.series} == {"bar"} and chart.file_name.endswith("2010_7")


def test_the_trend_leaves_a_year_without_a_figure_as_a_gap_not_a_zero() -> None:
    filters = Filters(2008, "department", None, "15", "count")
    chart = trend_chart([TrendPoint(2006, 5), TrendPoint(2007, None), TrendPoint(2008, 9)], filters)
    assert chart.categories == ["2006", "2007", "2008"]
    assert chart.series[0].values == [5, None, 9] and chart.points == 2
    assert chart.file_name == "tendencia_15"


def test_the_survey_chart_carries_its_wilson_interval_on_a_0_100_scale() -> None:
    wave = {
        "year": 2008,
        "label": "2008 Nov",
        "pct": 75.3,
        "n": 500,
        "ci_low": 71.3,
        "ci_high": 78.9,
    }
    series: SurveySeries = {
        "indicator": "aumento",
        "question": "¿Ha aumentado?",
        "answer": "Sí",
        "waves": [wave],  # type: ignore[list-item]
        "changes": [],
    }
    chart = survey_chart(series)
    assert chart is not None and chart.y_max == 100 and chart.unit == "%"
    assert chart.rows() == [["2008 Nov", 75.3, 71.3, 78.9]]
    assert survey_chart({**series, "waves": []}) is None


def monitoring_result(available: dict[str, bool], launch: int | None) -> dict[str, Any]:
    return {
        "months": ["2024-01", "2024-02", "2024-03"],
        "launch_index": launch,
        "areas": {
            area: {"available": ok, "count": [1, 2, 3] if ok else [None] * 3}
            for area, ok in available.items()
        },
    }


def test_the_monitoring_chart_marks_the_launch_and_leaves_out_areas_without_a_series() -> None:
    result = monitoring_result({"barrio": True, "buffer": False, "district": True}, 1)
    labels = {"barrio": "Barrio", "buffer": "Anillo", "district": "Distrito"}
    colours = {"barrio": "#b3261e", "buffer": "#f0b429", "district": "#0b5394"}
    chart = monitoring_chart(
        result, ("barrio", "buffer"), labels, colours, chart_id="c", title="t", file_name="f"
    )
    assert chart is not None and [s.key for s in chart.series] == ["barrio"]
    assert chart.marker is not None and chart.marker.index == 1
    outside = monitoring_result({"barrio": True, "buffer": False, "district": True}, 5)
    chart = monitoring_chart(
        outside, ("barrio",), labels, colours, chart_id="c", title="t", file_name="f"
    )
    assert chart is not None and chart.marker is None  # launched after the window
    assert (
        monitoring_chart(
            result, ("buffer",), labels, colours, chart_id="c", title="t", file_name="f"
        )
        is None
    )


def test_the_compliance_chart_has_one_line_per_indicator_in_percent() -> None:
    def figure(pct: float | None) -> Figure:
        return {"done": 0, "total": 0, "pct": pct}

    rows: list[MonthFigures] = [
        {
            "date": date(2009, m, 28),
            "plan_year": 2009,
            "installed": figure(10.0 * m),
            "sworn": figure(None),
            "plan": figure(0.0),
            "secretary": figure(50.0),
            "levels": {},
        }
        for m in (1, 2)
    ]
    labels = {
        "installed": "Instalación",
        "sworn": "Juramentación",
        "plan": "Plan",
        "secretary": "ST",
    }
    chart = series_chart(rows, labels, date(2009, 2, 28), None)
    assert chart.categories == ["2009-01", "2009-02"] and chart.y_max == 100
    assert [s.values for s in chart.series] == [
        [10.0, 20.0],
        [None, None],
        [0.0, 0.0],
        [50.0, 50.0],
    ]
    assert chart.file_name == "cumplimiento_serie_pe_2009-02-28"
