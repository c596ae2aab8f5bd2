"""Sector commitments, deliveries, the barrio x sector matrix and technical tables."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from sinasec.barrios.articulation.selectors import agreement_status, coverage_matrix
from sinasec.barrios.articulation.services import (
    add_commitment,
    record_table_session,
    report_delivery,
)
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.core.errors import AccessDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def barrio() -> Barrio:
    return Barrio.objects.create(
        name="", district_id="150122", cohort="2026", status=BarrioStatus.LAUNCHED
    )


def test_it_builds_the_matrix_with_coverage_and_gaps(
    admin: User, focal_point: User, other_focal_point: User, barrio: Barrio
) -> None:
    pnp = add_commitment(
        admin,
        barrio.pk,
        "PNP",
        "Patrullaje integrado",
        "patrullajes",
        40,
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    report_delivery(focal_point, pnp.pk, date(2026, 2, 1), 10)
    with pytest.raises(AccessDenied):
        report_delivery(other_focal_point, pnp.pk, date(2026, 2, 1), 5)  # MINSA's focal point
    with pytest.raises(ValidationError):
        report_delivery(focal_point, pnp.pk, date(2026, 8, 1), 5)  # outside the period
    with pytest.raises(AccessDenied):
        add_commitment(
            focal_point, barrio.pk, "PNP", "x", "u", 1, date(2026, 1, 1), date(2026, 1, 2)
        )
    matrix = coverage_matrix([barrio], ["PNP", "MINSA", "MINEDU"])
    row = matrix["rows"][0]
    cell = row["cells"]["PNP"]
    assert cell is not None and cell.coverage_pct == 25.0
    assert row["gaps"] == ["MINSA", "MINEDU"]


def test_it_records_a_technical_table_session_in_the_district_committee(
    secretary: User, regional_secretary: User, barrio: Barrio
) -> None:
    session = record_table_session(
        secretary,
        barrio.pk,
        date(2026, 3, 5),
        {"PNP": 2, "GL": 3, "MINSA": 1},
        [
            ("Iluminar el parque", "GL", date(2026, 4, 30)),
            ("Charla en colegios", "PNP", date(2026, 3, 20)),
        ],
    )
    assert session.committee is not None and session.committee.ubigeo == "150122"
    assert session.attendance.count() == 3
    statuses = {a.text: agreement_status(a, date(2026, 4, 1)) for a in session.agreements.all()}
    assert statuses == {"Iluminar el parque": "pending", "Charla en colegios": "overdue"}
    with pytest.raises(AccessDenied):
        record_table_session(regional_secretary, barrio.pk, date(2026, 3, 5), {"PNP": 1}, [])
    with pytest.raises(ValidationError):
        record_table_session(secretary, barrio.pk, date(2026, 3, 5), {"XYZ": 1}, [])
