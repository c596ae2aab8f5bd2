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
    hit_rate_ci: list[float] | None  # the 95 % bootstrap interval over test incidents
    pai: float
    pei: float


@dataclass(frozen=True)
class MethodScore:
    hit_rate: float
    pai: float
    pei: float
    hits: float  # test incidents in the selected cells (an expectation for random)
    ci: tuple[float, float] | None = None  # of the hit rate (bootstrap over test incidents)

    def as_dict(self) -> MethodScoreData:
        return {
            "hit_rate": round(self.hit_rate, 6),
            "hit_rate_ci": None if self.ci is None else [round(v, 6) for v in self.ci],
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


# --------------------------------------------------------------------------------------
# Uncertainty: a bootstrap over the test incidents
# --------------------------------------------------------------------------------------
#
# The test period is one draw of incidents; another six months would have put some
# elsewhere. The bootstrap resamples the test incidents with replacement (as many as
# there were) and recomputes every method's hit rate on the same selections: the 2.5th
# and 97.5th percentiles are the 95 % interval. The resamples are shared by all methods
# (a paired bootstrap), so the difference between two methods has its own interval,
# much narrower than either hit rate's when they select mostly the same cells. A hit
# depends only on the incident's cell, so resampling incidents is drawing the test
# counts per cell from a multinomial with the observed shares, and only the sums over
# cells selected by the same methods matter: exact, and cheap (a handful of categories,
# not incidents). ``random``'s hit rate is an expectation, not a
# selection: its interval is the point itself.

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20260715
BOOTSTRAP_LEVEL = 0.95


def bootstrap_hits(
    test_counts: npt.ArrayLike,
    selections: dict[str, IntArray],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict[str, FloatArray]:
    """The hit rate of every selection (flat cell indices) in each of ``resamples``
    bootstrap resamples of the test incidents (seeded, the same resamples for all)."""
    flat = np.asarray(test_counts, dtype=np.int64).ravel()
    occupied = np.flatnonzero(flat)
    total = int(flat[occupied].sum())
    if total <= 0:
        raise BacktestError("no incidents in the test period")
    names = list(selections)
    member = np.zeros((flat.size, len(names)), dtype=bool)
    for j, name in enumerate(names):
        member[selections[name], j] = True
    # Cells selected by the same methods are one category: the multinomial over cells,
    # summed within categories, is the multinomial over categories (exact, and at most
    # 2 ** methods categories instead of every occupied cell).
    patterns, category = np.unique(member[occupied], axis=0, return_inverse=True)
    shares = np.bincount(category.ravel(), weights=flat[occupied], minlength=len(patterns))
    shares = shares / shares.sum()
    draws = np.random.default_rng(seed).multinomial(total, shares, size=resamples)
    hits = draws @ patterns.astype(np.float64) / total
    return {name: np.asarray(hits[:, j], dtype=np.float64) for j, name in enumerate(names)}


def interval(samples: FloatArray, level: float = BOOTSTRAP_LEVEL) -> tuple[float, float]:
    """The percentile interval of bootstrap ``samples``."""
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


class ComparisonData(TypedDict):
    method: str
    against: str
    difference: float
    ci: list[float]
    ahead: bool


@dataclass(frozen=True)
class Comparison:
    """``method``'s hit rate minus ``against``'s, with the paired bootstrap interval;
    ``ahead`` when the whole interval is above 0 (ahead beyond the uncertainty)."""

    method: str
    against: str
    difference: float
    ci: tuple[float, float]

    @property
    def ahead(self) -> bool:
        return self.ci[0] > 0

    def as_dict(self) -> ComparisonData:
        return {
            "method": self.method,
            "against": self.against,
            "difference": round(self.difference, 6),
            "ci": [round(self.ci[0], 6), round(self.ci[1], 6)],
            "ahead": self.ahead,
        }


def compare(
    method: str,
    against: str,
    rates: dict[str, float],
    samples: dict[str, FloatArray],
    level: float = BOOTSTRAP_LEVEL,
) -> Comparison:
    """``method`` against ``against``: the difference of their hit rates and its paired
    bootstrap interval (a method without samples, ``random``, is a constant)."""

    def draws(name: str) -> FloatArray:
        return samples[name] if name in samples else np.full(1, rates[name])

    difference = draws(method) - draws(against)
    return Comparison(method, against, rates[method] - rates[against], interval(difference, level))
