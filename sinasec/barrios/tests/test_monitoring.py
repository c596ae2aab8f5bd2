"""Barrio monitoring: counts per area and month on hand-placed points, the buffer's
geometry, rates, the choice of comparison barrios, the WDD of one barrio and the
staggered DiD recovering an effect injected through the incident store."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely

from sinasec.analytics.evaluation.wdd import weighted_displacement_difference
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import (
    Area,
    MonitoringError,
    area_m2,
    barrio_areas,
    grow,
    monitor_barrio,
    monthly_counts,
    panel_for_did,
    parse_boundary,
    pick_population_year,
    rank_by_similarity,
    rates_per_100k,
    wdd_window,
)
from sinasec.barrios.tests import monitoring_data as data

# --------------------------------------------------------------------------------------
# Pure functions
# --------------------------------------------------------------------------------------

BARRIO = shapely.box(-77.03, -12.13, -77.02, -12.12)  # lon/lat, about 1.1 km a side
DISTRICT = shapely.box(-77.06, -12.16, -76.99, -12.09)
EAST_EDGE_RING = -77.02 + 200 / (111_195 * math.cos(math.radians(12.125)))  # 200 m east


def test_it_counts_hand_placed_points_per_area_and_month() -> None:
    points = [  # lon, lat, month
        (-77.025, -12.125, 0),  # inside the barrio
        (-77.025, -12.125, 2),  # inside, another month
        (-77.025, -12.12, 1),  # on the barrio's north edge
        (-77.03, -12.13, 1),  # on its south-west corner
        (EAST_EDGE_RING, -12.125, 1),  # in the ring, 200 m east
        (-77.00, -12.10, 0),  # in the district only
        (-76.90, -12.125, 0),  # outside everything
        (-77.025, -12.125, 3),  # a month outside the window: not counted
        (float("nan"), -12.125, 0),  # no coordinate: not counted
    ]
    lon, lat, month = (np.array(column) for column in zip(*points, strict=True))
    areas = barrio_areas(BARRIO, 400, DISTRICT)

    counts = monthly_counts(
        lon, lat, month, [areas["barrio"], areas["buffer"], areas["district"]], 3
    )

    assert counts.tolist() == [
        [1, 2, 1],  # the border points count in the barrio ...
        [0, 1, 0],  # ... never in the ring around it
        [2, 3, 1],  # the district (minus nothing) holds all of them
    ]
    # A plain polygon is closed too; Area subtracts closed polygons.
    plain = monthly_counts(lon, lat, month, [BARRIO, Area(DISTRICT, (BARRIO,))], 3)
    assert plain.tolist() == [[1, 2, 1], [1, 1, 0]]
    with pytest.raises(ValueError):
        monthly_counts(lon, lat[:2], month, [BARRIO], 3)


def test_it_counts_a_point_on_a_shared_border_once_among_the_test_areas() -> None:
    # A comparison barrio sharing the barrio's east edge: a point on that edge is the
    # barrio's; one just inside the comparison barrio but within 400 m of the barrio
    # belongs to the barrio's ring, not to the comparison.
    neighbour = shapely.box(-77.02, -12.13, -77.01, -12.12)
    areas = barrio_areas(BARRIO, 400, None, [neighbour])
    lon = np.array([-77.02, -77.019, -77.0105])
    lat = np.array([-12.125, -12.125, -12.125])
    order = ["barrio", "buffer", "comparison", "comparison_buffer"]
    counts = monthly_counts(lon, lat, np.zeros(3), [areas[a] for a in order], 1)
    assert counts[:, 0].tolist() == [1, 1, 1, 0]
    assert counts.sum() == lon.size


def square_km(lat0: float = -12.12, lon0: float = -77.03) -> shapely.Polygon:
    from sinasec.analytics.grid import unproject

    lat, lon = unproject(
        np.array([-500.0, 500, 500, -500]), np.array([-500.0, -500, 500, 500]), lat0, lon0
    )
    return shapely.Polygon(zip(lon, lat, strict=True))


def test_the_buffer_of_a_square_kilometre_has_the_area_of_its_ring() -> None:
    square = square_km()
    assert area_m2(square) == pytest.approx(1e6, rel=1e-6)

    round_ring = area_m2(grow(square, 400).difference(square)) / 1e6
    mitre_ring = area_m2(grow(square, 400, join="mitre").difference(square)) / 1e6

    # Every point within 400 m: perimeter x 0.4 plus the four quarter discs.
    assert round_ring == pytest.approx(4 * 0.4 + math.pi * 0.4**2, rel=0.01)
    # Square corners: the 1.8 km square minus the barrio.
    assert mitre_ring == pytest.approx(1.8**2 - 1, rel=0.01)
    # The same on the ellipsoid, measured independently of our projection.
    pyproj = pytest.importorskip("pyproj")
    geodesic, _perimeter = pyproj.Geod(ellps="WGS84").geometry_area_perimeter(
        shapely.orient_polygons(grow(square, 400, join="mitre").difference(square))
    )
    assert abs(geodesic) / 1e6 == pytest.approx(1.8**2 - 1, rel=0.01)


def test_it_reads_boundaries_and_refuses_what_is_not_a_polygon() -> None:
    assert parse_boundary("") is None and parse_boundary("  ") is None
    assert parse_boundary("not json") is None
    assert parse_boundary('{"type": "Point", "coordinates": [-77.0, -12.0]}') is None
    polygon = parse_boundary(json.dumps(shapely.geometry.mapping(BARRIO)))
    assert polygon is not None and polygon.equals(BARRIO)
    two = shapely.MultiPolygon([BARRIO, shapely.box(-77.0, -12.13, -76.99, -12.12)])
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(two)}
    parsed = parse_boundary(json.dumps(feature))
    assert parsed is not None and parsed.equals(two)
    bowtie = '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'
    repaired = parse_boundary(bowtie)
    assert repaired is not None and repaired.is_valid and repaired.area == pytest.approx(0.5)


def test_rates_are_unknown_without_a_population_never_zero() -> None:
    assert rates_per_100k([3, 0, None, 5], [8_000, 8_000, 8_000, None]) == [
        37.5,
        0.0,
        None,
        None,
    ]
    assert rates_per_100k([4], [0]) == [None]
    assert pick_population_year([2017, 2025], 2024) == 2025
    assert pick_population_year([2020, 2024], 2022) == 2024  # a tie: the later
    assert pick_population_year([2017], 2024) is None  # too far: unknown


def test_comparisons_rank_by_similarity_and_the_wdd_window_is_symmetric() -> None:
    ranked = rank_by_similarity(
        [3, 3, 3], [[0, 0, 0], [3, 3, 3], [1, 1, 1], [5, 5, 5]], [7, 9, 4, 2]
    )
    assert [pk for pk, _d in ranked] == [9, 2, 4, 7]  # 4 and 2 tie at 2: by id
    assert ranked[0][1] == 0.0 and ranked[-1][1] == 3.0

    assert wdd_window(12, 6) == (slice(0, 6), slice(6, 12))
    assert wdd_window(24, 20) == (slice(16, 20), slice(20, 24))  # 4 after: 4 before
    assert wdd_window(36, 18) == (slice(6, 18), slice(18, 30))  # at most 12 each
    assert wdd_window(12, None) == "not_launched"
    assert wdd_window(12, 12) == "launched_after_window"
    assert wdd_window(12, 0) == "no_pre_launch_months"
    assert wdd_window(12, -3) == "no_pre_launch_months"


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
    assert estimate["average_ci"][0] < effect < estimate["average_ci"][1]
    assert estimate["pretrend_p"] > 0.001
    json.dumps(result)
