"""Barrio Seguro: overdue sector commitments and technical-table agreements, told to
those who answer for them, once."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from sinasec.barrios.articulation.services import (
    add_commitment,
    mark_agreement_done,
    record_table_session,
    report_delivery,
)
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def barrio() -> Barrio:
    return Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2025", status=BarrioStatus.LAUNCHED
    )


def notify(day: str) -> None:
    call_command("notify", "--date", day, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_it_tells_the_sector_a_commitment_ended_short(
    admin: User, focal_point: User, other_focal_point: User, barrio: Barrio
) -> None:
    short = add_commitment(
        admin,
        barrio.pk,
        "PNP",
        "Patrullaje",
        "patrullajes",
        10,
        date(2025, 1, 1),
        date(2025, 6, 30),
    )
    met = add_commitment(
        admin, barrio.pk, "MINSA", "Campañas", "campañas", 2, date(2025, 1, 1), date(2025, 6, 30)
    )
    report_delivery(focal_point, short.pk, date(2025, 3, 1), 4)
    report_delivery(other_focal_point, met.pk, date(2025, 3, 1), 2)
    notify("2025-06-30")  # the last day: not overdue yet
    assert not Notification.objects.exists()
    notify("2025-07-01")
    notify("2025-07-02")
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (focal_point, Kind.COMMITMENT_OVERDUE)
    assert "4 de 10 patrullajes" in notice.body and notice.link == f"/barrios/{barrio.pk}/"


def test_it_tells_an_agreement_past_its_deadline_until_it_is_done(
    admin: User, secretary: User, regional_secretary: User, focal_point: User, barrio: Barrio
) -> None:
    session = record_table_session(
        secretary,
        barrio.pk,
        date(2025, 3, 1),
        {"PNP": 2},
        [("Recuperar el parque", "PNP", date(2025, 4, 1)), ("Alumbrado", "PNP", date(2025, 5, 1))],
    )
    done = session.agreements.get(text="Alumbrado")
    mark_agreement_done(secretary, done.pk, date(2025, 4, 20))
    notify("2025-06-01")
    told = Notification.objects.filter(kind=Kind.AGREEMENT_OVERDUE)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "pablo.pnp",
        "sara.miraflores",
    ]  # the owner's focal point and the barrio's secretary; not Callao's
    assert all("Recuperar el parque" in n.body for n in told)
