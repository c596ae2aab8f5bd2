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


def test_prospective_decays_with_distance_and_age_and_forgets_past_the_window() -> None:
    from sinasec.analytics.backtest.methods import ProspectiveParams, prospective_scores

    shape = (5, 5)
    centre = 12  # row 2, col 2
    params = ProspectiveParams(radius=1, window_weeks=4)
    score = prospective_scores([centre], [0], shape, params)
    assert score[2, 2] == pytest.approx(1.0)
    assert score[2, 3] == pytest.approx(0.5)  # one cell away: 1 / (1 + 1)
    assert score[0, 0] == 0  # beyond the radius
    older = prospective_scores([centre], [7], shape, params)  # one week old: 1 / (1 + 1)
    assert older[2, 2] == pytest.approx(0.5)
    assert prospective_scores([centre], [28], shape, params).sum() == 0  # past the window


def test_bootstrap_is_seeded_and_paired() -> None:
    from sinasec.analytics.backtest.metrics import bootstrap_hits, compare, interval

    counts = np.array([[30, 10, 0], [5, 50, 5]])
    selections = {"a": np.array([0, 4]), "b": np.array([4, 1])}
    one = bootstrap_hits(counts, selections, resamples=500, seed=1)
    two = bootstrap_hits(counts, selections, resamples=500, seed=1)
    np.testing.assert_array_equal(one["a"], two["a"])
    assert one["a"].mean() == pytest.approx(80 / 100, abs=0.01)
    # Resampling 100 incidents: a's hits are binomial(100, 0.8), variance 0.8 * 0.2 / 100.
    assert one["a"].var() == pytest.approx(0.8 * 0.2 / 100, rel=0.25)
    low, high = interval(one["a"])
    assert low < 0.8 < high
    comparison = compare("a", "b", {"a": 0.8, "b": 0.6}, one)
    assert comparison.difference == pytest.approx(0.2)
    assert comparison.ahead  # a's extra cell holds 30 of 100, b's 10: beyond the noise
    level = compare("a", "a", {"a": 0.8}, one)
    assert level.ci == (0.0, 0.0) and not level.ahead
