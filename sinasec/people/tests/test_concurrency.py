"""One accounts file imported twice at once on PostgreSQL: the accounts are created once
(and invited once); the second import finds them and creates nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail

from sinasec.core.exports import csv_bytes
from sinasec.core.imports import ImportResult
from sinasec.core.tests.racing import postgresql_only, race, slowed
from sinasec.people import importer
from sinasec.people.importer import import_accounts
from sinasec.people.tests.sheets import HEADER

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]
FILE = csv_bytes(
    [
        HEADER,
        ["Ana Ruiz", "ana@muni.pe", "", "secretario", "150122", ""],
        ["Beto Paz", "beto@pnp.pe", "", "enlace", "", "PNP"],
    ],
    delimiter=";",
)


def test_one_accounts_file_imported_twice_at_once_is_written_once(
    reference_data: None, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    slowed(monkeypatch, importer, "record_changes", 0.3)  # the first import's commit waits
    outcomes = race(*(lambda: import_accounts(admin, "c.csv", FILE) for _ in range(2)))
    assert all(isinstance(o, ImportResult) for o in outcomes), outcomes
    created = sorted(o.created for o in outcomes if isinstance(o, ImportResult))
    assert created == [0, 2]
    assert User.objects.filter(email__in=["ana@muni.pe", "beto@pnp.pe"]).count() == 2
    assert len(mail.outbox) == 2
