"""The demo's sessions: labelled demo, held only by committees sworn in (the 2010 plan's
table 6) and only after their swearing-in, idempotent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db.models import F, Min

from sinasec.committees.demo import load_committee_demo
from sinasec.committees.models import CommitteeEvent
from sinasec.meetings import selectors
from sinasec.meetings.demo import load_meetings_demo
from sinasec.meetings.models import Session

pytestmark = pytest.mark.django_db


def test_it_generates_labelled_sessions_for_sworn_committees_only(shared_data: Path) -> None:
    load_committee_demo(shared_data / "peru_distrital_simple.geojson")
    created = load_meetings_demo()
    assert created > 1000 and Session.objects.filter(is_demo=False).count() == 0
    sworn = CommitteeEvent.objects.filter(kind="sworn").values("committee_id")
    sworn_on = dict(sworn.annotate(first=Min("date")).values_list("committee_id", "first"))
    holders = set(Session.objects.values_list("committee_id", flat=True))
    assert holders <= set(sworn_on) and len(holders) > 400
    first_held = Session.objects.values("committee_id").annotate(first=Min("held_on"))
    assert all(row["first"] > sworn_on[row["committee_id"]] for row in first_held)
    assert not Session.objects.filter(held_on__gt=date(2010, 12, 31)).exists()
    assert not Session.objects.filter(agreements__deadline__lt=F("held_on")).exists()
    statuses = selectors.agreements_by_status(date(2010, 12, 31))
    totals = {s: sum(c[s] for c in statuses.values()) for s in ("pending", "done", "overdue")}
    assert totals["done"] > totals["overdue"] > 0
    assert load_meetings_demo() == 0  # idempotent
