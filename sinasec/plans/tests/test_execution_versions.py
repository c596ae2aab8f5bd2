"""A month's transitions (submit, approve, return, reopen) carry the version the user
saw (issue 16): a decision on a month corrected since is refused with both versions,
and nothing is written. Service, API and review page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.core.errors import EditConflict
from sinasec.plans.execution.services import (
    approve_report,
    reopen_report,
    return_report,
    save_report,
    submit_report,
)
from sinasec.plans.models import ExecutionReport, Plan, ReportStatus
from sinasec.plans.services import load_national_plan_2010
from sinasec.plans.tests.test_api import API, JSON, pnp_part
from sinasec.plans.tests.test_execution import pnp

pytestmark = pytest.mark.django_db


def corrected_behind_the_approvers_back(focal_point: User, admin: User) -> tuple[Plan, int, int]:
    """A month the approver saw submitted with 18 (the version returned), then returned,
    corrected to 99 and submitted again: the plan, the report and the version seen."""
    plan = load_national_plan_2010()
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 18)
    seen = submit_report(focal_point, report.pk, report.version).version
    returned = return_report(admin, report.pk, "Falta el acta", seen)
    saved = save_report(focal_point, pnp_part().pk, pnp(), 1, 99, "", returned.version)
    submit_report(focal_point, report.pk, saved.version)
    return plan, report.pk, seen


def state(report_id: int) -> tuple[str, int, int, int | None, str]:
    r = ExecutionReport.objects.get(pk=report_id)
    return (r.status, r.executed, r.version, r.decided_by_id, r.reason)


def test_it_refuses_a_stale_approve_or_return_with_both_versions_and_changes_nothing(
    focal_point: User, admin: User
) -> None:
    _plan, report_id, seen = corrected_behind_the_approvers_back(focal_point, admin)
    before, audits = state(report_id), AuditEvent.objects.count()
    with pytest.raises(EditConflict) as approve:
        approve_report(admin, report_id, seen)
    with pytest.raises(EditConflict) as returned:
        return_report(admin, report_id, "Otra vez", seen)
    with pytest.raises(EditConflict) as reopened:
        reopen_report(admin, report_id, "Error", seen)
    for refused in (approve, returned, reopened):
        assert (refused.value.expected, refused.value.current) == (seen, before[2])
    assert state(report_id) == before and before[:2] == (ReportStatus.SUBMITTED, 99)
    assert AuditEvent.objects.count() == audits
    approved = approve_report(admin, report_id, before[2])  # the version now: applied
    assert (approved.status, approved.executed) == (ReportStatus.APPROVED, 99)


def test_it_refuses_a_stale_submit(focal_point: User, admin: User) -> None:
    load_national_plan_2010()
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 18)
    save_report(focal_point, pnp_part().pk, pnp(), 1, 19, "", report.version)
    with pytest.raises(EditConflict):
        submit_report(focal_point, report.pk, report.version)  # submits what it did not see
    assert ExecutionReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_it_answers_409_with_both_versions_and_422_without_a_version(
    client: Client, focal_point: User, admin: User
) -> None:
    plan, report_id, seen = corrected_behind_the_approvers_back(focal_point, admin)
    before = state(report_id)
    login(client, admin)
    url = f"{API}/{plan.pk}/execution/{report_id}"
    stale = client.post(f"{url}/approve", {"version": seen}, content_type=JSON)
    assert stale.status_code == 409
    assert (stale.json()["your_version"], stale.json()["current_version"]) == (seen, before[2])
    body = {"version": seen, "reason": "Otra vez"}
    assert client.post(f"{url}/return", body, content_type=JSON).status_code == 409
    assert client.post(f"{url}/approve", {}, content_type=JSON).status_code == 422
    assert client.post(f"{url}/return", {"reason": "x"}, content_type=JSON).status_code == 422
    assert state(report_id) == before
    now = client.post(f"{url}/approve", {"version": before[2]}, content_type=JSON)
    assert now.status_code == 200 and now.json()["status"] == "approved"


def test_it_tells_the_reviewer_in_spanish_and_keeps_the_month_on_a_stale_page(
    client: Client, focal_point: User, admin: User
) -> None:
    plan, report_id, seen = corrected_behind_the_approvers_back(focal_point, admin)
    before = state(report_id)
    login(client, admin)
    page = client.get(f"/planes/{plan.pk}/revision/").content.decode()
    assert f'name="version" value="{before[2]}"' in page  # the version the page shows
    url = f"/planes/{plan.pk}/revision/{report_id}/"
    answer = client.post(url, {"action": "approve", "version": seen}, follow=True)
    text = answer.content.decode()
    assert "Alguien cambió" in text and f"abrió la versión {seen}" in text
    assert f"ahora está en la versión {before[2]}" in text
    client.post(url, {"action": "return", "reason": "x"})  # no version: refused too
    assert state(report_id) == before
    client.post(url, {"action": "approve", "version": before[2]})
    assert state(report_id)[0] == ReportStatus.APPROVED


def test_it_saves_and_submits_a_month_in_one_call_audited_as_both(focal_point: User) -> None:
    load_national_plan_2010()
    audits = AuditEvent.objects.count()
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 18, "", 0, submit=True)
    assert state(report.pk)[:3] == (ReportStatus.SUBMITTED, 18, 2)
    assert ExecutionReport.objects.get(pk=report.pk).submitted_at is not None
    actions = AuditEvent.objects.order_by("pk").values_list("action", flat=True)[audits:]
    assert list(actions) == ["plans.save_report", "plans.submit_report"]


def test_a_stale_save_and_submit_writes_nothing(focal_point: User) -> None:
    load_national_plan_2010()
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 18, "", 0)
    save_report(focal_point, pnp_part().pk, pnp(), 1, 20, "", report.version)
    before, audits = state(report.pk), AuditEvent.objects.count()
    with pytest.raises(EditConflict):
        save_report(focal_point, pnp_part().pk, pnp(), 1, 99, "", report.version, submit=True)
    assert state(report.pk) == before and before[0] == ReportStatus.DRAFT
    assert AuditEvent.objects.count() == audits
