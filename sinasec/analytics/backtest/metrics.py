"""Selecting the cells a score ranks first, and scoring a selection against the test
incidents:

- **hit rate**: test incidents in the selected cells / all test incidents;
- **PAI** (predictive accuracy index, Chainey et al. 2008): hit rate / area share. 1 is
  what a random choice of cells gives; above 1, better;
- **PEI** (predictive efficiency index, Hunt 2016): hit rate / the best possible hit rate
  with that many cells (the cells with the most test incidents, known only afterwards).
  1 is perfect; it says how much of what was achievable was achieved.

Ties in a ranking are broken by the cell number (row by row from the north-west corner),
so the same data give the same selection. Pure functions over NumPy arrays (no Django).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import numpy.typing as npt

from sinasec.analytics.backtest.data import BacktestError, FloatArray, IntArray


def _largest(values: FloatArray, k: int) -> IntArray:
    """Positions of the ``k`` largest values, ties to the lowest position (unordered)."""
    n = values.size
    if k >= n:
        return np.arange(n, dtype=np.int64)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(values, n - k)[n - k]
    above = np.flatnonzero(values > threshold)
    equal = np.flatnonzero(values == threshold)[: k - above.size]
    return np.concatenate([above, equal]).astype(np.int64)


def top_cells(score: npt.ArrayLike, k: int, first: npt.ArrayLike | None = None) -> IntArray:
    """The flat indices of the ``k`` best cells by ``score`` (in no particular order;
    between equal scores the lower cell number wins), taking every cell of the boolean
    mask ``first`` before any other when given. Linear time (a partition, no sort)."""
    values = np.asarray(score, dtype=np.float64).ravel()
    if not np.all(np.isfinite(values)):
        raise ValueError("scores must be finite")
    if first is None:
        return _largest(values, k)
    mask = np.asarray(first, dtype=bool).ravel()
    preferred = np.flatnonzero(mask)
    if preferred.size >= k:
        return preferred[_largest(values[preferred], k)]
    rest = np.flatnonzero(~mask)
    return np.concatenate([preferred, rest[_largest(values[rest], k - preferred.size)]])


class MethodScoreData(TypedDict):
    """:class:`MethodScore` in the backtest's JSON."""

    hit_rate: float
    pai: float
    pei: float


@dataclass(frozen=True)
class MethodScore:
    hit_rate: float
    pai: float
    pei: float
    hits: float  # test incidents in the selected cells (an expectation for random)

    def as_dict(self) -> MethodScoreData:
        return {
            "hit_rate": round(self.hit_rate, 6),
            "pai": round(self.pai, 6),
            "pei": round(self.pei, 6),
        }


def cell_count(coverage: float, n_cells: int) -> int:
    """How many cells a coverage (share of the area) selects: at least one."""
    if not (0 < coverage <= 1):
        raise BacktestError(f"coverage must be a share of the area in (0, 1], not {coverage!r}")
    return min(n_cells, max(1, round(coverage * n_cells)))


def best_hits(test_counts: npt.ArrayLike, k: int) -> int:
    """The most test incidents ``k`` cells could hold (the top cells by test counts)."""
    values = np.asarray(test_counts).ravel()
    return int(values[_largest(values.astype(np.float64), k)].sum())


def evaluate_selection(
    selected_hits: float, test_total: int, k: int, n_cells: int, best: int
) -> MethodScore:
    """Hit rate, PAI and PEI of a selection of ``k`` of ``n_cells`` cells holding
    ``selected_hits`` of the ``test_total`` test incidents, when the best ``k`` cells
    hold ``best``."""
    if test_total <= 0:
        raise BacktestError("no incidents in the test period")
    hit_rate = selected_hits / test_total
    area_share = k / n_cells
    best_rate = best / test_total
    return MethodScore(
        hit_rate=hit_rate,
        pai=hit_rate / area_share,
        pei=hit_rate / best_rate if best_rate > 0 else 0.0,
        hits=selected_hits,
    )
