"""Hot spots: Getis-Ord Gi* with Benjamini-Hochberg false-discovery control.

Pure functions over NumPy arrays and SciPy sparse matrices (no Django), in the style of
``esda``: the crime observatory calls them on territories (contiguity among polygons) and
on regular grids of incident counts.

- :func:`gi_star` computes the local Gi* statistic, its expected value and variance under
  the null and the z-scores, exactly as ``esda.G_Local(y, w, star=True, permutations=0)``
  computes them analytically (Getis & Ord 1992; Ord & Getis 1995), with the focal unit in
  its own neighbourhood; p-values come from the normal approximation.
- :func:`benjamini_hochberg` and :func:`fdr_adjusted` control the false-discovery rate
  over the many simultaneous local tests; :func:`classify` labels each unit hot, cold or
  not significant at a given FDR level.
- :func:`queen_weights_from_polygons`, :func:`grid_weights` and :func:`grid_counts` build
  the inputs: contiguity among territory polygons, queen contiguity on a regular grid and
  the grid of incident counts.

Weights are ``scipy.sparse.csr_matrix`` of shape ``(n, n)``: row ``i`` holds the
neighbours of unit ``i`` (its diagonal, if any, is ignored: Gi* always adds the focal unit
itself with the self-weight described in :func:`gi_star`). Grid cells are numbered row by
row (``index = row * n_cols + col``, row 0 the northernmost), the order of
``counts.ravel()`` and of ``libpysal.weights.lat2W``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse, stats
from statsmodels.stats.multitest import multipletests

__all__ = [
    "COLD",
    "HOT",
    "NOT_SIGNIFICANT",
    "GiResult",
    "GridTransform",
    "benjamini_hochberg",
    "classify",
    "fdr_adjusted",
    "gi_star",
    "grid_counts",
    "grid_weights",
    "queen_weights_from_polygons",
]

Alternative = Literal["two-sided", "greater", "less"]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Labels returned by :func:`classify`.
HOT: int = 1
COLD: int = -1
NOT_SIGNIFICANT: int = 0


@dataclass(frozen=True)
class GiResult:
    """The Gi* of every unit, in the shape of the values given to :func:`gi_star`.

    ``gi`` is the statistic (the weighted sum of the neighbourhood, focal unit included,
    over the total), ``expected`` and ``variance`` its moments under the null of no spatial
    association, ``z`` the standardised statistic (positive: high values cluster, a hot
    spot; negative: a cold spot) and ``p`` the p-value of ``z`` from the standard normal
    for the ``alternative`` hypothesis. (``esda``'s ``p_norm`` is the one-sided
    ``norm.sf(|z|)``: half the two-sided p-value.)
    """

    gi: FloatArray
    expected: FloatArray
    variance: FloatArray
    z: FloatArray
    p: FloatArray
    alternative: Alternative
    binary: bool


def _as_weights(weights: Any, n: int) -> sparse.csr_matrix:
    """The neighbour relations of ``weights`` as a CSR matrix with no diagonal and no
    explicit zeros (copied only when it has either)."""
    if not sparse.issparse(weights):
        raise TypeError("weights must be a scipy.sparse matrix (n x n)")
    matrix = sparse.csr_matrix(weights)
    if matrix.shape != (n, n):
        raise ValueError(f"weights are {matrix.shape[0]} x {matrix.shape[1]}, values have {n}")
    if matrix.nnz and not np.all(np.isfinite(matrix.data)):
        raise ValueError("weights must be finite")
    if matrix.nnz and (matrix.data < 0).any():
        raise ValueError("weights must not be negative")
    has_diagonal = bool(matrix.diagonal().any())
    has_zeros = bool(matrix.nnz) and not bool(np.all(matrix.data))
    if has_diagonal:
        coo = matrix.tocoo()
        keep = coo.row != coo.col
        matrix = sparse.csr_matrix(
            (coo.data[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape
        )
    if has_zeros:
        matrix = matrix.copy() if not has_diagonal else matrix
        matrix.eliminate_zeros()
    return matrix


def _p_values(z: FloatArray, alternative: Alternative) -> FloatArray:
    if alternative == "two-sided":
        return np.minimum(1.0, 2.0 * stats.norm.sf(np.abs(z)))
    if alternative == "greater":
        return stats.norm.sf(z)
    if alternative == "less":
        return stats.norm.cdf(z)
    raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', not {alternative!r}")


def gi_star(
    values: npt.ArrayLike,
    weights: sparse.csr_matrix,
    *,
    binary: bool = True,
    alternative: Alternative = "two-sided",
) -> GiResult:
    """Getis-Ord Gi* of every unit, with analytical (normal) inference.

    ``values`` are the attribute of the ``n`` units (any shape of ``n`` elements: a grid of
    counts is read row by row and the results keep its shape); they should be
    non-negative, as Getis and Ord assume. ``weights`` is the ``n x n`` sparse matrix of
    neighbour relations (its diagonal is ignored). The focal unit is always included
    (the "star"), with the conventions of ``esda.G_Local(star=True)``:

    - ``binary=True`` (esda ``transform='B'``): every neighbour and the unit itself weigh
      1, whatever the stored weights;
    - ``binary=False`` (esda ``transform='R'``): the unit itself weighs the largest of its
      row's weights (1 for contiguity), then the row is standardised to sum to 1, so with
      contiguity the self-weight is ``1 / (k_i + 1)``. A unit with no neighbours weighs 1
      alone (esda gives NaN there), in both modes.

    Unlike esda, a diagonal already in ``weights`` never changes the self-weight (esda
    keeps a non-zero diagonal as given and then fills none).

    With ``w_ij`` these weights (``w_ii`` included), ``W_i = sum_j w_ij``, ``S = sum y``
    and ``m``, ``s2`` the mean and (population) variance of ``y``, as esda computes them::

        gi_i = sum_j w_ij y_j / S
        E[gi_i] = W_i / n
        V[gi_i] = W_i (n - W_i) / (n - 1) / n**2 * s2 / m**2
        z_i = (gi_i - E[gi_i]) / sqrt(V[gi_i])

    which is Ord & Getis's (1995) standardised Gi* for binary weights. The p-values are
    the normal tail areas of ``z`` for ``alternative``: ``'two-sided'``, ``'greater'``
    (hot spots only) or ``'less'`` (cold spots only).

    Raises ``ValueError`` when the values are not finite, sum to zero or are all equal
    (Gi* is then undefined), or when the weights do not match them.

    One sparse product and a few vector operations: well under a second for 250,000
    grid cells.
    """
    array = np.asarray(values, dtype=np.float64)
    shape = array.shape
    y = array.ravel()
    n = y.size
    if n < 2:
        raise ValueError("Gi* needs at least two units")
    if not np.all(np.isfinite(y)):
        raise ValueError("values must be finite (no NaN or infinity)")
    total = float(y.sum())
    mean = total / n
    variance_y = float(y.var())
    if total == 0 or variance_y <= 0 or not math.isfinite(variance_y):
        raise ValueError("Gi* is undefined when the values sum to zero or are all equal")
    neighbours = _as_weights(weights, n)

    if binary:
        counts = np.diff(neighbours.indptr).astype(np.float64)
        if np.all(neighbours.data == 1.0):
            lag = neighbours @ y
        else:
            ones = sparse.csr_matrix(
                (np.ones_like(neighbours.data), neighbours.indices, neighbours.indptr),
                shape=neighbours.shape,
            )
            lag = ones @ y
        lag = lag + y
        cardinality = counts + 1.0
    else:
        row_sum = np.asarray(neighbours.sum(axis=1), dtype=np.float64).ravel()
        self_weight = np.maximum.reduceat(
            np.append(neighbours.data, 0.0), np.minimum(neighbours.indptr[:-1], neighbours.nnz)
        )
        self_weight[np.diff(neighbours.indptr) == 0] = 1.0  # no neighbours: itself alone
        row_total = row_sum + self_weight
        lag = (neighbours @ y + self_weight * y) / row_total
        cardinality = np.ones(n, dtype=np.float64)

    gi = lag / total
    expected = cardinality / n
    variance = cardinality * (n - cardinality) / (n - 1) / n**2 * (variance_y / mean**2)
    # A unit whose neighbourhood is every unit (a department bordering the two others of a
    # three-department store) has Gi* = 1 = its expectation and no variance: it cannot
    # differ from the whole, so its z is 0 (not 0/0 = NaN, which no FDR control accepts).
    deviation = gi - expected
    z = np.divide(deviation, np.sqrt(variance), out=np.zeros_like(deviation), where=variance > 0)
    p = _p_values(z, alternative)
    return GiResult(
        gi=gi.reshape(shape),
        expected=expected.reshape(shape),
        variance=variance.reshape(shape),
        z=z.reshape(shape),
        p=p.reshape(shape),
        alternative=alternative,
        binary=binary,
    )


def _p_array(p: npt.ArrayLike) -> FloatArray:
    array = np.asarray(p, dtype=np.float64)
    if np.isnan(array).any() or (array < 0).any() or (array > 1).any():
        raise ValueError("p-values must be numbers between 0 and 1")
    return array


def fdr_adjusted(p: npt.ArrayLike) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (the smallest FDR level at which each test is
    a discovery), in the shape of ``p``: ``min over k >= rank_i of m p_(k) / k``, capped
    at 1. ``scipy.stats.false_discovery_control(p, method='bh')``."""
    array = _p_array(p)
    if array.size == 0:
        return array.copy()
    adjusted = stats.false_discovery_control(array.ravel(), method="bh")
    return np.asarray(adjusted, dtype=np.float64).reshape(array.shape)


def benjamini_hochberg(p: npt.ArrayLike, alpha: float = 0.05) -> BoolArray:
    """Which tests are discoveries at false-discovery rate ``alpha`` (Benjamini & Hochberg
    1995, step-up): with the ``m`` p-values sorted, ``k`` the largest rank with
    ``p_(k) <= k alpha / m``, the ``k`` smallest are rejected. A boolean array in the
    shape of ``p``; valid for independent or positively dependent tests.
    ``statsmodels.stats.multitest.multipletests(p, alpha, method='fdr_bh')``."""
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    array = _p_array(p)
    if array.size == 0:
        return np.zeros(array.shape, dtype=bool)
    rejected = multipletests(array.ravel(), alpha=alpha, method="fdr_bh")[0]
    return np.asarray(rejected, dtype=bool).reshape(array.shape)


def classify(result: GiResult, q: float = 0.05) -> npt.NDArray[np.int8]:
    """Label every unit :data:`HOT` (1), :data:`COLD` (-1) or :data:`NOT_SIGNIFICANT` (0):
    a discovery under Benjamini-Hochberg at FDR ``q`` over all the units' p-values, hot
    when its z-score is positive, cold when negative. In the shape of ``result.z``."""
    significant = benjamini_hochberg(result.p, q)
    labels = np.zeros(result.z.shape, dtype=np.int8)
    labels[significant & (result.z > 0)] = HOT
    labels[significant & (result.z < 0)] = COLD
    return labels


def queen_weights_from_polygons(
    geoms: Sequence[Any] | Iterable[Any], tolerance: float = 0.0
) -> sparse.csr_matrix:
    """Contiguity among territory polygons: ``w_ij = 1`` when ``i != j`` share at least a
    point (a common edge or just a corner, "queen"), or with ``tolerance > 0`` come within
    that distance (in the geometries' units; for simplified boundaries with slivers).

    ``geoms`` are shapely geometries (``None`` or empty ones have no neighbours). The
    candidate pairs come from a shapely ``STRtree`` queried with all the geometries at
    once; returns a symmetric binary ``csr_matrix`` (n x n) with an empty diagonal."""
    import shapely

    array = np.asarray(list(geoms), dtype=object)
    n = array.size
    if n == 0:
        return sparse.csr_matrix((0, 0), dtype=np.float64)
    missing = np.array([g is None for g in array], dtype=bool)
    array[missing] = shapely.Point()  # empty: in the tree, never a neighbour
    tree = shapely.STRtree(array)
    if tolerance > 0:
        pairs = tree.query(array, predicate="dwithin", distance=tolerance)
    elif tolerance == 0:
        pairs = tree.query(array, predicate="intersects")
    else:
        raise ValueError("tolerance must not be negative")
    rows, cols = pairs
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    matrix = sparse.csr_matrix((np.ones(rows.size, dtype=np.float64), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0  # a pair found twice is still one neighbour
    # Symmetric by construction; the maximum guards against any one-sided predicate.
    return matrix.maximum(matrix.T).tocsr()


def grid_weights(n_rows: int, n_cols: int, *, rook: bool = False) -> sparse.csr_matrix:
    """Queen (or, with ``rook=True``, rook) contiguity among the cells of a regular
    ``n_rows x n_cols`` grid, numbered row by row: the same matrix as
    ``libpysal.weights.lat2W(n_rows, n_cols, rook=rook).sparse``, built with array
    operations (no loop over cells). Binary, symmetric, empty diagonal."""
    if n_rows < 1 or n_cols < 1:
        raise ValueError("a grid needs at least one row and one column")
    n = n_rows * n_cols
    index = np.arange(n, dtype=np.int64).reshape(n_rows, n_cols)
    # Half of the offsets; the other half are their transposes.
    offsets = [(0, 1), (1, 0)] if rook else [(0, 1), (1, -1), (1, 0), (1, 1)]
    sources, targets = [], []
    for dr, dc in offsets:
        first, last = max(0, -dc), n_cols - max(0, dc)  # columns with a target
        src = index[: n_rows - dr, first:last]
        dst = index[dr:, first + dc : last + dc]
        sources.append(src.ravel())
        targets.append(dst.ravel())
    src_all = np.concatenate(sources)
    dst_all = np.concatenate(targets)
    rows = np.concatenate([src_all, dst_all])
    cols = np.concatenate([dst_all, src_all])
    matrix = sparse.csr_matrix((np.ones(rows.size, dtype=np.float64), (rows, cols)), shape=(n, n))
    matrix.sort_indices()
    return matrix


@dataclass(frozen=True)
class GridTransform:
    """Where the cells of a grid from :func:`grid_counts` lie: ``x_min`` and ``y_max`` are
    the top-left corner (row 0 is the northernmost, column 0 the westernmost), cells are
    squares of side ``cell_size`` (in the points' units, metres when projected)."""

    x_min: float
    y_max: float
    cell_size: float
    n_rows: int
    n_cols: int

    def to_gdal(self) -> tuple[float, float, float, float, float, float]:
        """The GDAL geotransform ``(x_min, cell, 0, y_max, 0, -cell)``."""
        return (self.x_min, self.cell_size, 0.0, self.y_max, 0.0, -self.cell_size)

    def cell_centres(self) -> tuple[FloatArray, FloatArray]:
        """The ``(x, y)`` of every cell's centre, each an ``n_rows x n_cols`` array."""
        xs = self.x_min + (np.arange(self.n_cols) + 0.5) * self.cell_size
        ys = self.y_max - (np.arange(self.n_rows) + 0.5) * self.cell_size
        grid_x, grid_y = np.meshgrid(xs, ys)
        return grid_x, grid_y

    def cell_bounds(self, row: int, col: int) -> tuple[float, float, float, float]:
        """``(min_x, min_y, max_x, max_y)`` of one cell."""
        x0 = self.x_min + col * self.cell_size
        y1 = self.y_max - row * self.cell_size
        return (x0, y1 - self.cell_size, x0 + self.cell_size, y1)


def grid_counts(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    cell_size: float,
    bounds: tuple[float, float, float, float],
) -> tuple[npt.NDArray[np.int64], GridTransform]:
    """Count points in the square cells of a regular grid over ``bounds``
    ``(min_x, min_y, max_x, max_y)`` (projected coordinates, e.g. metres).

    The grid starts at ``(min_x, max_y)`` and has ``ceil(width / cell_size)`` columns and
    ``ceil(height / cell_size)`` rows (at least one each), so it may reach a little past
    ``max_x`` and below ``min_y``. A point on a cell's west or north edge belongs to that
    cell; points on the east or south edge of the bounds go to the last cell; points
    outside the bounds or with a missing coordinate are not counted. Returns the
    ``n_rows x n_cols`` counts (row 0 northernmost) and its :class:`GridTransform`."""
    if not (cell_size > 0 and math.isfinite(cell_size)):
        raise ValueError("cell_size must be a positive number")
    min_x, min_y, max_x, max_y = (float(b) for b in bounds)
    if not (max_x >= min_x and max_y >= min_y):
        raise ValueError("bounds must be (min_x, min_y, max_x, max_y)")
    n_cols = max(1, math.ceil((max_x - min_x) / cell_size))
    n_rows = max(1, math.ceil((max_y - min_y) / cell_size))
    px = np.asarray(x, dtype=np.float64).ravel()
    py = np.asarray(y, dtype=np.float64).ravel()
    if px.shape != py.shape:
        raise ValueError("x and y must have the same length")
    inside = (px >= min_x) & (px <= max_x) & (py >= min_y) & (py <= max_y)
    cols = np.floor((px[inside] - min_x) / cell_size).astype(np.int64)
    rows = np.floor((max_y - py[inside]) / cell_size).astype(np.int64)
    np.clip(cols, 0, n_cols - 1, out=cols)
    np.clip(rows, 0, n_rows - 1, out=rows)
    counts = np.bincount(rows * n_cols + cols, minlength=n_rows * n_cols)
    transform = GridTransform(min_x, max_y, float(cell_size), n_rows, n_cols)
    return counts.astype(np.int64).reshape(n_rows, n_cols), transform
