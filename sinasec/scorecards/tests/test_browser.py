"""The Done-when journey of issue 14, in real Chromium: the Miraflores secretary records
an ordinary session with attendance and two agreements and marks one done a month later
(the meetings journey, reused); the compliance page as of the next quarter lists
Miraflores with the overdue one; the scorecard, and its PDF, show both."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from sinasec.meetings.tests.test_browser import record_session_and_mark_one_done

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def end_of_next_quarter(day: date) -> date:
    quarter = (day.month - 1) // 3 + 1
    year, nxt = (day.year + 1, 1) if quarter == 4 else (day.year, quarter + 1)
    first_after = date(year + 1, 1, 1) if nxt == 4 else date(year, 3 * nxt + 1, 1)
    return first_after - timedelta(days=1)


def test_it_shows_the_overdue_agreement_in_compliance_and_both_in_the_scorecard(
    page, secretary: User
) -> None:
    held = date.today() - timedelta(days=60)
    session = record_session_and_mark_one_done(page, secretary, held)
    as_of = end_of_next_quarter(held).isoformat()
    miraflores = session.committee
    assert miraflores is not None

    page.goto(page.base + "/comites/cumplimiento/")
    filters = "[data-testid=compliance-filters]"
    page.fill(f"{filters} input[name=fecha]", as_of)
    page.select_option(f"{filters} select[name=region]", "1501")
    page.select_option(f"{filters} select[name=indicador]", "agreements")
    page.click(f"{filters} button[type=submit]")
    pending = page.locator("[data-testid=pending] li", has_text="Miraflores")
    assert pending.inner_text().endswith(": 1 acuerdo vencido")  # the engine's words

    page.goto(page.base + f"/comites/{miraflores.pk}/")
    page.click("[data-testid=scorecard-link]")
    page.fill("input[name=al]", as_of)
    page.click("form.inline-form button[type=submit]")
    page.wait_for_url(f"**al={as_of}")
    card = "[data-testid=scorecard]"
    assert page.locator(f"{card} [data-agreement-status=done]").count() == 1
    assert page.locator(f"{card} [data-agreement-status=overdue]").count() == 1
    assert page.locator(f"{card} [data-testid=missing] [data-indicator=agreements]").count() == 1

    with page.expect_download() as download:
        page.click("[data-testid=scorecard-pdf]")
    pdf = Path(download.value.path()).read_bytes()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Patrullaje integrado en el malecón" in text and "cumplido" in text
    assert "Alumbrado del parque Kennedy" in text and "vencido" in text
