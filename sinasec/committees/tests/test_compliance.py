"""Committee registry and compliance as of a date, against the 2010 plan's tables 5-8."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sinasec.audit.models import AuditEvent
from sinasec.committees.compliance import CommitteeRow, compliance_as_of, compute, pct
from sinasec.committees.demo import load_committee_demo
from sinasec.committees.models import Committee, CommitteeEvent, EventKind
from sinasec.committees.services import MemberIn, record_event, record_swearing_in
from sinasec.core.errors import AccessDenied

pytestmark = pytest.mark.django_db
REPORT = date(2009, 12, 11)


def committee(level: str, ubigeo: str) -> Committee:
    return Committee.objects.get(level=level, ubigeo=ubigeo)


def test_it_derives_one_committee_per_territory_and_level() -> None:
    counts = {
        lv: Committee.objects.filter(level=lv).count()
        for lv in ("regional", "provincial", "district")
    }
    # 26 regional governments; 196 provinces less Lima (its CORESEC is its provincial
    # committee); 1,893 districts less the 196 provincial capitals.
    assert counts == {"regional": 26, "provincial": 195, "district": 1697}
    assert not Committee.objects.filter(level="provincial", ubigeo="1501").exists()
    assert not Committee.objects.filter(level="district", ubigeo__endswith="01").exists()


def test_it_rounds_percentages_half_up_from_the_counts() -> None:
    assert pct(94, 194) == 48.5  # the seed prints 48.4
    assert pct(1632, 1638) == 99.6
    assert pct(0, 0) is None


def test_it_computes_counts_and_pending_lists_from_rows() -> None:
    rows = [
        CommitteeRow(1, "regional", "07", "CORESEC Callao", "07"),
        CommitteeRow(2, "provincial", "0701", "COPROSEC Callao", "07"),
        CommitteeRow(3, "district", "070102", "CODISEC Bellavista", "07"),
        CommitteeRow(4, "district", "080102", "CODISEC Ccorca", "08"),
    ]
    report = compute(rows, {"installed": {1, 3, 4}, "sworn": {3}}, REPORT, 2009)
    assert report.counts["installed"]["district"] == {"done": 2, "total": 2, "pct": 100.0}
    assert report.counts["installed"]["total"] == {"done": 3, "total": 4, "pct": 75.0}
    assert [r.id for r in report.pending["installed"]] == [2]
    assert report.by_region["07"]["sworn"] == (1, 3)
    callao = compute(rows, {"installed": {1, 3, 4}}, REPORT, 2009, region="07")
    assert callao.counts["installed"]["total"] == {"done": 2, "total": 3, "pct": 66.7}


def test_it_reproduces_tables_5_to_8_of_the_2010_plan(shared_data: Path) -> None:
    load_committee_demo(shared_data / "peru_distrital_simple.geojson")
    counts = compliance_as_of(REPORT).counts

    def row(indicator: str) -> list[tuple[int, int]]:
        return [
            (counts[indicator][lv]["done"], counts[indicator][lv]["total"])
            for lv in ("regional", "provincial", "district", "total")
        ]

    # Table 5; footnote 10 names seven uninstalled districts where the table counts six:
    # the names are exact, so 1,631 (not 1,632) districts are installed.
    assert row("installed") == [(26, 26), (193, 194), (1631, 1638), (1850, 1858)]
    assert row("sworn") == [(21, 26), (98, 194), (386, 1638), (505, 1858)]  # table 6
    assert row("plan") == [(19, 26), (47, 194), (168, 1638), (234, 1858)]  # table 7
    assert row("secretary") == [(26, 26), (94, 194), (317, 1638), (437, 1858)]  # table 8
    assert counts["sworn"]["total"]["pct"] == 27.2
    assert load_committee_demo(shared_data / "peru_distrital_simple.geojson") == 0  # idempotent
    # The day before every committee had been installed, fewer were.
    assert compliance_as_of(date(2005, 1, 1)).counts["installed"]["total"]["done"] < 1850


def test_it_prints_compliance_as_json(shared_data: Path) -> None:
    load_committee_demo(shared_data / "peru_distrital_simple.geojson")
    out = io.StringIO()
    call_command("compliance", "--as-of", "2009-12-11", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["as_of"] == "2009-12-11"
    assert data["indicators"]["plan"]["provincial"] == {"done": 47, "total": 194, "pct": 24.2}


def test_it_lets_a_district_secretary_record_for_their_own_committee_only(
    secretary: User, admin: User, analyst: User
) -> None:
    own = committee("district", "150122")
    other = committee("district", "150120")
    event = record_swearing_in(
        secretary,
        own.pk,
        date(2026, 1, 10),
        [MemberIn("Ana Pérez", "PNP", "Comisario"), MemberIn("Luis Soto", "GL", "Alcalde")],
    )
    assert [m.name for m in event.members.all()] == ["Ana Pérez", "Luis Soto"]
    assert event.members.first().institution.acronym == "PNP"  # type: ignore[union-attr]
    audit = AuditEvent.objects.get(action="committees.record_sworn")
    assert audit.actor == secretary and audit.territory_ubigeo == "150122"
    for user in (secretary, analyst):
        with pytest.raises(AccessDenied):
            record_event(user, other.pk, EventKind.INSTALLED, date(2026, 1, 10))
    record_event(admin, other.pk, EventKind.INSTALLED, date(2026, 1, 10))
    assert CommitteeEvent.objects.filter(committee=other).count() == 1


def test_it_counts_a_new_event_from_its_date_on(secretary: User) -> None:
    own = committee("district", "150122")
    before = compliance_as_of(date(2026, 1, 9)).counts["sworn"]["district"]["done"]
    record_swearing_in(secretary, own.pk, date(2026, 1, 10), [MemberIn("Ana Pérez")])
    assert compliance_as_of(date(2026, 1, 9)).counts["sworn"]["district"]["done"] == before
    assert compliance_as_of(date(2026, 1, 10)).counts["sworn"]["district"]["done"] == before + 1


def test_it_rejects_incomplete_events(admin: User) -> None:
    target = committee("district", "150122").pk
    with pytest.raises(ValidationError):
        record_swearing_in(admin, target, date(2026, 1, 10), [])
    with pytest.raises(ValidationError):
        record_event(admin, target, EventKind.PLAN, date(2026, 1, 10))
    with pytest.raises(ValidationError):
        record_event(admin, target, EventKind.SECRETARY, date(2026, 1, 10))
    with pytest.raises(ValidationError):
        record_event(admin, target, EventKind.INSTALLED, date(2999, 1, 1))
    assert CommitteeEvent.objects.count() == 0


def test_it_counts_plans_after_the_deadline_as_late(admin: User) -> None:
    first, second = committee("district", "150122"), committee("district", "150120")
    record_event(admin, first.pk, EventKind.PLAN, date(2025, 2, 1), year=2025)
    record_event(admin, second.pk, EventKind.PLAN, date(2025, 6, 1), year=2025)
    report = compliance_as_of(date(2025, 12, 31)).as_dict()
    assert report["plan_timeliness"] == {"deadline": "2025-03-31", "on_time": 1, "late": 1}
