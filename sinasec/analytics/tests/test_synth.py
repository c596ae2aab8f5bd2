"""Synthetic control: the known answer (a convex combination of donors recovers its
weights) and the placebo-in-space ranks."""

from __future__ import annotations

import numpy as np
import pytest

from sinasec.analytics.evaluation.synth import SynthError, fit_weights, synthetic_control


def _donors(rng: np.random.Generator, periods: int, n: int) -> np.ndarray:
    """Donor series with their own levels, trends and seasonality (linearly independent)."""
    t = np.arange(periods)
    level = rng.uniform(20, 80, n)
    trend = rng.uniform(-0.5, 0.5, n)
    phase = rng.uniform(0, 2 * np.pi, n)
    noise = rng.normal(0, 3, (periods, n))
    return (
        level
        + np.outer(t, trend)
        + 8 * np.sin(np.outer(t, np.full(n, 2 * np.pi / 12)) + phase)
        + noise
    )


def test_it_recovers_the_weights_of_an_exact_convex_combination() -> None:
    rng = np.random.default_rng(15)
    donors = _donors(rng, 48, 8)
    truth = np.array([0.5, 0.0, 0.3, 0.0, 0.0, 0.2, 0.0, 0.0])
    treated = donors @ truth
    result = synthetic_control(treated, donors, launch_index=36)
    np.testing.assert_allclose(result.weights, truth, atol=1e-6)
    assert result.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert result.fit.pre_rmspe < 1e-6
    assert np.abs(result.fit.gap).max() < 1e-6  # no effect after the launch either


def test_it_recovers_interior_weights_when_the_fit_is_not_exact() -> None:
    # A treated unit that is a combination plus small noise: weights close, simplex exact.
    rng = np.random.default_rng(3)
    donors = _donors(rng, 60, 6)
    truth = np.array([0.1, 0.4, 0.0, 0.25, 0.25, 0.0])
    treated = donors @ truth + rng.normal(0, 0.05, 60)
    weights = fit_weights(treated[:48], donors[:48])
    assert np.all(weights >= 0)
    assert weights.sum() == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_allclose(weights, truth, atol=0.02)


def test_it_ranks_a_clearly_treated_unit_first_among_the_placebos() -> None:
    rng = np.random.default_rng(7)
    donors = _donors(rng, 48, 19)
    treated = donors[:, :3] @ np.array([0.2, 0.5, 0.3]) + rng.normal(0, 1, 48)
    treated[36:] -= 25  # the programme: 25 fewer incidents a month after the launch
    result = synthetic_control(treated, donors, 36, [f"d{j}" for j in range(19)])
    assert result.rank == 1
    assert result.p_value == pytest.approx(1 / 20)
    assert result.average_gap == pytest.approx(-25, abs=3)
    assert len(result.placebos) == 19
    data = result.as_dict()
    assert data["rank"] == 1 and data["n_placebos"] == 19
    assert set(data["weights"]) == {f"d{j}" for j in range(19)}


def test_it_does_not_rank_an_untreated_unit_first() -> None:
    # Without an effect the treated unit is one more placebo: not ranked first here.
    rng = np.random.default_rng(11)
    donors = _donors(rng, 48, 19)
    treated = donors[:, :3] @ np.array([0.2, 0.5, 0.3]) + rng.normal(0, 3, 48)
    result = synthetic_control(treated, donors, 36)
    assert result.rank > 1
    assert result.p_value > 0.1


def test_it_refuses_too_few_periods_or_donors() -> None:
    donors = np.ones((10, 3))
    with pytest.raises(SynthError) as err:
        synthetic_control(np.ones(10), donors, 1)
    assert err.value.code == "periods"
    with pytest.raises(SynthError) as err:
        synthetic_control(np.ones(10), donors[:, :1], 5)
    assert err.value.code == "no_donors"
    with pytest.raises(SynthError):
        synthetic_control(np.ones(9), donors, 5)
