"""Benchmark: Getis-Ord Gi* on a 250,000-cell grid, ours against ``esda.G_Local``.

Generates with a seeded RNG the incidents of a 50 km x 50 km area (a Poisson background
and a few Gaussian blobs of clustered incidents), bins them with ``grid_counts`` into a
500 x 500 grid of 100 m cells, then times on the same counts:

- the queen weights: ``grid_weights(500, 500)`` against ``libpysal.weights.lat2W`` (each
  built once, outside the Gi* timings);
- Gi* with binary weights (analytical z-scores, no permutations): ``gi_star`` 10 times
  against ``esda.G_Local(y, w, star=True, permutations=0, transform='B')`` twice;

and asserts that the z-scores agree to 1e-9. No Django, no database.

    python bench/hotspots_gi.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from common import timed

SEED = 20260415
N_ROWS = N_COLS = 500
CELL_M = 100.0
BACKGROUND_PER_CELL = 1.5
BLOBS = [  # centre x, centre y (m), spread (m), incidents
    (12_000.0, 38_000.0, 900.0, 40_000),
    (31_000.0, 27_500.0, 1_500.0, 60_000),
    (40_500.0, 9_000.0, 600.0, 15_000),
    (8_000.0, 7_000.0, 2_500.0, 30_000),
    (25_000.0, 45_000.0, 400.0, 8_000),
]
OURS_RUNS = 10
ESDA_RUNS = 2
WEIGHT_RUNS = 5
GOAL_SPEEDUP = 20.0
GOAL_Z = 1e-9
FDR_Q = 0.05


def generate_incidents(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform background (Poisson in number) plus Gaussian blobs, in metres."""
    width, height = N_COLS * CELL_M, N_ROWS * CELL_M
    n_background = int(rng.poisson(BACKGROUND_PER_CELL * N_ROWS * N_COLS))
    xs = [rng.uniform(0, width, n_background)]
    ys = [rng.uniform(0, height, n_background)]
    for cx, cy, spread, count in BLOBS:
        xs.append(rng.normal(cx, spread, count))
        ys.append(rng.normal(cy, spread, count))
    return np.concatenate(xs), np.concatenate(ys)


def main() -> int:
    started = time.perf_counter()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import esda
    import libpysal
    import scipy

    from sinasec.analytics.hotspots import (
        COLD,
        HOT,
        benjamini_hochberg,
        classify,
        gi_star,
        grid_counts,
        grid_weights,
    )

    rng = np.random.default_rng(SEED)
    x, y = generate_incidents(rng)
    bounds = (0.0, 0.0, N_COLS * CELL_M, N_ROWS * CELL_M)
    counts_ms, (counts, transform) = timed(lambda: grid_counts(x, y, CELL_M, bounds))
    assert counts.shape == (transform.n_rows, transform.n_cols) == (N_ROWS, N_COLS)
    values = counts.ravel().astype(np.float64)
    n = values.size

    ours_w_ms = []
    for _ in range(WEIGHT_RUNS):
        ms, ours_w = timed(lambda: grid_weights(N_ROWS, N_COLS))
        ours_w_ms.append(ms)
    esda_w_ms, esda_w = timed(lambda: libpysal.weights.lat2W(N_ROWS, N_COLS, rook=False))
    assert (ours_w != esda_w.sparse).nnz == 0, "grid_weights differs from lat2W"

    gi_star(values, ours_w)  # warm up
    ours_ms = []
    for _ in range(OURS_RUNS):
        ms, ours = timed(lambda: gi_star(values, ours_w, binary=True))
        ours_ms.append(ms)
    esda_ms = []
    for _ in range(ESDA_RUNS):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ms, theirs = timed(
                lambda: esda.G_Local(values, esda_w, star=True, permutations=0, transform="B")
            )
        esda_ms.append(ms)
    max_diff = float(np.max(np.abs(ours.z - theirs.Zs)))
    assert max_diff <= GOAL_Z, f"z-scores differ from esda by {max_diff:.3g} (> {GOAL_Z:g})"

    row_ms = statistics.median(
        [timed(lambda: gi_star(values, ours_w, binary=False))[0] for _ in range(OURS_RUNS)]
    )
    fdr_ms, labels = timed(lambda: classify(ours, q=FDR_Q))
    raw_significant = int((ours.p <= FDR_Q).sum())
    assert int((labels != 0).sum()) == int(benjamini_hochberg(ours.p, FDR_Q).sum())

    ours_p50, esda_p50 = statistics.median(ours_ms), statistics.median(esda_ms)
    ours_w_p50 = statistics.median(ours_w_ms)
    ratio = esda_p50 / ours_p50
    verdict = "met" if ratio >= GOAL_SPEEDUP else "NOT met"
    total_ms = (ours_w_p50 + ours_p50, esda_w_ms + esda_p50)

    print("SINASEC benchmark: Getis-Ord Gi* hot spots on a grid")
    print(
        f"  Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__},"
        f" esda {esda.__version__}, libpysal {libpysal.__version__}, {os.cpu_count()} CPUs,"
        f" seed {SEED}"
    )
    print(
        f"  data: {x.size:,} incidents ({len(BLOBS)} Gaussian blobs over a Poisson background)"
        f" binned by grid_counts in {counts_ms:.1f} ms into {N_ROWS} x {N_COLS} = {n:,} cells"
        f" of {CELL_M:.0f} m (counts 0..{counts.max()}, mean {values.mean():.2f});"
        f" queen contiguity, {ours_w.nnz:,} links"
    )
    print()
    rows = [
        ("step", "runs", "p50 ms"),
        ("weights: grid_weights (ours)", WEIGHT_RUNS, f"{ours_w_p50:,.1f}"),
        ("weights: libpysal.weights.lat2W", 1, f"{esda_w_ms:,.1f}"),
        ("Gi* binary: gi_star (ours)", OURS_RUNS, f"{ours_p50:,.1f}"),
        ("Gi* binary: esda.G_Local(permutations=0)", ESDA_RUNS, f"{esda_p50:,.1f}"),
        ("Gi* row-standardised: gi_star (ours)", OURS_RUNS, f"{row_ms:,.1f}"),
        (f"BH at q={FDR_Q} + classify (ours)", 1, f"{fdr_ms:,.1f}"),
    ]
    for name, *figures in rows:
        print(f"  {name:<44}" + "".join(f"{f!s:>10}" for f in figures))
    print(
        f"  esda / ours, Gi* (medians): {ratio:,.0f}x;"
        f" goal: at least {GOAL_SPEEDUP:.0f}x faster -> {verdict}"
    )
    print(
        f"  weights + Gi*: ours {total_ms[0]:,.1f} ms, libpysal + esda {total_ms[1]:,.1f} ms"
        f" ({total_ms[1] / total_ms[0]:,.0f}x)"
    )
    print(
        f"  max |z_ours - z_esda| = {max_diff:.3g} over {n:,} cells;"
        f" goal: <= {GOAL_Z:g} -> met (asserted)"
    )
    print(
        f"  at FDR q={FDR_Q}: {int((labels == HOT).sum()):,} hot and"
        f" {int((labels == COLD).sum()):,} cold cells"
        f" ({raw_significant:,} with p <= {FDR_Q} before the correction)"
    )
    print(f"  total bench time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
