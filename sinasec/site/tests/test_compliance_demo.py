"""After the demo's committees, sessions, juntas and trainings, `sinasec compliance
--as-of 2010-12-31 --format json` reports the new indicators by level, with counts and
percentages computed from the records: one recounted here without the engine."""

from __future__ import annotations

import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command

from sinasec.committees.demo import load_committee_demo
from sinasec.committees.models import Committee
from sinasec.community.demo import load_community_demo
from sinasec.meetings.demo import load_meetings_demo
from sinasec.meetings.models import Session

pytestmark = pytest.mark.django_db

AS_OF = date(2010, 12, 31)
NEW = ("sessions", "consultations", "agreements", "juntas", "trainings", "execution")


def half_up(done: int, total: int) -> float:
    """The percentage to one decimal, half up, from the exact fraction."""
    return int(Fraction(1000 * done, total) + Fraction(1, 2)) / 10


@pytest.fixture
def demo(shared_data: Path) -> dict[str, object]:
    load_committee_demo(shared_data / "peru_distrital_simple.geojson")
    load_meetings_demo()
    load_community_demo()
    out = io.StringIO()
    call_command("compliance", "--as-of", AS_OF.isoformat(), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_it_reports_the_new_indicators_by_level_after_the_demo(demo: dict) -> None:
    figures = demo["indicators"]
    for code in NEW:
        assert set(figures[code]) == {"regional", "provincial", "district", "total"}
    # Juntas vecinales are a district matter: the other levels do not apply.
    assert figures["juntas"]["regional"] is None and figures["juntas"]["provincial"] is None
    assert figures["juntas"]["total"]["total"] == figures["juntas"]["district"]["total"]
    # Not trivial: some committees meet each activity indicator and some do not.
    for code in ("sessions", "consultations", "agreements", "juntas", "trainings"):
        total = figures[code]["total"]
        assert 0 < total["done"] < total["total"], code
        assert total["pct"] == half_up(total["done"], total["total"])
    levels = {d["code"]: d["levels"] for d in demo["definitions"]}
    assert levels["juntas"] == ["district"] and levels["sessions"] == [
        "regional",
        "provincial",
        "district",
    ]
    pending = {p["id"] for p in demo["pending"]["consultations"]}
    assert (
        len(pending)
        == figures["consultations"]["total"]["total"] - (figures["consultations"]["total"]["done"])
    )
    assert all(p["detail"] for p in demo["pending"]["consultations"])


def test_it_counts_consultations_as_the_records_say(demo: dict) -> None:
    """The last quarter ended by 31 Dec 2010 is its fourth: count, committee by committee
    in Python, those that held a public consultation in it."""
    held: dict[int, int] = {}
    for session in Session.objects.filter(body="committee", kind="consultation"):
        if session.committee_id and date(2010, 10, 1) <= session.held_on <= AS_OF:
            held[session.committee_id] = held.get(session.committee_id, 0) + 1
    by_level: dict[str, list[int]] = {}
    for committee in Committee.objects.all():
        if committee.established_on and committee.established_on > AS_OF:
            continue
        cell = by_level.setdefault(committee.level, [0, 0])
        cell[0] += 1 if held.get(committee.pk, 0) >= 1 else 0
        cell[1] += 1
    figures = demo["indicators"]["consultations"]
    for level, (done, total) in by_level.items():
        assert figures[level]["done"] == done and figures[level]["total"] == total
        assert figures[level]["pct"] == half_up(done, total)
    assert figures["total"]["done"] == sum(d for d, _t in by_level.values()) > 0
