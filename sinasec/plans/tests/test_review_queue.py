"""The approver's queue (issue 11, signed-in speed): a page of the reports waiting,
oldest first, every one reachable page by page; the rows built in Python escape what
people wrote; a decision tells several focal points for the queries it tells one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinasec.accounts.models import Role
from sinasec.conftest import login
from sinasec.people.services import ensure_user_with_role
from sinasec.plans.execution import review
from sinasec.plans.execution.services import approve_report, return_report
from sinasec.plans.models import ExecutionReport, Plan, ReportStatus
from sinasec.plans.services import load_national_plan_2010
from sinasec.plans.tests.test_api import pnp_part
from sinasec.plans.tests.test_execution import pnp

pytestmark = pytest.mark.django_db


def _submitted(months: range, comment: str = "") -> list[int]:
    """Submitted months of PNP's part 2.7, January submitted first."""
    start = timezone.now() - timedelta(days=30)
    return [
        ExecutionReport.objects.create(
            part=pnp_part(),
            institution_id=pnp(),
            month=m,
            executed=m,
            comment=comment,
            status=ReportStatus.SUBMITTED,
            submitted_at=start + timedelta(hours=m),
        ).pk
        for m in months
    ]


def _queue(client: Client, plan: Plan, query: str = "") -> tuple[list[int], str]:
    page = client.get(f"/planes/{plan.pk}/revision/{query}").content.decode()
    rows = page.split('data-testid="pending"')[1].split("</table>")[0]
    return [int(x.split('"')[0]) for x in rows.split('data-report="')[1:]], page


def test_it_pages_the_waiting_reports_oldest_first_and_keeps_every_one_reachable(
    client: Client, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review, "PENDING_PAGE", 3)
    plan = load_national_plan_2010()
    ids = _submitted(range(1, 6))
    login(client, admin)
    first, page = _queue(client, plan)
    assert first == ids[:3]
    assert "5 reportes esperan, los más antiguos primero: del 1 al 3." in page
    assert 'href="?page=2"' in page
    second, page = _queue(client, plan, "?page=2")
    assert second == ids[3:] and 'href="?page=1"' in page
    assert _queue(client, plan, "?page=x")[0] == ids[:3]  # a bad page: the first


def test_it_shows_no_pages_when_the_queue_fits_in_one(client: Client, admin: User) -> None:
    plan = load_national_plan_2010()
    ids = _submitted(range(1, 3))
    login(client, admin)
    shown, page = _queue(client, plan)
    assert shown == ids and "?page=" not in page and 'data-testid="waiting"' not in page


def test_it_escapes_what_people_wrote_in_the_rows(client: Client, admin: User) -> None:
    plan = load_national_plan_2010()
    waiting, decided = _submitted(range(1, 3), comment="<script>alert(1)</script>")
    return_report(admin, decided, "<b>sin acta</b>")
    login(client, admin)
    _shown, page = _queue(client, plan)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>sin acta" not in page and "Devuelto (&lt;b&gt;sin acta&lt;/b&gt;)" in page
    assert f'action="/planes/{plan.pk}/revision/{waiting}/"' in page
    assert page.count('name="csrfmiddlewaretoken"') >= 1


def test_it_still_refuses_the_queue_and_decisions_to_others(
    client: Client, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    (report_id,) = _submitted(range(1, 2))
    login(client, focal_point)
    assert client.get(f"/planes/{plan.pk}/revision/").status_code == 403
    for action in ("approve", "return", "reopen", "other"):
        answer = client.post(
            f"/planes/{plan.pk}/revision/{report_id}/", {"action": action, "version": "1"}
        )
        assert answer.status_code == 403
    assert ExecutionReport.objects.get(pk=report_id).status == ReportStatus.SUBMITTED


def test_it_tells_several_focal_points_for_the_queries_it_tells_one(
    focal_point: User, admin: User, django_capture_on_commit_callbacks
) -> None:
    load_national_plan_2010()
    warm_up, first, second = _submitted(range(1, 4))
    approve_report(admin, warm_up)  # the admin's scope, read once per request
    with (
        CaptureQueriesContext(connection) as one,
        django_capture_on_commit_callbacks(execute=True),
    ):
        approve_report(admin, first)
    ensure_user_with_role(None, "pedro.pnp", Role.FOCAL_POINT, institution_id=pnp())
    with (
        CaptureQueriesContext(connection) as two,
        django_capture_on_commit_callbacks(execute=True),
    ):
        approve_report(admin, second)
    told = ExecutionReport.objects.get(pk=second)
    assert told.status == ReportStatus.APPROVED
    from sinasec.notifications.models import Notification

    recipients = Notification.objects.filter(object_id=second).values_list(
        "recipient__username", flat=True
    )
    assert sorted(recipients) == ["pablo.pnp", "pedro.pnp"]
    assert len(two.captured_queries) == len(one.captured_queries)


def test_it_says_when_nothing_was_decided_yet(client: Client, admin: User) -> None:
    plan = load_national_plan_2010()
    (report,) = _submitted(range(1, 2))
    login(client, admin)
    _, page = _queue(client, plan)
    assert "Ningún reporte resuelto todavía." in page
    approve_report(admin, report)
    _, page = _queue(client, plan)
    assert "Ningún reporte resuelto todavía." not in page
    assert '<ul data-testid="decided"><li>' in page
