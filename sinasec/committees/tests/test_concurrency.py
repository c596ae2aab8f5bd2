"""One committee-events file imported twice at once on PostgreSQL (issue 16): the
events are written once; the second import finds them recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.committees import services
from sinasec.committees.models import CommitteeEvent
from sinasec.committees.services import import_events
from sinasec.core.imports import ImportResult
from sinasec.core.tests.racing import postgresql_only, race, slowed

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]
FILE = (
    "ubigeo;nivel;evento;fecha;año;persona;documento\n"
    "150122;distrital;instalación;15/03/2004;;;Acta 001-2004\n"
    "150120;district;plan;2025-02-01;2025;;Resolución 010-2025\n"
).encode()


def test_one_events_file_imported_twice_at_once_is_written_once(
    reference_data: None, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    slowed(monkeypatch, services, "record_change", 0.3)  # the first import's commit waits
    for trial in range(5):
        outcomes = race(*(lambda: import_events(admin, "eventos.csv", FILE) for _ in range(2)))
        assert all(isinstance(o, ImportResult) for o in outcomes), outcomes
        created = sorted(o.created for o in outcomes if isinstance(o, ImportResult))
        assert created == ([0, 2] if trial == 0 else [0, 0])
        assert CommitteeEvent.objects.count() == 2
