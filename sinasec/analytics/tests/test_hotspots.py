"""Gi* hot spots against the published known answers and against esda itself.

The known answers are esda 2.10's own: ``esda/tests/test_getisord.py`` (``TestGLocal``:
six points, ``DistanceBand(threshold=15)``, y = 2, 3, 3.2, 5, 8, 7) asserts
``Zs[0] == -1.39727626`` for Gi* with binary weights (line 74) and ``-0.62488094`` with
row-standardised weights (line 98), to ``libpysal.common`` RTOL 1e-5, ATOL 1e-7; the
``G_Local`` docstring in ``esda/getisord.py`` prints all six z-scores of both (lines 314
and 340). The data are typed in there, nothing is downloaded; the Columbus example used
for the polygon contiguity ships inside libpysal.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import shapely
from scipy import sparse, stats
from scipy.spatial.distance import cdist
from statsmodels.stats.multitest import multipletests

from sinasec.analytics.hotspots import (
    COLD,
    HOT,
    NOT_SIGNIFICANT,
    benjamini_hochberg,
    classify,
    fdr_adjusted,
    gi_star,
    grid_counts,
    grid_weights,
    queen_weights_from_polygons,
)

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")

RTOL, ATOL = 1e-5, 1e-7  # libpysal.common, as esda's test uses them
POINTS = np.array([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)], dtype=float)
Y = np.array([2, 3, 3.2, 5, 8, 7])
# esda/getisord.py, G_Local docstring (lines 313-315 and 339-341).
PUBLISHED_STAR_BINARY = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
PUBLISHED_STAR_ROW = [-0.62488094, -0.09144599, 0.41150696, -0.09144599, 0.24690418, 1.28024388]


def distance_band(points: np.ndarray, threshold: float) -> sparse.csr_matrix:
    """Binary weights of the points within ``threshold`` of each other (DistanceBand)."""
    near = cdist(points, points) <= threshold
    np.fill_diagonal(near, False)
    return sparse.csr_matrix(near.astype(float))


def esda_star(y: np.ndarray, w, transform: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'R' with star=True warns about the self-weight
        return esda.G_Local(y, w, transform=transform, star=True, permutations=0)


# --- known answers ---------------------------------------------------------------------


def test_distance_band_is_libpysals():
    ours = distance_band(POINTS, 15).toarray()
    theirs = libpysal.weights.DistanceBand(POINTS, threshold=15).sparse.toarray()
    np.testing.assert_array_equal(ours, theirs)


def test_star_binary_published_answer():
    result = gi_star(Y, distance_band(POINTS, 15), binary=True)
    # esda/tests/test_getisord.py:74
    np.testing.assert_allclose(result.z[0], -1.39727626, rtol=RTOL, atol=ATOL)
    # esda/getisord.py:314 (G_Local docstring, transform='B', star=True)
    np.testing.assert_allclose(result.z, PUBLISHED_STAR_BINARY, rtol=RTOL, atol=ATOL)


def test_star_row_standardised_published_answer():
    result = gi_star(Y, distance_band(POINTS, 15), binary=False)
    # esda/tests/test_getisord.py:98
    np.testing.assert_allclose(result.z[0], -0.62488094, rtol=RTOL, atol=ATOL)
    # esda/getisord.py:340 (G_Local docstring, transform='R', star=True)
    np.testing.assert_allclose(result.z, PUBLISHED_STAR_ROW, rtol=RTOL, atol=ATOL)


def test_moments_of_the_published_example():
    """Gi* by hand for unit 5 (at 30,30; neighbours 4 at 30,20): binary weights."""
    result = gi_star(Y, distance_band(POINTS, 15))
    n, total = Y.size, Y.sum()
    gi = (Y[5] + Y[4]) / total
    mean, var = Y.mean(), Y.var()
    expected = 2 / n
    variance = 2 * (n - 2) / (n - 1) / n**2 * var / mean**2
    assert result.gi[5] == pytest.approx(gi, rel=1e-12)
    assert result.expected[5] == pytest.approx(expected, rel=1e-12)
    assert result.variance[5] == pytest.approx(variance, rel=1e-12)
    assert result.z[5] == pytest.approx((gi - expected) / np.sqrt(variance), rel=1e-12)


# --- the same as esda.G_Local on the same data ------------------------------------------


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "row-standardised"])
@pytest.mark.parametrize("shape", [(30, 40), (17, 1), (9, 23)])
def test_equals_esda_on_a_random_grid(binary, shape):
    rng = np.random.default_rng(20260401 + shape[0])
    counts = rng.poisson(rng.gamma(2.0, 2.0, size=shape)).astype(float)
    esda_w = libpysal.weights.lat2W(*shape, rook=False)
    theirs = esda_star(counts.ravel(), esda_w, "B" if binary else "R")
    ours = gi_star(counts, grid_weights(*shape), binary=binary)
    assert ours.z.shape == shape
    np.testing.assert_allclose(ours.z.ravel(), theirs.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.gi.ravel(), theirs.Gs, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ours.expected.ravel(), theirs.EGs, rtol=1e-12)
    np.testing.assert_allclose(ours.variance.ravel(), theirs.VGs, rtol=1e-9)
    # esda's p_norm is the one-sided tail of |z|: half the two-sided p-value.
    np.testing.assert_allclose(ours.p.ravel(), 2 * theirs.p_norm, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "row-standardised"])
def test_equals_esda_on_columbus_polygons(binary):
    """Territory-style data: the Columbus neighbourhoods shipped with libpysal, queen
    contiguity from the polygons, crime rates."""
    geoms, crime = columbus()
    ours = gi_star(crime, queen_weights_from_polygons(geoms), binary=binary)
    theirs = esda_star(crime, libpysal.weights.Queen.from_iterable(geoms), "B" if binary else "R")
    np.testing.assert_allclose(ours.z, theirs.Zs, rtol=0, atol=1e-9)


def test_non_binary_weights_and_diagonal():
    """Stored weights are ignored with binary=True; the diagonal is always replaced by the
    Gi* self-weight; row-standardised uses the row's largest weight for the unit itself."""
    rng = np.random.default_rng(7)
    y = rng.poisson(4, size=48).astype(float) + 1
    base = grid_weights(6, 8)
    scaled = base.multiply(rng.uniform(0.5, 2.0, size=base.shape)).tocsr()
    scaled = (scaled + scaled.T).tocsr()
    with_diagonal = (base + sparse.identity(48) * 5).tocsr()
    reference = gi_star(y, base)
    np.testing.assert_allclose(gi_star(y, scaled).z, reference.z, rtol=1e-12)
    np.testing.assert_allclose(gi_star(y, with_diagonal).z, reference.z, rtol=1e-12)
    esda_w = libpysal.weights.WSP2W(libpysal.weights.WSP(scaled))
    theirs = esda_star(y, esda_w, "R")
    np.testing.assert_allclose(gi_star(y, scaled, binary=False).z, theirs.Zs, atol=1e-9)


def test_alternatives_and_validation():
    w = distance_band(POINTS, 15)
    two = gi_star(Y, w)
    greater = gi_star(Y, w, alternative="greater")
    less = gi_star(Y, w, alternative="less")
    np.testing.assert_allclose(greater.p, stats.norm.sf(two.z))
    np.testing.assert_allclose(greater.p + less.p, 1.0)
    np.testing.assert_allclose(two.p, 2 * np.minimum(greater.p, less.p))
    with pytest.raises(ValueError, match="alternative"):
        gi_star(Y, w, alternative="both")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="undefined"):
        gi_star(np.full(6, 3.0), w)
    with pytest.raises(ValueError, match="undefined"):
        gi_star(np.zeros(6), w)
    with pytest.raises(ValueError, match="finite"):
        gi_star(np.array([1, 2, np.nan, 4, 5, 6]), w)
    with pytest.raises(ValueError, match="weights are"):
        gi_star(Y[:5], w)
    with pytest.raises(TypeError):
        gi_star(Y, w.toarray())


def test_a_unit_bordering_every_other_unit_has_z_zero_not_nan():
    """Three departments where one borders both others (Lima, Callao, Ica): that one's
    neighbourhood is the whole store, its Gi* variance 0; it is not significant, and the
    other two are still tested."""
    w = sparse.csr_matrix(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    result = gi_star(np.array([6589.0, 2713.0, 1700.0]), w)
    assert result.z[0] == 0.0 and result.p[0] == 1.0
    assert np.all(np.isfinite(result.z)) and result.z[1] != 0
    assert list(classify(result)) == [NOT_SIGNIFICANT] * 3


# --- Benjamini-Hochberg -----------------------------------------------------------------

# m = 5, alpha = 0.05: thresholds k * 0.01. Sorted p: 0.001 (<= 0.01), 0.03 (> 0.02),
# 0.035 (> 0.03), 0.039 (<= 0.04), 0.9 (> 0.05): the largest passing rank is 4, so the
# four smallest are discoveries although two fail their own threshold (step-up).
HAND_P = np.array([0.035, 0.9, 0.001, 0.039, 0.03])
HAND_REJECTED = np.array([True, False, True, True, True])
# Adjusted: m p_(k) / k = 0.005, 0.075, 0.0583.., 0.04875, 0.9; minimum from the right.
HAND_ADJUSTED = np.array([0.04875, 0.9, 0.005, 0.04875, 0.04875])


def test_benjamini_hochberg_hand_example():
    np.testing.assert_array_equal(benjamini_hochberg(HAND_P, 0.05), HAND_REJECTED)
    np.testing.assert_allclose(fdr_adjusted(HAND_P), HAND_ADJUSTED, rtol=1e-12)
    # At 0.045 rank 4 fails (0.039 > 0.036) and so do 2 and 3: only the smallest.
    np.testing.assert_array_equal(
        benjamini_hochberg(HAND_P, 0.045), [False, False, True, False, False]
    )
    assert not benjamini_hochberg([0.5, 0.6], 0.05).any()
    assert benjamini_hochberg(np.empty(0)).shape == (0,)
    with pytest.raises(ValueError):
        benjamini_hochberg([0.1, np.nan])
    with pytest.raises(ValueError):
        benjamini_hochberg([0.1, 1.2])


@pytest.mark.skipif(not hasattr(stats, "false_discovery_control"), reason="scipy < 1.11 has no BH")
def test_benjamini_hochberg_equals_scipy():
    rng = np.random.default_rng(11)
    p = np.concatenate([rng.uniform(size=900), rng.uniform(0, 0.002, size=100)])
    rng.shuffle(p)
    p = p.reshape(25, 40)
    adjusted = stats.false_discovery_control(p.ravel(), method="bh").reshape(p.shape)
    np.testing.assert_allclose(fdr_adjusted(p), adjusted, rtol=1e-12)
    for alpha in (0.01, 0.05, 0.1):
        np.testing.assert_array_equal(benjamini_hochberg(p, alpha), adjusted <= alpha)


def test_benjamini_hochberg_is_statsmodels_multipletests():
    """Our functions are the libraries' answers on several inputs (they call them)."""
    rng = np.random.default_rng(5)
    for size in (1, 7, 200):
        p = np.concatenate([rng.uniform(size=size), rng.uniform(0, 0.001, size=size // 3)])
        for alpha in (0.01, 0.05, 0.2):
            rejected, adjusted, _, _ = multipletests(p, alpha=alpha, method="fdr_bh")
            np.testing.assert_array_equal(benjamini_hochberg(p, alpha), rejected)
            np.testing.assert_allclose(fdr_adjusted(p), adjusted, rtol=1e-12)


def test_classify_hot_and_cold():
    """A grid with one block of high counts and one of zeros: hot and cold where they
    are, nothing else after FDR control at 5 %."""
    counts = np.full((20, 20), 5.0)
    counts[2:6, 2:6] = 30.0
    counts[12:17, 12:17] = 0.0
    result = gi_star(counts, grid_weights(20, 20))
    labels = classify(result, q=0.05)
    assert labels.shape == (20, 20)
    assert (labels[3:5, 3:5] == HOT).all()
    assert (labels[13:16, 13:16] == COLD).all()
    assert (labels[9, :] == NOT_SIGNIFICANT).all()
    significant = benjamini_hochberg(result.p, 0.05)
    assert (labels != NOT_SIGNIFICANT).sum() == significant.sum()


# --- weights and counts -----------------------------------------------------------------


@pytest.mark.parametrize("rook", [False, True], ids=["queen", "rook"])
@pytest.mark.parametrize("shape", [(5, 7), (1, 6), (6, 1), (2, 2)])
def test_grid_weights_equal_lat2w(shape, rook):
    ours = grid_weights(*shape, rook=rook)
    theirs = libpysal.weights.lat2W(*shape, rook=rook).sparse
    assert isinstance(ours, sparse.csr_matrix)
    np.testing.assert_array_equal(ours.toarray(), theirs.toarray())


def test_grid_weights_5x7_queen():
    w = grid_weights(5, 7)
    neighbours = np.diff(w.indptr)
    assert w.shape == (35, 35)
    assert neighbours[0] == 3 and neighbours[3] == 5 and neighbours[7 + 3] == 8
    assert (w != w.T).nnz == 0 and w.diagonal().sum() == 0
    np.testing.assert_array_equal(w[0].indices, [1, 7, 8])


def test_queen_weights_four_squares():
    """Four unit squares in a 2 x 2 block: every pair shares an edge or a corner."""
    squares = [shapely.box(x, y, x + 1, y + 1) for y in (0, 1) for x in (0, 1)]
    w = queen_weights_from_polygons(squares)
    np.testing.assert_array_equal(w.toarray(), np.ones((4, 4)) - np.eye(4))


def test_queen_weights_islands_gaps_and_missing():
    geoms = [
        shapely.box(0, 0, 1, 1),
        shapely.box(1, 0, 2, 1),  # shares an edge with 0
        shapely.box(2.01, 0, 3, 1),  # 0.01 away from 1
        shapely.box(10, 10, 11, 11),  # island
        None,
    ]
    w = queen_weights_from_polygons(geoms)
    assert w.shape == (5, 5)
    assert sorted(zip(*w.nonzero(), strict=True)) == [(0, 1), (1, 0)]
    loose = queen_weights_from_polygons(geoms, tolerance=0.05)
    assert sorted(zip(*loose.nonzero(), strict=True)) == [(0, 1), (1, 0), (1, 2), (2, 1)]


def test_queen_weights_equal_libpysal_on_columbus():
    geoms, _ = columbus()
    ours = queen_weights_from_polygons(geoms)
    theirs = libpysal.weights.Queen.from_iterable(geoms).sparse
    assert ours.nnz == theirs.nnz == 236
    np.testing.assert_array_equal(ours.toarray(), theirs.toarray())


def test_grid_counts():
    x = np.array([0, 50, 99.9, 100, 250, 300, 150, 10, -1, 50, np.nan])
    y = np.array([0, 150, 199, 100, 50, 200, 0, 200, 50, 201, 5])
    counts, transform = grid_counts(x, y, 100, (0, 0, 300, 200))
    assert counts.shape == (2, 3) and counts.dtype == np.int64
    # Row 0 is the north (y 100-200): (50,150), (99.9,199) and (10,200) in column 0,
    # (300,200) on the bounds' east edge in column 2. A point on a cell's west or north
    # edge is that cell's: (100,100) is row 1, column 1, with (150,0) on the south edge.
    np.testing.assert_array_equal(counts, [[3, 0, 1], [1, 2, 1]])
    assert counts.sum() == 8  # (-1,50), (50,201) and the NaN are outside
    assert transform.n_rows == 2 and transform.n_cols == 3
    assert transform.to_gdal() == (0.0, 100.0, 0.0, 200.0, 0.0, -100.0)
    assert transform.cell_bounds(1, 2) == (200.0, 0.0, 300.0, 100.0)
    cx, cy = transform.cell_centres()
    assert cx[0, 0] == 50 and cy[0, 0] == 150 and cy[1, 2] == 50
    # The grid and grid_weights share the cell order: counts.ravel()[row * n_cols + col].
    assert counts.ravel()[1 * 3 + 1] == counts[1, 1]


def test_grid_counts_partial_cells_and_errors():
    counts, transform = grid_counts([0.5, 249], [0.5, 0.5], 100, (0, 0, 250, 99))
    assert counts.shape == (1, 3) and counts.tolist() == [[1, 0, 1]]
    assert (transform.n_rows, transform.n_cols, transform.y_max) == (1, 3, 99.0)
    with pytest.raises(ValueError):
        grid_counts([0], [0], 0, (0, 0, 1, 1))
    with pytest.raises(ValueError):
        grid_counts([0], [0], 1, (1, 1, 0, 0))


def columbus() -> tuple[list, np.ndarray]:
    """The 49 Columbus (Ohio) neighbourhoods and their crime rates, shipped in libpysal."""
    with open(libpysal.examples.get_path("columbus.json"), encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    crime = np.array([f["properties"]["CRIME"] for f in features], dtype=float)
    return geoms, crime
