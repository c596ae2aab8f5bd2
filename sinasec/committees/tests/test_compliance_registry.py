"""The compliance engine's indicator registry: the milestones first, an indicator that
applies to some levels only counted at those levels, its other levels not applicable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from sinasec.committees import compliance
from sinasec.committees.compliance import CommitteeRow, Indicator, compute, indicators, register


@pytest.fixture
def district_only() -> Iterator[Indicator]:
    item = Indicator("test_district", "District only", ("district",), lambda *_: {3})
    register(item)
    yield item
    del compliance._registry["test_district"]


def test_it_lists_the_four_milestones_first() -> None:
    codes = [i.code for i in indicators()]
    assert codes[:4] == ["installed", "sworn", "plan", "secretary"]
    assert {"sessions", "consultations", "agreements", "juntas", "trainings"} <= set(codes)
    assert "execution" in codes and len(codes) == len(set(codes))


def test_it_refuses_an_indicator_of_unknown_levels() -> None:
    with pytest.raises(ValueError):
        register(Indicator("bad", "Bad", ("barrio",), lambda *_: set()))
    with pytest.raises(ValueError):
        register(Indicator("bad", "Bad", (), lambda *_: set()))
    assert "bad" not in [i.code for i in indicators()]


def test_it_counts_an_indicator_only_at_its_levels(district_only: Indicator) -> None:
    rows = [
        CommitteeRow(1, "regional", "070000", "CORESEC Callao", "07"),
        CommitteeRow(2, "provincial", "070100", "COPROSEC Callao", "07"),
        CommitteeRow(3, "district", "070102", "CODISEC Bellavista", "07"),
        CommitteeRow(4, "district", "070103", "CODISEC Carmen de la Legua", "07"),
    ]
    report = compute(rows, {"installed": {1, 3}, "test_district": {3}}, date(2010, 12, 31), 2010)
    cells = report.counts["test_district"]
    assert cells["regional"] is None and cells["provincial"] is None
    assert cells["district"] == {"done": 1, "total": 2, "pct": 50.0}
    assert cells["total"] == {"done": 1, "total": 2, "pct": 50.0}
    assert [r.id for r in report.pending["test_district"]] == [4]
    assert report.by_region["07"]["test_district"] == (1, 2)
    assert report.by_province["0701"]["test_district"] == (1, 2)
    assert report.counts["installed"]["total"] == {"done": 2, "total": 4, "pct": 50.0}
    assert list(report.counts) == ["installed", "test_district"]
    assert [i.code for i in report.definitions()] == ["installed", "test_district"]
