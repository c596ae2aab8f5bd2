"""Barrio monitoring: the choice of comparison barrios, the WDD of one barrio and the
staggered DiD recovering an effect injected through the incident store (the pure
functions' tests are in ``sinasec/analytics/tests/test_monitoring.py``)."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from sinasec.analytics.evaluation.wdd import weighted_displacement_difference
from sinasec.barrios.evaluation.did import panel_for_did
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import (
    MonitoringError,
    monitor_barrio,
)
from sinasec.barrios.tests import monitoring_data as data

# --------------------------------------------------------------------------------------
# The collector, on a store in a temporary folder
# --------------------------------------------------------------------------------------


@pytest.fixture
def scenario(db: None, tmp_path: Path) -> tuple[Barrio, Barrio, object]:
    data.district_with_population()
    treated = data.barrio(
        "Barrio bajo estudio",
        0.0,
        launched_on=data.LAUNCH,
        population=data.BARRIO_POPULATION,
    )
    control = data.barrio("Barrio de comparación", data.COMPARISON_DX)
    store = data.write_store(tmp_path, data.scenario_incidents())
    return treated, control, store


def test_it_monitors_a_barrio_per_area_and_month(scenario) -> None:
    treated, control, store = scenario

    result = monitor_barrio(treated, store, *data.WINDOW, comparison_ids=[control.pk])

    assert result["available"] and result["months"][0] == "2024-01"
    assert result["launch_month"] == "2024-07" and result["launch_index"] == 6
    for area, expected in data.EXPECTED.items():
        assert result["areas"][area]["count"] == expected, area
    assert result["incidents_without_coordinates"] == 1
    # Rates where the population is known, unknown elsewhere.
    assert result["areas"]["barrio"]["rate"][:2] == [37.5, 37.5]
    assert result["areas"]["district"]["rate"][0] == 12.0
    assert result["areas"]["district"]["population_year"][0] == 2024
    assert result["areas"]["buffer"]["rate"] == [None] * 12
    assert result["areas"]["comparison"]["rate"] == [None] * 12  # its population is unknown
    assert result["areas"]["buffer"]["area_km2"] > 0
    # The WDD from the monitoring series: 6 months before and after.
    wdd = result["wdd"]
    assert wdd["available"] and wdd["before"] == ["2024-01", "2024-06"]
    assert wdd["after"] == ["2024-07", "2024-12"]
    assert wdd["counts"]["barrio"] == {"before": 18, "after": 6}
    direct = weighted_displacement_difference(18, 6, 12, 12, 6, 12, 6, 6)
    assert wdd["wdd"] == direct.wdd == -6 and wdd["variance"] == 78
    assert wdd["z"] == pytest.approx(-6 / math.sqrt(78), abs=1e-6)
    assert wdd["reading"] == {"total": "no_detectable_change", "displacement": "none"}
    json.dumps(result)  # JSON-able as it is


def test_it_says_why_when_a_figure_cannot_be_computed(scenario) -> None:
    treated, control, store = scenario
    no_boundary = data.barrio("Sin límite", None)
    result = monitor_barrio(no_boundary, store, *data.WINDOW)
    assert not result["available"] and result["reason"] == "no_boundary"
    assert result["areas"]["barrio"]["count"] == [None] * 12

    not_launched = monitor_barrio(control, store, *data.WINDOW, comparison_ids=[treated.pk])
    assert not_launched["available"] and not_launched["wdd"]["reason"] == "not_launched"
    assert any("2024-07-15" in note for note in not_launched["notes"])  # not a clean control
    before = monitor_barrio(treated, store, "2024-07", "2024-12", comparison_ids=[control.pk])
    assert before["wdd"]["reason"] == "no_pre_launch_months"
    alone = monitor_barrio(treated, store, *data.WINDOW, comparison_ids=[])
    assert alone["wdd"]["reason"] == "no_comparison"
    assert alone["areas"]["comparison"]["count"] == [None] * 12

    with pytest.raises(MonitoringError):
        monitor_barrio(treated, store, "2024-12", "2024-01")
    with pytest.raises(MonitoringError):
        monitor_barrio(treated, store, *data.WINDOW, buffer_m=0)
    with pytest.raises(MonitoringError):
        monitor_barrio(treated, store, *data.WINDOW, comparison_ids=[treated.pk])
    with pytest.raises(MonitoringError):
        monitor_barrio(treated, store, *data.WINDOW, comparison_ids=[999_999])


def test_it_picks_the_most_similar_not_yet_treated_barrios(db: None, tmp_path: Path) -> None:
    treated = data.barrio("Estudio", 0.0, launched_on=data.LAUNCH)
    same = data.barrio("Igual", 3_000.0)  # 3 a month before the launch, as the barrio
    later = data.barrio("Lanzado después", 0.0, -3_000.0, launched_on=date(2025, 6, 1))
    quiet = data.barrio("Tranquilo", 0.0, 3_000.0)  # none
    data.barrio("Ya lanzado", -3_000.0, launched_on=date(2024, 3, 1))  # treated in the window
    data.barrio("Vecino", 600.0)  # touches the barrio's 400 m buffer
    data.barrio("Sin límite", None)
    incidents: list[data.Incident] = []
    for month in range(1, 13):
        for dx, dy, n in ((0, 0, 3), (3_000, 0, 3), (0, -3_000, 1), (-3_000, 0, 3), (600, 0, 3)):
            incidents += [(date(2024, month, 1 + k), float(dx), float(dy)) for k in range(n)]
    store = data.write_store(tmp_path, incidents)

    result = monitor_barrio(treated, store, *data.WINDOW)

    comparison = result["comparison"]
    assert comparison["chosen_by"] == "similarity" and comparison["candidates"] == 3
    assert comparison["pre_launch_months"] == 6
    assert [c["id"] for c in comparison["barrios"]] == [same.pk, later.pk, quiet.pk]
    assert [c["distance"] for c in comparison["barrios"]] == [0.0, 2.0, 3.0]
    assert result["areas"]["comparison"]["count"] == [3 + 1] * 12
    one = monitor_barrio(treated, store, *data.WINDOW, n_comparison=1)
    assert [c["id"] for c in one["comparison"]["barrios"]] == [same.pk]


# --------------------------------------------------------------------------------------
# Staggered DiD from the store
# --------------------------------------------------------------------------------------


def test_panel_for_did_recovers_an_effect_injected_through_the_store(
    db: None, tmp_path: Path
) -> None:
    rng = np.random.default_rng(20260501)
    effect, n_months = -8.0, 36
    launches = [10, 12, 14, 16, 18, 20, 22, 24, None, None, None, None, None, None, None, None]
    barrios, incidents = [], []
    for i, launch in enumerate(launches):
        dx, dy = 1_500.0 * (i % 4) - 2_000.0, 1_500.0 * (i // 4) - 2_000.0
        launched_on = None
        if launch is not None:
            launched_on = date(2022 + launch // 12, launch % 12 + 1, 10)
        barrios.append(data.barrio(f"B{i}", dx, dy, launched_on=launched_on))
        level = 25.0 + rng.normal(0, 4)
        for t in range(n_months):
            mean = (
                level + 3 * math.sin(t / 3) + (effect if launch is not None and t >= launch else 0)
            )
            day = date(2022 + t // 12, t % 12 + 1, 1)
            for _k in range(int(rng.poisson(mean))):
                ox, oy = rng.uniform(-0.45, 0.45, 2) * data.SIDE_M
                incidents.append((day, dx + ox, dy + oy))
    barrios.append(data.barrio("Sin límite", None, launched_on=date(2023, 1, 1)))
    store = data.write_store(tmp_path, incidents)

    result = panel_for_did(barrios, store, "2022-01", "2024-12", leads=4, lags=6)

    assert result["available"], result["reason"]
    assert result["treated"] == 8 and result["controls"] == 8
    assert [e["id"] for e in result["excluded"]] == [barrios[-1].pk]
    assert sum(sum(b["count"]) for b in result["barrios"]) == len(incidents)
    estimate = result["estimate"]
    assert estimate["n_units"] == 16 and estimate["n_obs"] == 16 * n_months
    assert estimate["average_effect"] == pytest.approx(effect, abs=3.0)
    low, high = estimate["average_ci"]
    assert low is not None and high is not None and low < effect < high
    pretrend_p = estimate["pretrend_p"]
    assert pretrend_p is not None and pretrend_p > 0.001
    json.dumps(result)


def test_it_leaves_a_police_station_stack_out_of_the_barrio(db: None, tmp_path: Path) -> None:
    """Twelve complaints a month placed on one point inside the barrio (a police
    station's) are not the barrio's crime: counted in no area, and said."""
    data.district_with_population()
    treated = data.barrio("Barrio bajo estudio", 0.0, launched_on=data.LAUNCH)
    control = data.barrio("Barrio de comparación", data.COMPARISON_DX)
    stack: list[data.Incident] = [
        (date(2024, month, 2 + k), 100.0, 100.0) for month in range(1, 13) for k in range(12)
    ]
    store = data.write_store(tmp_path, data.scenario_incidents() + stack)

    result = monitor_barrio(treated, store, *data.WINDOW, comparison_ids=[control.pk])

    assert result["areas"]["barrio"]["count"] == data.EXPECTED["barrio"]
    assert any(note.startswith("144 ") for note in result["notes"]), result["notes"]
