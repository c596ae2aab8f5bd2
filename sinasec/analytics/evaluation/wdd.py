"""The weighted displacement difference test of Wheeler & Ratcliffe (2018) for one
barrio: crime counts before and after the launch in the treated area, a control area
and, optionally, the displacement buffers around both. Four (or eight) numbers; Poisson
variance; a z test.

A pure function over numbers (no Django): :func:`weighted_displacement_difference`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class WDDResult:
    """The weighted displacement difference test of one intervention.

    ``wdd`` is the total estimate (local plus displacement), in crimes (per period of
    length 1 when lengths are given): negative means crime fell in the treated area
    (and its surroundings) relative to the control. ``variance`` is its Poisson variance
    (the sum of the counts when the lengths are 1), ``standard_error`` its square root,
    ``z = wdd / standard_error`` and ``p_value`` the two-sided normal p-value; ``ci_lower``
    and ``ci_upper`` the normal confidence interval at ``confidence``.

    ``local`` (``treated_change - control_change``) and ``displacement``
    (``buffer_change - control_buffer_change``, 0 without buffers) are the two parts, with
    their standard errors. The changes are ``after - before``; the buffer ones are
    ``None`` when no buffers were given. ``z`` and ``p_value`` are NaN when every count is
    zero (no variance).
    """

    wdd: float
    variance: float
    standard_error: float
    z: float
    p_value: float
    ci_lower: float
    ci_upper: float
    confidence: float
    local: float
    local_standard_error: float
    displacement: float
    displacement_standard_error: float
    treated_change: float
    control_change: float
    buffer_change: float | None
    control_buffer_change: float | None

    @property
    def has_buffers(self) -> bool:
        return self.buffer_change is not None


def _count(name: str, value: Any) -> float:
    if isinstance(value, bool) or np.ndim(value) != 0:
        raise ValueError(f"{name} must be a single count, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite")
    if number < 0:
        raise ValueError(f"{name} must not be negative (got {value!r})")
    return number


def _length(name: str, value: Any) -> float:
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive number")
    return number


def weighted_displacement_difference(
    treated_before: float,
    treated_after: float,
    control_before: float,
    control_after: float,
    buffer_before: float | None = None,
    buffer_after: float | None = None,
    control_buffer_before: float | None = None,
    control_buffer_after: float | None = None,
    *,
    pre_length: float = 1.0,
    post_length: float = 1.0,
    confidence: float = 0.95,
) -> WDDResult:
    """Weighted displacement difference test (Wheeler & Ratcliffe 2018, *A simple
    weighted displacement difference test to evaluate place based crime interventions*,
    Crime Science 7:11).

    With ``Δ = after - before`` for the treated area ``T``, its control ``C``, the
    displacement buffer around the treated area ``D`` and the buffer around the control
    ``CD``::

        WDD = ΔT - ΔC + ΔD - ΔCD

    Under the assumption that the eight counts are independent Poisson variables, each
    count's variance is the count itself, so ``Var(WDD)`` is the sum of the eight counts,
    ``SE = sqrt(Var)``, ``Z = WDD / SE`` and the p-value is two-sided from the standard
    normal. Without buffers (all four buffer counts omitted) it is the plain
    difference in differences ``ΔT - ΔC`` with variance ``T0 + T1 + C0 + C1``.

    The paper's example: T 207 → 110, C 308 → 318, D 178 → 157, CD 150 → 140 give
    ``WDD = -97 - 10 - 21 + 10 = -118``, ``Var = 1568``, ``Z = -118 / 39.6 = -2.98``.

    ``pre_length`` and ``post_length`` (default 1) allow before and after periods of
    different lengths, as in Wheeler's ``ptools::wdd(time_weights=...)``: every count is
    divided by its period's length (the WDD is then a change per unit of time) and its
    variance by the length squared.

    A negative WDD is a reduction; a positive displacement part is crime pushed into the
    buffer, a negative one a diffusion of benefits. The normal approximation needs
    counts that are not tiny and not strongly overdispersed.

    Raises ``ValueError`` for a negative, missing or non-finite count, for buffers given
    only in part (all four buffer counts are needed) and for non-positive lengths.
    """
    t0 = _count("treated_before", treated_before)
    t1 = _count("treated_after", treated_after)
    c0 = _count("control_before", control_before)
    c1 = _count("control_after", control_after)
    buffers = (buffer_before, buffer_after, control_buffer_before, control_buffer_after)
    given = [b is not None for b in buffers]
    if any(given) and not all(given):
        raise ValueError(
            "the displacement test needs all four buffer counts (treated and control "
            "buffers, before and after), or none"
        )
    pre = _length("pre_length", pre_length)
    post = _length("post_length", post_length)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")

    def change(before: float, after: float) -> tuple[float, float]:
        return after / post - before / pre, after / post**2 + before / pre**2

    d_treated, v_treated = change(t0, t1)
    d_control, v_control = change(c0, c1)
    local = d_treated - d_control
    local_variance = v_treated + v_control

    d_buffer: float | None = None
    d_control_buffer: float | None = None
    displacement = displacement_variance = 0.0
    if all(given):
        names = ("buffer_before", "buffer_after", "control_buffer_before", "control_buffer_after")
        b0, b1, cb0, cb1 = (_count(n, v) for n, v in zip(names, buffers, strict=True))
        d_buffer, v_buffer = change(b0, b1)
        d_control_buffer, v_control_buffer = change(cb0, cb1)
        displacement = d_buffer - d_control_buffer
        displacement_variance = v_buffer + v_control_buffer

    wdd = local + displacement
    variance = local_variance + displacement_variance
    se = math.sqrt(variance)
    if se > 0:
        z = wdd / se
        p_value = float(min(1.0, 2.0 * stats.norm.sf(abs(z))))
    else:
        z = p_value = math.nan
    half = float(stats.norm.ppf(0.5 + confidence / 2)) * se
    return WDDResult(
        wdd=wdd,
        variance=variance,
        standard_error=se,
        z=z,
        p_value=p_value,
        ci_lower=wdd - half,
        ci_upper=wdd + half,
        confidence=confidence,
        local=local,
        local_standard_error=math.sqrt(local_variance),
        displacement=displacement,
        displacement_standard_error=math.sqrt(displacement_variance),
        treated_change=d_treated,
        control_change=d_control,
        buffer_change=d_buffer,
        control_buffer_change=d_control_buffer,
    )
