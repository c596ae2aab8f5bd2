"""Benchmark: the monthly incidents of one barrio and its buffer over 24 months, from a
store of one million incidents, against the obvious loop.

Generates with a seeded RNG one million synthetic incidents (``observatory.synthetic``:
around the capitals of the 50 districts of Lima Metropolitana and Callao in proportion
to their 2025 population, with hot spots and near repeats) from 2023-01-01 to
2024-12-31, imports them into an incident store in a temporary folder (generation and
import are timed, not counted), draws a barrio (a 600 m square) at the busiest spot of
San Juan de Lurigancho and its 400 m ring, then measures:

- ours, as ``monitor_barrio`` reads: the bounding-box prefilter in DuckDB
  (``read_points``: the window's months and the ring's box) and ``monthly_counts``
  (shapely's vectorised ``intersects_xy`` on the few points left), barrio and ring x 24
  months; p50 of 10 runs; goal: well under a second (500 ms);
- the obvious alternative: every incident of the window read from the store, then
  ``polygon.contains(Point(lon, lat))`` per point in a Python loop (barrio, and grown
  polygon minus barrio for the ring), timed on a 50,000-point sample and extrapolated
  to the million (the reading of the million is measured and added);

and asserts that both count the same on the sample. No Django, no database.

    python bench/barrios_monitoring.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from common import lima_callao_districts, timed

SEED = 20260801
ROWS = 1_000_000
SAMPLE = 50_000
START, END = date(2023, 1, 1), date(2024, 12, 31)
WINDOW = ("2023-01", "2024-12")
BUSY_DISTRICT = "150132"  # San Juan de Lurigancho, the most populous
SIDE_M, BUFFER_M = 600.0, 400.0
RUNS = 10
GOAL_MS = 500.0

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="incidents to generate")
    args = parser.parse_args()
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import duckdb
    import shapely

    from sinasec.analytics.grid import project, unproject
    from sinasec.analytics.monitoring import Area, bounds, grow, monthly_counts
    from sinasec.barrios.monitoring.store import Window, read_points
    from sinasec.incidents import IncidentStore, synthetic

    districts = lima_callao_districts()

    with tempfile.TemporaryDirectory(prefix="sinasec-bench-monitoring-") as tmp:
        folder = Path(tmp)
        generate_ms, table = timed(
            lambda: synthetic.generate(args.rows, SEED, START, END, districts=districts)
        )
        csv_path = folder / "incidentes.csv"
        synthetic.write_csv(table, csv_path)
        store = IncidentStore(folder / "store")
        import_ms, _summary = timed(lambda: store.import_file(csv_path))

        # The barrio: a square centred on the densest 200 m cell of the busy district.
        lat = table.column("lat").to_numpy()
        lon = table.column("lon").to_numpy()
        busy = np.asarray(table.column("ubigeo").to_pylist()) == BUSY_DISTRICT
        lat0, lon0 = float(lat[busy].mean()), float(lon[busy].mean())
        x, y = project(lat[busy], lon[busy], lat0, lon0)
        cells = np.column_stack([np.round(x / 200), np.round(y / 200)]).astype(np.int64)
        values, counts = np.unique(cells, axis=0, return_counts=True)
        cx, cy = (200.0 * values[np.argmax(counts)]).tolist()
        half = SIDE_M / 2
        corner_x = np.array([cx - half, cx + half, cx + half, cx - half])
        corner_y = np.array([cy - half, cy - half, cy + half, cy + half])
        corner_lat, corner_lon = unproject(corner_x, corner_y, lat0, lon0)
        barrio = shapely.Polygon(zip(corner_lon, corner_lat, strict=True))
        grown = grow(barrio, BUFFER_M)
        areas = [Area(barrio), Area(grown, (barrio,))]
        window = Window.of(*WINDOW)

        read_points(store, [bounds(grown)], window)  # warm up (Parquet metadata cache)
        ours_ms, query_ms, count_ms = [], [], []
        for _ in range(RUNS):
            q_ms, near = timed(lambda: read_points(store, [bounds(grown)], window))
            c_ms, result = timed(lambda near=near: monthly_counts(*near, areas, window.n_months))
            query_ms.append(q_ms)
            count_ms.append(c_ms)
            ours_ms.append(q_ms + c_ms)

        # Not a goal: the panel of the DiD, 200 barrios of 400 m at random incidents.
        centres = np.random.default_rng(SEED + 1).choice(lat.size, 200, replace=False)
        many = []
        for i in centres:
            px, py = project(lat[i : i + 1], lon[i : i + 1], lat0, lon0)
            sx = np.array([-200.0, 200, 200, -200]) + px[0]
            sy = np.array([-200.0, -200, 200, 200]) + py[0]
            m_lat, m_lon = unproject(sx, sy, lat0, lon0)
            many.append(shapely.Polygon(zip(m_lon, m_lat, strict=True)))

        def panel() -> np.ndarray:
            points = read_points(store, [bounds(p) for p in many], window)
            return monthly_counts(*points, many, window.n_months)

        panel_ms, panel_counts = timed(panel)

        # The alternative: every point of the window, then a loop of contains().
        everything = "SELECT lon, lat, year * 12 + month - 1 AS n FROM incidents"
        read_all_ms, all_points = timed(lambda: store.query_arrow(everything))
        n_all = all_points.num_rows
        rng = np.random.default_rng(SEED)
        pick = rng.choice(n_all, size=min(SAMPLE, n_all), replace=False)
        s_lon = all_points.column("lon").to_numpy()[pick]
        s_lat = all_points.column("lat").to_numpy()[pick]
        s_month = all_points.column("n").to_numpy()[pick] - (2023 * 12)

        def loop() -> np.ndarray:
            out = np.zeros((2, window.n_months), dtype=np.int64)
            for px, py, m in zip(s_lon.tolist(), s_lat.tolist(), s_month.tolist(), strict=True):
                point = shapely.Point(px, py)
                if barrio.contains(point):
                    out[0, m] += 1
                elif grown.contains(point):
                    out[1, m] += 1
            return out

        loop_ms, loop_counts = timed(loop)
        sample_ours = monthly_counts(s_lon, s_lat, s_month, areas, window.n_months)
        # contains() leaves out the border, ours keeps it in the barrio: with random
        # coordinates no point lies exactly on it, so both must agree.
        assert (loop_counts == sample_ours).all(), "the loop and ours disagree on the sample"
        loop_total_ms = read_all_ms + loop_ms * n_all / len(pick)

    ours_p50 = statistics.median(ours_ms)
    ratio = loop_total_ms / ours_p50
    verdict = "met" if ours_p50 < GOAL_MS else "NOT met"
    print("SINASEC benchmark: monthly incidents of one barrio (monitoring)")
    print(
        f"  Python {platform.python_version()}, numpy {np.__version__}, shapely"
        f" {shapely.__version__}, duckdb {duckdb.__version__}, {os.cpu_count()} CPUs, seed {SEED}"
    )
    print(
        f"  data: {n_all:,} synthetic incidents {START}..{END} in {len(districts)} districts of"
        f" Lima and Callao (generated in {generate_ms / 1000:.1f} s, imported in"
        f" {import_ms / 1000:.1f} s); barrio: a {SIDE_M:.0f} m square at the busiest spot of"
        f" {BUSY_DISTRICT}, ring of {BUFFER_M:.0f} m; {near[0].size:,} incidents in the ring's"
        f" box; counted {int(result[0].sum()):,} in the barrio, {int(result[1].sum()):,} in the ring"
    )
    print()
    rows = [
        ("step", "runs", "p50 ms"),
        ("ours: DuckDB box prefilter + monthly_counts", RUNS, f"{ours_p50:,.1f}"),
        ("  the DuckDB query (read_points)", RUNS, f"{statistics.median(query_ms):,.1f}"),
        ("  monthly_counts on the points it returns", RUNS, f"{statistics.median(count_ms):,.1f}"),
        ("loop: read every incident of the window", 1, f"{read_all_ms:,.1f}"),
        (f"loop: contains() per point, {len(pick):,} sample", 1, f"{loop_ms:,.1f}"),
        (f"loop: extrapolated to {n_all:,} (+ reading)", "-", f"{loop_total_ms:,.1f}"),
    ]
    for name, *figures in rows:
        print(f"  {name:<50}" + "".join(f"{f!s:>10}" for f in figures))
    print(f"  loop / ours: {ratio:,.0f}x; the counts agree on the {len(pick):,}-point sample")
    print(
        f"  not a goal: the DiD panel of {len(many)} barrios of 400 m (one query, {len(many)}"
        f" boxes) in {panel_ms:,.1f} ms, {int(panel_counts.sum()):,} incidents counted"
    )
    print(f"  goal: ours under {GOAL_MS:.0f} ms (well under a second) -> {verdict}")
    print(f"  total bench time {time.perf_counter() - started:.1f} s")
    return 0 if ours_p50 < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
