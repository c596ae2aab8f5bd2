"""Demo committee records whose compliance on 11 Dec 2009 reproduces the 2010 plan's
tables 5-8 (universe 26 / 194 / 1,638).

What is exact: the committees footnote 10 names as not installed. Everything else is
an allocation of published totals to individual committees, deterministic (ordered by
a hash of the ubigeo) and marked ``is_demo`` on every record it creates.

Which committees existed in 2009 comes from INEI's 2007 district division (the
boundary file the demo imports): a committee whose territory is not in it is placed in
the registry after the report date (``established_on`` 2010-01-01, demo). Two Loreto
districts renumbered since are matched by name within their department.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from sinasec.committees.models import Committee, CommitteeEvent, CommitteeLevel, EventKind
from sinasec.core.cache import bump_generation
from sinasec.core.text import name_key

REPORT_DATE = date(2009, 12, 11)
AFTER_REPORT = date(2010, 1, 1)

# Tables 5-8 of the 2010 plan: committees that reached each milestone by the report
# date, by level (regional, provincial, district). Table 5 is not here: installation
# follows footnote 10 by name.
TABLE_COUNTS = {
    EventKind.SWORN: (21, 98, 386),  # table 6
    EventKind.PLAN: (19, 47, 168),  # table 7, plans 2009
    EventKind.SECRETARY: (26, 94, 317),  # table 8
}
# Footnote 10: the committees not installed on the report date, as printed.
NOT_INSTALLED = (
    (CommitteeLevel.PROVINCIAL, "Loreto", "Datem del Marañón"),
    (CommitteeLevel.DISTRICT, "Ayacucho", "Ayahuanco"),
    (CommitteeLevel.DISTRICT, "Ayacucho", "Leoncio Prado"),
    (CommitteeLevel.DISTRICT, "Loreto", "Teniente Manuel Clavero"),
    (CommitteeLevel.DISTRICT, "Loreto", "Maquia"),
    (CommitteeLevel.DISTRICT, "Loreto", "Andoas"),
    (CommitteeLevel.DISTRICT, "Tumbes", "Canoas de Punta Sal"),
    (CommitteeLevel.DISTRICT, "Puno", "San Pedro de Putina Punco"),
)
LEVEL_ORDER = (CommitteeLevel.REGIONAL, CommitteeLevel.PROVINCIAL, CommitteeLevel.DISTRICT)


def _rank(ubigeo: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{ubigeo}".encode()).hexdigest()


def _day(ubigeo: str, salt: str, start: date, end: date) -> date:
    span = (end - start).days
    return start + timedelta(days=int(_rank(ubigeo, salt)[:8], 16) % max(span, 1))


@dataclass(frozen=True)
class Division2007:
    districts: set[str]
    provinces: set[str]


def division_2007(boundary_file: Path, current_names: dict[str, str]) -> Division2007:
    """Current district codes that existed in INEI's 2007 division."""
    features = json.loads(boundary_file.read_text(encoding="utf-8"))["features"]
    old = {f["properties"]["IDDIST"]: name_key(f["properties"]["NOMBDIST"] or "") for f in features}
    present = {code for code in old if code in current_names}
    by_name = {(code[:2], name_key(name)): code for code, name in current_names.items()}
    for code, name in old.items():
        if code not in current_names and (code[:2], name) in by_name:
            present.add(by_name[(code[:2], name)])  # renumbered since 2007
    provinces = {code[:4] for code in old}
    return Division2007(present, provinces)


def _existed(committee: Committee, division: Division2007) -> bool:
    if committee.level == CommitteeLevel.REGIONAL:
        return True
    if committee.level == CommitteeLevel.PROVINCIAL:
        return committee.ubigeo in division.provinces
    return committee.ubigeo in division.districts


def _not_installed(committees: list[Committee], departments: dict[str, str]) -> set[int]:
    """The committees footnote 10 names, found by level, department and name."""
    named = {
        (level, departments[name_key(dept)], name_key(name)) for level, dept, name in NOT_INSTALLED
    }
    found = {
        c.pk
        for c in committees
        if (c.level, c.ubigeo[:2], name_key(c.name.split(" ", 1)[1])) in named
    }
    if len(found) != len(named):
        raise ValueError(f"footnote 10: found {len(found)} of {len(named)} committees")
    return found


def _ranked(committees: list[Committee], salt: str) -> list[Committee]:
    """A deterministic shuffle: the same committees get the same events every time."""
    return sorted(committees, key=lambda c: _rank(c.ubigeo, salt))


def load_committee_demo(boundary_file: Path) -> int:
    """Create the demo events (idempotent: nothing happens if they exist)."""
    if CommitteeEvent.objects.filter(is_demo=True).exists():
        return 0
    from sinasec.territories.models import Territory

    names = dict(Territory.objects.filter(level="district").values_list("ubigeo", "name"))
    departments = {
        name_key(name): code
        for code, name in Territory.objects.filter(level="department").values_list("ubigeo", "name")
    }
    division = division_2007(boundary_file, names)
    committees = list(Committee.objects.all())
    with transaction.atomic():
        bump_generation("committees")
        late = [c.pk for c in committees if not _existed(c, division)]
        Committee.objects.filter(pk__in=late).update(established_on=AFTER_REPORT, is_demo=True)
        universe = [c for c in committees if c.pk not in set(late)]
        skip = _not_installed(universe, departments)
        installed = [c for c in universe if c.pk not in skip]
        events = [
            CommitteeEvent(
                committee=c,
                kind=EventKind.INSTALLED,
                date=_day(c.ubigeo, "installed", date(2003, 3, 1), date(2009, 6, 30)),
                is_demo=True,
            )
            for c in installed
        ]
        install_date = {e.committee.pk: e.date for e in events}
        for kind, counts in TABLE_COUNTS.items():
            for level, count in zip(LEVEL_ORDER, counts, strict=True):
                pool = _ranked([c for c in installed if c.level == level], kind)
                for c in pool[:count]:
                    start = date(2009, 1, 5) if kind == EventKind.PLAN else install_date[c.pk]
                    events.append(
                        CommitteeEvent(
                            committee=c,
                            kind=kind,
                            date=_day(c.ubigeo, kind, start, REPORT_DATE),
                            year=2009 if kind == EventKind.PLAN else None,
                            person="(demo)" if kind == EventKind.SECRETARY else "",
                            is_demo=True,
                        )
                    )
        CommitteeEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
