"""Proportions from samples: Wilson intervals and the test of a change between two
waves. Pure functions; ``scipy.stats.norm`` gives the normal quantiles."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm


def wilson_interval(p: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``p`` (0-1) observed in ``n`` answers."""
    if n <= 0:
        raise ValueError("the sample base must be positive")
    z = float(norm.ppf(0.5 + confidence / 2))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ChangeTest:
    difference: float  # p2 - p1, in proportion points
    z: float
    p_value: float
    significant: bool


def two_proportion_test(p1: float, n1: int, p2: float, n2: int, alpha: float = 0.05) -> ChangeTest:
    """Two-sided z test of p2 = p1 with the pooled proportion (independent samples)."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / se if se > 0 else 0.0
    p_value = float(2 * norm.sf(abs(z)))
    return ChangeTest(p2 - p1, z, p_value, p_value < alpha)
