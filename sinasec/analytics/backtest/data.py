"""The backtest's inputs: periods of days, and the incidents as arrays.

:func:`parse_period` reads ``FROM:TO`` (days, months or years, both ends included);
:class:`Points` holds the incidents (arrays of latitude, longitude and day); reading
them from a CSV or Parquet file is :func:`sinasec.incidents.backtest.read_incidents`.
:class:`BacktestError` is the error of every part of the backtest.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)


class BacktestError(ValueError):
    """The backtest cannot run as asked (bad periods, an unreadable file, no incidents)."""


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BacktestError(
                f"a period must not end ({self.end}) before it starts ({self.start})"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _parse_day(text: str, last: bool) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: its first day, or its last with ``last``."""
    match = _DAY.match(text.strip())
    if not match:
        raise BacktestError(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError as exc:
        raise BacktestError(f"{text!r} is not a date: {exc}") from None


def parse_period(text: str) -> Period:
    """``FROM:TO``, both included: ``2022-01-01:2023-12-31``; a month or a year stands for
    all its days (``2022-01:2023-12``, ``2022:2023``, ``2024-03`` alone is one month)."""
    parts = text.split(":")
    if len(parts) == 1:
        return Period(_parse_day(parts[0], False), _parse_day(parts[0], True))
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise BacktestError(f"{text!r} is not a period: write FROM:TO, e.g. 2022-01-01:2023-12-31")
    return Period(_parse_day(parts[0], False), _parse_day(parts[1], True))


def check_periods(train: Period, test: Period) -> None:
    if train.end >= test.start:
        raise BacktestError(
            f"the training period ({train}) must end before the test period ({test}) starts"
        )


# --------------------------------------------------------------------------------------
# The incidents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Points:
    """Incidents as arrays: latitude, longitude and day (days since 1970-01-01).
    ``skipped``: rows in the periods without usable coordinates (none, or outside Peru)."""

    lat: FloatArray
    lon: FloatArray
    day: IntArray
    skipped: int = 0

    def __len__(self) -> int:
        return int(self.day.size)


def day_number(day: date) -> int:
    return (day - EPOCH).days
