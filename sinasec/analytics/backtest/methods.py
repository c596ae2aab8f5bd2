"""The methods a backtest compares: how each scores the cells of the grid from the
training incidents only.

Pure functions over NumPy arrays (no Django); :mod:`sinasec.analytics.backtest.loop` runs them.

The methods
-----------
- ``random``: cells drawn uniformly at random. Reported as its exact expectation: the
  area share times the share of test incidents inside the grid (all of them, as the grid
  covers both periods), so PAI is 1. No seed, no sampling noise (it needs no score: the
  backtest computes it).
- ``previous``: the counts of the training period (the "last year's hot spots" rule).
- ``kde``: a Gaussian kernel density of the training incidents on the grid: the counts
  convolved (``scipy.signal.fftconvolve``) with a Gaussian of ``kde_bandwidth`` cells
  (default 2), truncated at four standard deviations.
- ``ours``: a validated multi-scale risk surface, below.
- ``prospective``: prospective hot-spotting (Bowers, Johnson & Pease 2004), at the end.
``ours``: a validated multi-scale risk surface
----------------------------------------------
Every cell gets the score::

    r = (1 - a) * D_h + a * (G_s * D_h)

where ``D_h`` are the training incidents counted with the weight ``2 ** (-age / h)``
(``age`` in days before the end of the training period: with a half-life of ``h`` days
recent incidents weigh more; ``h = None`` is the plain count), and ``G_s * D_h`` is
``D_h`` smoothed with a Gaussian kernel of ``s`` cells. Optionally (``hot_spots_first``)
the cells that are significant hot spots of ``D_h`` come first: Getis-Ord Gi* with queen
neighbours (:func:`~sinasec.analytics.hotspots.gi_star`), Benjamini-Hochberg at false
discovery rate 5 % (:func:`~sinasec.analytics.hotspots.classify`), ranked among
themselves by ``r``, then the rest by ``r``.

Why these three terms. Crime risk has structure at two scales: persistent places (a
market, a terminal: a few cells) inside broader high-crime areas (a district centre:
kilometres). The cell's own count ``D_h`` is unbiased for the first but noisy; the
smoothed term borrows strength from the neighbours (near repeats: an incident raises the
risk *around* it, within a few hundred metres, which is why a burglary's neighbours are
burgled next) and removes noise but blurs sharp peaks; the blend ``a`` trades the two
off. The decay ``h`` follows recent change (near repeats fade in weeks; a new market
makes a new hot spot). Gi* with Benjamini-Hochberg asks whether a cell's neighbourhood
has more incidents than chance allows, with the false discoveries among the thousands
of simultaneous tests under control: a cell with a high count but no significant
neighbourhood is more likely a one-off burst (a string of near repeats that will not
recur) than a place.

How much of each is data-dependent: the best blend and bandwidth depend on how many
incidents fall in a cell (dense data need little smoothing; sparse data, or small cells,
need more). So the four parameters are not fixed numbers but chosen, for each coverage,
from a fixed grid written below (:data:`BLENDS`, :data:`BANDWIDTHS` plus the KDE's
bandwidth, :data:`HALF_LIVES`, hot spots first or not: 88 candidates with the default KDE
bandwidth), by their hit rate on a **validation split of the training period only**: the
candidates are fitted on the training period minus its last ``L`` days and scored on
those last ``L`` days, ``L`` being the length of the test period (at most half the
training period), so the validation mimics the real forecast, horizon included. A split
in time (not a random half of the incidents) matters with near repeats: a random split
would put a burst's first incident in one half and its follow-ups in the other and
reward no smoothing at all. The chosen parameters are then refitted on the whole
training period. The test period is never looked at. Ties between candidates go to the
simplest (no decay, no hot-spot tier, least smoothing: the order of the grid).

The grid itself is fixed, not tuned: blends in thirds (finer steps change hit rates by
less than the validation's own noise); bandwidths from half a cell to four (125 m to
1 km with 250 m cells: from a block, the reach of a near repeat, to a district centre);
a half-life of one year (last year's incidents weigh twice the year before's; shorter
half-lives throw away most of a two-year window and chase noise) or none.

The baselines are special cases (``a = 0``, ``h = None``: ``previous``; ``a = 1``,
``s`` = the KDE's bandwidth, ``h = None``: ``kde``), so up to the noise of the
validation ``ours`` does at least as well as the best of them; it does better when an
intermediate blend or a different bandwidth predicts better, which on clustered data
(hot spots plus near repeats, :mod:`sinasec.incidents.synthetic`) it does. When the
training period is too short to split (or a part has no incidents) the default
:data:`DEFAULT_PARAMS` is used.

What to expect. On the synthetic generator's incidents (``bench/barrios_backtest.py``:
one million in Lima and Callao, 250 m cells, two years to train, six months to test)
``ours`` is ahead of every baseline at 5 % and 10 % of the area, by a few tenths of a
point: with that many incidents the previous period's counts already reach a PEI of
about 0.98, and what is left is mostly the test period's own chance variation, which no
forecast can predict. At 1 % it is level with ``previous`` (either may win by a few
hundredths of a point). With sparser data (fewer incidents or smaller cells) smoothing
matters more and the margins grow (about +0.5 points at 5 % on 60,000 incidents in six
districts, the tests' data: ahead in 20 seeds of 20).

The validation split and the choice among the candidates are run by
:func:`sinasec.analytics.backtest.loop.backtest_points`; this module gives the candidates
(:func:`candidate_params`) and the scores (:class:`Surfaces`, :func:`ours_scores`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import numpy.typing as npt
from scipy.signal import fftconvolve

from sinasec.analytics.backtest.data import BoolArray, FloatArray, IntArray
from sinasec.analytics.hotspots import HOT, classify, gi_star
from sinasec.analytics.hotspots import grid_weights as queen_weights

METHODS = ("ours", "prospective", "previous", "kde", "random")
#: Share of the smoothed term in ``ours``'s score (0: the cell's own count only).
BLENDS = (0.0, 1 / 3, 2 / 3, 1.0)
#: Bandwidths (standard deviations, in cells) of the smoothed term; the KDE's is added.
BANDWIDTHS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
#: Half-lives (days) of the time decay; ``None``: no decay.
HALF_LIVES: tuple[float | None, ...] = (None, 365.0)
HOT_SPOT_FDR = 0.05
DEFAULT_KDE_BANDWIDTH = 2.0
KERNEL_RADIUS_SD = 4.0


def _kernel(bandwidth: float) -> FloatArray:
    radius = max(1, math.ceil(KERNEL_RADIUS_SD * bandwidth))
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    line = np.exp(-0.5 * (offsets / bandwidth) ** 2)
    kernel = np.outer(line, line)
    return np.asarray(kernel / kernel.sum(), dtype=np.float64)


def gaussian_smooth(values: npt.ArrayLike, bandwidth: float) -> FloatArray:
    """``values`` (a grid) convolved with a Gaussian kernel of standard deviation
    ``bandwidth`` cells, truncated at four standard deviations and normalised to sum 1
    (mass past the grid's edge is lost), by FFT (``scipy.signal.fftconvolve``). The FFT's
    rounding noise (~1e-16 of the largest value) is set to zero so empty areas tie."""
    if not (bandwidth > 0 and math.isfinite(bandwidth)):
        raise ValueError("the bandwidth must be a positive number of cells")
    grid = np.asarray(values, dtype=np.float64)
    if grid.ndim != 2:
        raise ValueError("values must be a 2-D grid")
    smoothed = np.asarray(fftconvolve(grid, _kernel(bandwidth), mode="same"), dtype=np.float64)
    peak = float(np.abs(smoothed).max()) if smoothed.size else 0.0
    smoothed[smoothed <= peak * 1e-12] = 0.0
    return smoothed


def kde_scores(train_counts: npt.ArrayLike, bandwidth: float = DEFAULT_KDE_BANDWIDTH) -> FloatArray:
    """The ``kde`` baseline: a Gaussian kernel density of the training incidents on the
    grid (their counts smoothed by :func:`gaussian_smooth`)."""
    return gaussian_smooth(train_counts, bandwidth)


class OursParamsData(TypedDict):
    """:class:`OursParams` in the backtest's JSON."""

    blend: float
    bandwidth_cells: float | None
    half_life_days: float | None
    hot_spots_first: bool


@dataclass(frozen=True)
class OursParams:
    """The parameters of ``ours``'s score (see the module's documentation)."""

    blend: float
    bandwidth: float | None  # cells; None when blend is 0
    half_life_days: float | None  # None: no decay
    hot_spots_first: bool

    def as_dict(self) -> OursParamsData:
        return {
            "blend": round(self.blend, 4),
            "bandwidth_cells": self.bandwidth,
            "half_life_days": self.half_life_days,
            "hot_spots_first": self.hot_spots_first,
        }


#: Used when the training period cannot be split for validation.
DEFAULT_PARAMS = OursParams(blend=2 / 3, bandwidth=1.0, half_life_days=None, hot_spots_first=False)


def candidate_params(kde_bandwidth: float = DEFAULT_KDE_BANDWIDTH) -> list[OursParams]:
    """The fixed grid ``ours`` chooses from, simplest first (the order breaks ties)."""
    bandwidths = sorted({*BANDWIDTHS, float(kde_bandwidth)})
    candidates: list[OursParams] = []
    for half_life in HALF_LIVES:
        for first in (False, True):
            for blend in BLENDS:
                for bandwidth in bandwidths if blend > 0 else [None]:
                    candidates.append(OursParams(blend, bandwidth, half_life, first))
    return candidates


class Surfaces:
    """``D_h``, its smoothings and its Gi* hot spots, computed once per half-life."""

    def __init__(self, cells: IntArray, age_days: IntArray, shape: tuple[int, int]):
        self.cells = cells
        self.age = age_days
        self.shape = shape
        self._decayed: dict[float | None, FloatArray] = {}
        self._smoothed: dict[tuple[float | None, float], FloatArray] = {}
        self._hot: dict[float | None, BoolArray] = {}

    def decayed(self, half_life: float | None) -> FloatArray:
        if half_life not in self._decayed:
            n = self.shape[0] * self.shape[1]
            weights = None if half_life is None else np.exp2(-self.age / half_life)
            counts = np.bincount(self.cells, weights=weights, minlength=n)
            self._decayed[half_life] = counts.astype(np.float64).reshape(self.shape)
        return self._decayed[half_life]

    def smoothed(self, half_life: float | None, bandwidth: float) -> FloatArray:
        key = (half_life, bandwidth)
        if key not in self._smoothed:
            self._smoothed[key] = gaussian_smooth(self.decayed(half_life), bandwidth)
        return self._smoothed[key]

    def hot(self, half_life: float | None) -> BoolArray:
        if half_life not in self._hot:
            values = self.decayed(half_life)
            if values.size < 2 or values.sum() <= 0 or values.var() <= 0:
                hot = np.zeros(self.shape, dtype=bool)
            else:
                result = gi_star(values, queen_weights(*self.shape))
                hot = classify(result, HOT_SPOT_FDR) == HOT
            self._hot[half_life] = hot
        return self._hot[half_life]

    def score(self, params: OursParams) -> tuple[FloatArray, BoolArray | None]:
        own = self.decayed(params.half_life_days)
        if params.blend > 0:
            assert params.bandwidth is not None
            smooth = self.smoothed(params.half_life_days, params.bandwidth)
            score = (1 - params.blend) * own + params.blend * smooth
        else:
            score = own
        first = self.hot(params.half_life_days) if params.hot_spots_first else None
        return score, first


def ours_scores(
    cells: npt.ArrayLike,
    age_days: npt.ArrayLike,
    shape: tuple[int, int],
    params: OursParams,
) -> tuple[FloatArray, BoolArray | None]:
    """``ours``'s score of every cell for given parameters, from the training incidents'
    cells (flat indices, row by row) and ages in days (before the end of training).
    Returns the score grid and the cells to rank first (Gi* hot spots), or ``None``."""
    surfaces = Surfaces(
        np.asarray(cells, dtype=np.int64), np.asarray(age_days, dtype=np.int64), shape
    )
    return surfaces.score(params)


# --------------------------------------------------------------------------------------
# prospective: prospective hot-spotting with near-repeat space-time decay
# --------------------------------------------------------------------------------------
#
# Bowers, Johnson & Pease (2004, "Prospective hot-spotting: the future of crime
# mapping?"): every past incident raises the risk of the cells around it, the more the
# nearer it is in space and the more recent it is in time, and not at all beyond a
# bandwidth and a time window:
#
#     score(c) = sum_i  1 / (1 + d(c, i)) * 1 / (1 + w_i)   for d <= radius, w_i < window
#
# with ``d`` the distance in cells from the cell's centre to the incident's cell and
# ``w_i`` the incident's age in whole weeks before the end of the training period. It is
# a near-repeat model (Townsley et al. 2003: a burglary raises the risk within a few
# hundred metres for a few weeks) turned into a forecast: unlike ``ours`` it forgets
# everything older than the window. The radius and the window are fitted, like ``ours``,
# on the validation split of the training period only, from :data:`PROSPECTIVE_RADII`
# and :data:`PROSPECTIVE_WINDOWS` (simplest, i.e. smallest, first: ties go to it);
# without a split, :data:`DEFAULT_PROSPECTIVE`. The original used a 400 m radius and
# two months for burglary; the grid here reaches from one cell to a kilometre with
# 250 m cells, and from a month to two years (where it becomes a smoothed count with an
# inverse-age weight).

#: Bandwidths (cells) of the near-repeat distance decay.
PROSPECTIVE_RADII = (1, 2, 3, 4)
#: Time windows (weeks) of the near-repeat time decay.
PROSPECTIVE_WINDOWS = (4, 8, 13, 26, 52, 104)


class ProspectiveParamsData(TypedDict):
    radius_cells: int
    window_weeks: int


@dataclass(frozen=True)
class ProspectiveParams:
    """The bandwidth (cells) and time window (weeks) of ``prospective``."""

    radius: int
    window_weeks: int

    def as_dict(self) -> ProspectiveParamsData:
        return {"radius_cells": self.radius, "window_weeks": self.window_weeks}


DEFAULT_PROSPECTIVE = ProspectiveParams(radius=2, window_weeks=8)


def prospective_candidates() -> list[ProspectiveParams]:
    """The fixed grid ``prospective`` chooses from, simplest first."""
    return [ProspectiveParams(r, w) for w in PROSPECTIVE_WINDOWS for r in PROSPECTIVE_RADII]


def _distance_kernel(radius: int) -> FloatArray:
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    distance = np.hypot(*np.meshgrid(offsets, offsets))
    return np.where(distance <= radius, 1.0 / (1.0 + distance), 0.0)


def prospective_scores(
    cells: npt.ArrayLike,
    age_days: npt.ArrayLike,
    shape: tuple[int, int],
    params: ProspectiveParams,
) -> FloatArray:
    """``prospective``'s score of every cell from the training incidents' cells (flat
    indices) and ages in days before the end of the training period (see above)."""
    age_weeks = np.asarray(age_days, dtype=np.int64) // 7
    recent = age_weeks < params.window_weeks
    weights = 1.0 / (1.0 + age_weeks[recent])
    flat = np.asarray(cells, dtype=np.int64)[recent]
    grid = np.bincount(flat, weights=weights, minlength=shape[0] * shape[1]).reshape(shape)
    smoothed = np.asarray(
        fftconvolve(grid, _distance_kernel(params.radius), mode="same"), dtype=np.float64
    )
    peak = float(np.abs(smoothed).max()) if smoothed.size else 0.0
    smoothed[smoothed <= peak * 1e-12] = 0.0  # FFT rounding: empty areas tie
    return smoothed
