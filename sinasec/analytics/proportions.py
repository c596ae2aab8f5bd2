"""Proportions from samples: Wilson intervals and the test of a change between two
waves. Thin, typed wrappers over ``statsmodels.stats.proportion`` (the tests check they
give the library's answers and the published known answers)."""

from __future__ import annotations

from dataclasses import dataclass

from statsmodels.stats.proportion import proportion_confint, proportions_ztest


def wilson_interval(p: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``p`` (0-1) observed in ``n`` answers:
    ``proportion_confint(p * n, n, 1 - confidence, method="wilson")``."""
    if n <= 0:
        raise ValueError("the sample base must be positive")
    low, high = proportion_confint(p * n, n, alpha=1 - confidence, method="wilson")
    return max(0.0, float(low)), min(1.0, float(high))


@dataclass(frozen=True)
class ChangeTest:
    difference: float  # p2 - p1, in proportion points
    z: float
    p_value: float
    significant: bool


def two_proportion_test(p1: float, n1: int, p2: float, n2: int, alpha: float = 0.05) -> ChangeTest:
    """Two-sided z test of p2 = p1 with the pooled proportion (independent samples):
    ``proportions_ztest([p2 * n2, p1 * n1], [n2, n1])``. With no variance (both
    proportions 0 or both 1) there is no evidence of a change: z 0, p-value 1."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    if not 0 < pooled < 1:
        return ChangeTest(p2 - p1, 0.0, 1.0, False)
    z, p_value = proportions_ztest([p2 * n2, p1 * n1], [n2, n1])
    return ChangeTest(p2 - p1, float(z), float(p_value), float(p_value) < alpha)
