"""A district secretary records a swearing-in in real Chromium and sees it counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from sinasec.committees.models import Committee, CommitteeEvent
from sinasec.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def sworn_count(page, day: str) -> str:
    page.goto(page.base + f"/comites/cumplimiento/?fecha={day}&indicador=sworn")
    return page.inner_text("[data-indicator=sworn] td:nth-child(4)")


def test_it_lets_a_secretary_record_a_swearing_in_that_the_report_counts(
    page,
    secretary: User,
    tmp_path: Path,
    media: Path,
) -> None:
    today = date.today().isoformat()
    log_in(page, secretary.username)
    assert sworn_count(page, today).startswith("0 / ")
    page.click("[data-testid=registry-link]")
    page.click("[data-testid=committees] >> text=CODISEC Miraflores")
    acta = tmp_path / "acta-juramentacion.pdf"
    acta.write_bytes(b"%PDF-1.4\n% acta escaneada\n")
    page.select_option("[data-testid=event-form] select[name=kind]", "sworn")
    page.fill("[data-testid=event-form] input[name=date]", today)
    page.fill("[data-testid=event-form] input[name=document]", "Acta 001-2026")
    page.set_input_files("[data-testid=event-form] input[name=evidence]", str(acta))
    page.fill("input[name=member-0-name]", "Ana Pérez")
    page.select_option("select[name=member-0-institution]", "PNP")
    page.fill("input[name=member-0-role]", "Comisaria")
    page.fill("input[name=member-1-name]", "Luis Soto")
    page.select_option("select[name=member-1-institution]", "GL")
    page.click("[data-testid=event-form] button[type=submit]")
    page.wait_for_selector("[data-testid=timeline] [data-kind=sworn]")
    assert "Ana Pérez" in page.inner_text("[data-testid=timeline]")
    assert page.locator("[data-testid=evidence]").count() == 1
    with page.expect_download() as download:  # an attachment: saved, never rendered
        page.click("[data-testid=evidence]")
    assert download.value.suggested_filename == "acta-juramentacion.pdf"
    assert Path(download.value.path()).read_bytes() == acta.read_bytes()

    event = CommitteeEvent.objects.get(committee__ubigeo="150122", kind="sworn")
    assert [m.name for m in event.members.all()] == ["Ana Pérez", "Luis Soto"]
    assert (event.evidence.name or "").endswith(".pdf") and event.recorded_by == secretary
    assert sworn_count(page, today).startswith("1 / ")

    other = Committee.objects.get(level="district", ubigeo="150120")
    response = page.goto(page.base + f"/comites/{other.pk}/")
    assert response.status == 403
