"""In real Chromium: a focal point whose report was returned sees the bell's count,
reads the reason and opens the report page from the notice."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.conftest import log_in
from sinasec.institutions.models import Institution
from sinasec.plans.execution.services import return_report, save_report, submit_report
from sinasec.plans.models import ActivityPart
from sinasec.plans.services import load_national_plan_2010

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
REASON = "Falta el acta de los operativos"


def test_a_focal_point_follows_the_bell_to_the_returned_report(
    page, focal_point: User, admin: User
) -> None:
    load_national_plan_2010()
    part = ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)
    pnp = Institution.objects.get(acronym="PNP").pk
    report = save_report(focal_point, part.pk, pnp, 1, 18)
    submit_report(focal_point, report.pk)
    return_report(admin, report.pk, REASON)  # autocommit: told on commit
    log_in(page, focal_point.username)
    assert page.inner_text("[data-testid=unread]") == "1"
    page.click("[data-testid=bell]")
    notice = page.locator("[data-testid=notification]")
    assert REASON in notice.inner_text() and "devuelto" in notice.inner_text()
    with page.expect_navigation():
        notice.locator("button[name=open]").click()
    assert page.url.endswith(f"/planes/{part.activity.strategy.plan_id}/reportar/")
    assert page.locator("[data-testid=unread]").count() == 0
