"""Monitoring's pure functions: counts per area and month on hand-placed points, the
buffer's geometry, boundaries, rates, similarity and the WDD window."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely

from sinasec.analytics.grid import unproject
from sinasec.analytics.monitoring import (
    Area,
    area_m2,
    barrio_areas,
    grow,
    monthly_counts,
    parse_boundary,
    rank_by_similarity,
    rates_per_100k,
    wdd_window,
)
from sinasec.analytics.population import pick_population_year

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
