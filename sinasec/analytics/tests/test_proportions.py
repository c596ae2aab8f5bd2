"""Wilson intervals and the two-proportion test: the published answers, and the same
figures as statsmodels (which the functions call)."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from sinasec.analytics.proportions import two_proportion_test, wilson_interval

CASES = [(81, 263), (0, 20), (20, 20), (1, 3), (498 * 0.291, 498), (5, 1000)]


def test_it_computes_wilson_and_the_two_proportion_test_like_the_textbook() -> None:
    # Wilson (1927) / Newcombe (1998) example: 81 of 263 -> 0.2553 to 0.3662.
    low, high = wilson_interval(81 / 263, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    test = two_proportion_test(0.5, 100, 0.5, 100)
    assert test.z == 0 and test.p_value == 1.0 and not test.significant


@pytest.mark.parametrize(("count", "n"), CASES)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_is_statsmodels_proportion_confint(count: float, n: int, confidence: float) -> None:
    expected = proportion_confint(count, n, alpha=1 - confidence, method="wilson")
    assert wilson_interval(count / n, n, confidence) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("p1", "n1", "p2", "n2"),
    [(0.348, 500, 0.251, 498), (0.3, 498, 0.291, 498), (0.1, 50, 0.4, 60), (0.02, 900, 0.05, 40)],
)
def test_change_is_statsmodels_proportions_ztest(p1: float, n1: int, p2: float, n2: int) -> None:
    z, p_value = proportions_ztest([p2 * n2, p1 * n1], [n2, n1])
    test = two_proportion_test(p1, n1, p2, n2)
    assert (test.z, test.p_value) == pytest.approx((z, p_value), abs=1e-12)
    assert test.difference == pytest.approx(p2 - p1)
    assert test.significant == (p_value < 0.05)


def test_a_change_between_equal_extremes_is_no_change() -> None:
    for p in (0.0, 1.0):
        test = two_proportion_test(p, 100, p, 80)
        assert (test.z, test.p_value, test.significant) == (0.0, 1.0, False)
