"""A focal point reports a month; ST-CONASEC returns it, the focal point corrects and
resubmits, ST-CONASEC approves; the progress page shows it. In real Chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.conftest import log_in
from sinasec.plans.models import ActivityPart, ExecutionReport
from sinasec.plans.services import load_national_plan_2010

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def report_month(page, executed: str, comment: str) -> None:
    form = page.locator("[data-activity='2.7'] form")
    form.locator("select[name=month]").select_option("1")
    form.locator("input[name=executed]").fill(executed)
    form.locator("input[name=comment]").fill(comment)
    form.locator("button[name=submit]").click()
    page.wait_for_selector("[data-activity='2.7'] [data-month='1'][data-status=submitted]")


def test_it_takes_a_month_from_report_to_approval(
    page, browser, focal_point: User, admin: User
) -> None:
    plan = load_national_plan_2010()
    log_in(page, focal_point.username)
    page.goto(page.base + f"/planes/{plan.pk}/")
    page.click("[data-testid=report-link]")
    assert page.locator("[data-activity='1.19']").count() == 0  # MINSA's, not PNP's
    report_month(page, "18", "dos operativos suspendidos")

    reviewer = browser.new_context(locale="es-PE").new_page()
    reviewer.base = page.base
    log_in(reviewer, admin.username)
    reviewer.goto(reviewer.base + f"/planes/{plan.pk}/revision/")
    row = reviewer.locator("[data-testid=pending] tr[data-report]")
    row.locator("input[name=reason]").fill("Adjunte las actas de los operativos")
    row.locator("button[value=return]").click()
    reviewer.wait_for_selector("[data-testid=pending] tr[data-report]", state="detached")

    page.reload()
    assert "Adjunte las actas" in page.inner_text("[data-activity='2.7'] [data-month='1']")
    report_month(page, "20", "con actas")

    reviewer.reload()
    reviewer.locator("[data-testid=pending] tr[data-report] button[value=approve]").click()
    reviewer.goto(reviewer.base + f"/planes/{plan.pk}/avance/?fecha=2010-01-31")
    assert reviewer.inner_text("tr[data-activity='2.7'] [data-testid=executed]") == "20"
    report = ExecutionReport.objects.get()
    assert (report.status, report.executed) == ("approved", 20)

    minsa_part = ActivityPart.objects.get(activity__strategy__number=1, activity__number=19)
    status = page.evaluate(
        """async ([url, part, institution]) => {
            const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
            const body = new URLSearchParams({csrfmiddlewaretoken: token, part, institution,
                                              month: "1", executed: "1", submit: "1"});
            const response = await fetch(url, {method: "POST", body});
            return response.status;
        }""",
        [
            f"/planes/{plan.pk}/reportar/guardar/",
            str(minsa_part.pk),
            str(minsa_part.institutions.get().pk),
        ],
    )
    assert status == 403
    assert ExecutionReport.objects.count() == 1
