"""The sessions pages of a committee: its secretary records a session with members,
institutions and agreements and marks one done; other secretaries only read; the
signed minutes are served through the committee's access check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinasec.committees import services as committee_services
from sinasec.committees.models import Committee
from sinasec.conftest import login
from sinasec.meetings.models import Agreement, Session

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% acta firmada\n"


def miraflores() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")


def form(members: list[int], **extra: object) -> dict[str, object]:
    return {
        "kind": "ordinary",
        "held_on": "2025-02-03",
        "place": "Palacio municipal",
        "agenda": "Plan local",
        "member": [str(m) for m in members],
        "attendance-0-institution": "MINSA",
        "attendance-0-attendees": "2",
        "agreement-0-text": "Patrullaje integrado",
        "agreement-0-owner": "PNP",
        "agreement-0-deadline": "2025-03-03",
        "agreement-1-text": "Alumbrado del parque",
        "agreement-1-owner": "MINSA",
        "agreement-1-deadline": "2025-04-03",
        **extra,
    }


def test_it_records_a_session_and_marks_an_agreement_done(
    client: Client, secretary: User, media: Path
) -> None:
    event = committee_services.record_swearing_in(
        secretary,
        miraflores().pk,
        date(2025, 1, 10),
        [committee_services.MemberIn("Ana", "PNP"), committee_services.MemberIn("Beto", "MINSA")],
    )
    members = list(event.members.values_list("pk", flat=True))
    login(client, secretary)
    base = f"/comites/{miraflores().pk}/sesiones/"
    minutes = SimpleUploadedFile("Acta firmada.pdf", PDF, content_type="application/pdf")
    response = client.post(base + "registrar/", form(members, minutes=minutes))
    assert response.status_code == 302
    session = Session.objects.get(committee=miraflores())
    assert session.attendance.count() == 3
    page = client.get(base + "?al=2025-03-10").content.decode()
    assert 'data-agreement-status="overdue"' in page and 'data-agreement-status="pending"' in page
    assert 'data-testid="quorum"' in page
    first = session.agreements.get(text="Patrullaje integrado")
    client.post(base + f"acuerdos/{first.pk}/cumplido/", {"done_on": "2025-04-03", "version": "1"})
    assert Agreement.objects.get(pk=first.pk).done_on == date(2025, 4, 3)
    download = client.get(base + f"{session.pk}/acta/")
    assert download.status_code == 200 and download.getvalue() == PDF


def test_it_refuses_the_form_to_another_committees_secretary(
    client: Client, secretary: User
) -> None:
    magdalena = Committee.objects.get(level="district", ubigeo="150120")
    login(client, secretary)
    response = client.post(f"/comites/{magdalena.pk}/sesiones/registrar/", form([]))
    assert response.status_code == 403
    assert not Session.objects.exists()


def test_it_says_what_is_wrong_and_saves_nothing(client: Client, secretary: User) -> None:
    login(client, secretary)
    bad = form([], **{"agreement-1-deadline": ""})
    response = client.post(f"/comites/{miraflores().pk}/sesiones/registrar/", bad, follow=True)
    assert "Fila de acuerdo 2" in response.content.decode()
    assert not Session.objects.exists()
