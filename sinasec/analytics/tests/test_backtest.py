"""The backtest's pure parts: the top cells, PEI, the smoothing, the candidates of
``ours`` and the periods."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from sinasec.analytics.backtest.data import BacktestError, Period, parse_period
from sinasec.analytics.backtest.methods import candidate_params, gaussian_smooth
from sinasec.analytics.backtest.metrics import best_hits, evaluate_selection, top_cells

TRAIN = Period(date(2022, 1, 1), date(2023, 12, 31))


def test_top_cells_breaks_ties_by_cell_number() -> None:
    score = np.array([[1.0, 3.0, 3.0], [0.0, 3.0, 2.0]])
    assert sorted(top_cells(score, 2)) == [1, 2]  # three cells tie at 3: the first two
    assert sorted(top_cells(score, 4)) == [1, 2, 4, 5]
    first = np.array([[True, False, False], [True, False, False]])
    assert sorted(top_cells(score, 3, first)) == [0, 1, 3]  # the preferred cells first
    assert sorted(top_cells(score, 1, first)) == [0]
    assert list(top_cells(np.zeros(4), 2)) == [0, 1]


def test_pei_is_one_for_the_best_cells_and_kde_keeps_the_mass() -> None:
    counts = np.array([[5, 0, 1], [0, 2, 0]])
    best = best_hits(counts, 2)
    assert best == 7
    assert evaluate_selection(7, 8, 2, 6, best).pei == 1.0
    grid = np.zeros((41, 41))
    grid[20, 20] = 10
    smooth = gaussian_smooth(grid, 2.0)
    assert smooth.sum() == pytest.approx(10)
    assert smooth.argmax() == 20 * 41 + 20


def test_the_baselines_are_among_ours_candidates() -> None:
    candidates = candidate_params(2.0)
    assert any(p.blend == 0 and p.half_life_days is None for p in candidates)  # previous
    assert any(p.blend == 1 and p.bandwidth == 2.0 and p.half_life_days is None for p in candidates)
    assert any(p.bandwidth == 2.5 for p in candidate_params(2.5))  # the KDE's, whatever it is


def test_periods_are_parsed_inclusive() -> None:
    assert parse_period("2022-01-01:2023-12-31") == TRAIN
    assert parse_period("2022-01:2023-12") == TRAIN
    assert parse_period("2022:2023") == TRAIN
    assert parse_period("2024-02") == Period(date(2024, 2, 1), date(2024, 2, 29))
    for bad in ("2022-13:2023-01", "yesterday:today", "2023-01-01:", "2024:2023"):
        with pytest.raises(BacktestError):
            parse_period(bad)
