"""Monthly compliance series: the same figures as ``compliance_as_of`` on each month end."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sinasec.committees.compliance import INDICATORS, LEVELS, compliance_as_of
from sinasec.committees.demo import load_committee_demo
from sinasec.committees.series import (
    NEVER,
    count_on_or_before,
    first_reached,
    month_ends,
    monthly_series,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(shared_data: Path) -> None:
    load_committee_demo(shared_data / "peru_distrital_simple.geojson")


def assert_same_as_compliance(row: Mapping[str, Any], region: str | None = None) -> None:
    counts = compliance_as_of(row["date"], region=region).counts
    for indicator in INDICATORS:
        assert row[indicator] == counts[indicator]["total"], (row["date"], indicator)
        for level in LEVELS:
            assert row["levels"][indicator][level] == counts[indicator][level]


def test_it_lists_month_ends_inclusive() -> None:
    assert month_ends(date(2008, 1, 31), date(2008, 3, 30)) == [
        date(2008, 1, 31),
        date(2008, 2, 29),
    ]
    assert month_ends(date(2008, 12, 1), date(2009, 1, 31)) == [
        date(2008, 12, 31),
        date(2009, 1, 31),
    ]
    assert month_ends(date(2009, 12, 31), date(2009, 12, 31)) == [date(2009, 12, 31)]
    assert month_ends(date(2009, 1, 2), date(2009, 1, 30)) == []


def test_it_counts_a_milestone_from_the_later_of_event_and_registry_dates() -> None:
    established = np.array([0, 0, 100], dtype=np.int64)
    reached = first_reached(
        3,
        np.array([0, 0, 2]),
        np.array([50, 40, 60], dtype=np.int64),
        established,
    )
    assert reached.tolist() == [40, NEVER, 100]
    assert count_on_or_before(reached, np.array([39, 40, 99, 100])).tolist() == [0, 1, 1, 2]


def test_it_matches_compliance_at_the_end_of_2009(demo: None) -> None:
    (row,) = monthly_series(date(2009, 12, 1), date(2009, 12, 31))
    assert row["date"] == date(2009, 12, 31)
    assert row["plan_year"] == 2009
    assert row["installed"] == {"done": 1850, "total": 1858, "pct": 99.6}
    assert_same_as_compliance(row)


def test_it_matches_compliance_on_other_month_ends(demo: None) -> None:
    series = monthly_series(date(2005, 6, 1), date(2010, 2, 28))
    assert len(series) == 57
    for row in (series[0], series[30], series[-2], series[-1]):
        assert_same_as_compliance(row)
    # January 2010: the universe grows (committees created after 2007) and no 2010 plan
    # has been formulated yet.
    assert series[-2]["installed"]["total"] > series[-3]["installed"]["total"]
    assert series[-2]["plan"]["done"] == 0


def test_installation_never_goes_down(demo: None) -> None:
    series = monthly_series(date(2003, 1, 1), date(2009, 12, 31))
    assert len(series) == 84
    done = [row["installed"]["done"] for row in series]
    share = [row["installed"]["pct"] or 0.0 for row in series]
    assert done == sorted(done) and share == sorted(share)
    assert done[0] < done[-1] == 1850


def test_it_filters_by_region_like_compliance(demo: None) -> None:
    for region in ("05", "15", "1501", "16"):  # Ayacucho, Lima Provincias, Lima Metro, Loreto
        series = monthly_series(date(2008, 12, 1), date(2009, 12, 31), region=region)
        assert len(series) == 13 and series[-1]["installed"]["total"] > 0
        assert_same_as_compliance(series[0], region)
        assert_same_as_compliance(series[-1], region)
    assert monthly_series(date(2009, 12, 1), date(2009, 12, 31), region="99")[0]["installed"] == {
        "done": 0,
        "total": 0,
        "pct": None,
    }


def test_it_counts_any_years_plan_when_asked(demo: None) -> None:
    (row,) = monthly_series(date(2010, 1, 1), date(2010, 1, 31), plan_year_of_month=False)
    assert row["plan_year"] is None
    assert row["plan"]["done"] == 234  # the 2009 plans still count in 2010


def test_it_reads_the_database_twice_whatever_the_period(
    demo: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):
        assert len(monthly_series(date(2003, 1, 1), date(2025, 12, 31))) == 276


def test_an_empty_period_gives_no_rows(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert monthly_series(date(2010, 1, 2), date(2010, 1, 30)) == []
        assert monthly_series(date(2010, 2, 1), date(2009, 1, 1)) == []
