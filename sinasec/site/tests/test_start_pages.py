"""Each role's start page, computed from the records: what is due, returned, waiting,
missing; the national figures; the public highlights. A fixed number of queries each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from sinasec.committees.compliance import compliance_as_of
from sinasec.committees.models import Committee, EventKind
from sinasec.committees.services import record_event
from sinasec.institutions.models import Institution
from sinasec.observatory.dashboard import highlights
from sinasec.observatory.services import load_seed_demo
from sinasec.plans.execution.agenda import (
    approval_queue,
    due_this_month,
    overdue_months,
    reporting_month,
)
from sinasec.plans.execution.services import return_report, save_report, submit_report
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan

pytestmark = pytest.mark.django_db


def _part(plan: Plan, number: int) -> ActivityPart:
    return ActivityPart.objects.get(activity__strategy__plan=plan, activity__number=number)


def _id(acronym: str) -> int:
    return Institution.objects.get(acronym=acronym).pk


def _send(user: User, plan: Plan, number: int, acronym: str, month: int | None = None) -> int:
    month = month or reporting_month(timezone.localdate())[1]
    report = save_report(user, _part(plan, number).pk, _id(acronym), month, 4)
    submit_report(user, report.pk)
    return report.pk


def _home(client: Client, user: User | None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_focal_point_a_returned_report_first_with_its_reason(
    client: Client, focal_point: User, admin: User, national_plan: Plan
) -> None:
    returned = _send(focal_point, national_plan, 2, "PNP")
    return_report(admin, returned, "Falta el acta del operativo")
    due = due_this_month(focal_point, timezone.localdate())
    # PNP answers for activities 1 and 2 (not MINSA's 3): the returned one comes first.
    assert [(r.part.activity.number, r.institution, r.status) for r in due.to_report] == [
        (2, "PNP", "returned"),
        (1, "PNP", None),
    ]
    html = _home(client, focal_point)
    assert "Falta el acta del operativo" in html
    assert html.index('data-testid="returned"') < html.index('data-testid="due"')
    assert f'href="/planes/{national_plan.pk}/reportar/"' in html
    assert 'data-testid="queue"' not in html and 'data-testid="alerts"' not in html


def test_it_counts_a_sent_month_as_done_for_the_focal_point(
    focal_point: User, national_plan: Plan
) -> None:
    _send(focal_point, national_plan, 1, "PNP")
    due = due_this_month(focal_point, timezone.localdate())
    assert due.done == 1 and [r.part.activity.number for r in due.to_report] == [2]


def test_it_gives_the_approver_the_oldest_report_first_with_counts(
    client: Client,
    admin: User,
    focal_point: User,
    other_focal_point: User,
    national_plan: Plan,
    miraflores_plan: Plan,
) -> None:
    first = _send(other_focal_point, national_plan, 3, "MINSA")
    second = _send(focal_point, national_plan, 1, "PNP")
    _send(focal_point, miraflores_plan, 1, "PNP")  # the committee's, not ST-CONASEC's
    now = timezone.now()
    ExecutionReport.objects.filter(pk=second).update(submitted_at=now - timedelta(days=9))
    ExecutionReport.objects.filter(pk=first).update(submitted_at=now - timedelta(days=2))
    queue = approval_queue(admin)
    assert queue.total == 2
    assert [(q.plan_id, q.waiting) for q in queue.plans] == [(national_plan.pk, 2)]
    assert [r.pk for r in queue.oldest] == [second, first]
    html = _home(client, admin)
    assert "2 reportes esperan su decisión" in html
    assert f'href="/planes/{national_plan.pk}/revision/"' in html
    assert f'href="/planes/{miraflores_plan.pk}/revision/"' not in html


def test_it_gives_the_secretary_the_queue_of_their_own_plan_only(
    secretary: User, focal_point: User, national_plan: Plan, miraflores_plan: Plan
) -> None:
    _send(focal_point, national_plan, 1, "PNP")
    mine = _send(focal_point, miraflores_plan, 1, "PNP")
    queue = approval_queue(secretary)
    assert [r.pk for r in queue.oldest] == [mine] and queue.total == 1


def test_it_shows_the_secretary_what_their_committee_is_missing(
    client: Client, secretary: User, miraflores_plan: Plan
) -> None:
    committee = Committee.objects.get(level="district", territory_id="150122")
    today = timezone.localdate()
    record_event(secretary, committee.pk, EventKind.INSTALLED, today - timedelta(days=30))
    html = _home(client, secretary)
    assert "Mi comité" in html and committee.name in html
    missing = html.split('data-testid="missing"')[1].split("</p>")[0]
    assert "Instalación" not in missing
    for label in ("Juramentación", "Plan formulado", "Secretario técnico acreditado"):
        assert label in missing
    assert f'href="/comites/{committee.pk}/"' in html  # record an event
    assert f'href="/planes/{miraflores_plan.pk}/reportar/"' in html  # report the plan
    # The committee's plan has PNP's and MINSA's activity due: both to report.
    assert html.count('data-testid="due-row"') == 2


def test_it_offers_the_secretary_without_a_plan_to_import_one(
    client: Client, regional_secretary: User
) -> None:
    committee = Committee.objects.get(level="regional", region_id="07")
    html = _home(client, regional_secretary)
    assert f"Mi comité: {committee.name}" in html
    assert 'data-testid="import-plan-button"' in html
    assert 'data-testid="committee-report-button"' not in html


def test_it_shows_national_staff_compliance_and_alerts_from_the_records(
    client: Client, analyst: User, focal_point: User, national_plan: Plan
) -> None:
    today = timezone.localdate()
    report = compliance_as_of(today)
    plan = report.counts["plan"]["total"]
    html = _home(client, analyst)
    installed = report.counts["installed"]["total"]
    assert f"{installed['done']} / {installed['total']}" in html
    assert f"{plan['total'] - plan['done']} comités no tienen plan" in html
    overdue = overdue_months(today)
    assert f"{overdue} reporte" in html
    # The analyst approves nothing: no queue, no link to a review page.
    assert 'data-testid="queue"' not in html and "/revision/" not in html


def test_it_counts_overdue_months_per_responsible_institution(
    focal_point: User, national_plan: Plan
) -> None:
    year, _month = reporting_month(timezone.localdate())
    # Four responsible (part, institution) pairs, each programmed every month.
    end_of_year = date(year + 1, 1, 20)  # December due on the 10th
    assert overdue_months(end_of_year) == 4 * 12
    _send(focal_point, national_plan, 1, "PNP", month=1)
    assert overdue_months(end_of_year) == 4 * 12 - 1


def test_it_shows_the_public_the_observatory_highlights(client: Client) -> None:
    load_seed_demo()
    figures = highlights()
    assert figures.year and figures.national_total
    html = _home(client, None)
    assert 'data-testid="highlights"' in html and 'data-testid="compliance-summary"' in html
    total = f"{figures.national_total:,}".replace(",", "\u00a0")
    assert str(figures.year) in html and (total in html or str(figures.national_total) in html)
    assert 'data-testid="due"' not in html and 'data-testid="queue"' not in html


@pytest.mark.parametrize(
    ("role", "most"),
    [
        ("admin", 25),
        ("analyst", 25),
        ("secretary", 30),
        ("regional_secretary", 30),
        ("focal_point", 20),
        (None, 30),
    ],
)
def test_it_builds_each_start_page_in_a_few_queries(
    role: str | None,
    most: int,
    client: Client,
    request: pytest.FixtureRequest,
    django_assert_max_num_queries,
    focal_point: User,
    national_plan: Plan,
    miraflores_plan: Plan,
) -> None:
    load_seed_demo()
    for plan in (national_plan, miraflores_plan):
        _send(focal_point, plan, 1, "PNP")
    if role:
        client.force_login(request.getfixturevalue(role))
    with django_assert_max_num_queries(most):
        assert client.get("/").status_code == 200


def test_it_alerts_account_administrators_to_invitations_never_used(
    client: Client, admin: User, analyst: User
) -> None:
    from sinasec.people.accounts import AccountInput, create_account

    for n in range(3):
        create_account(
            admin,
            AccountInput(f"Secretaria {n}", f"sec{n}@example.pe", "committee_secretary", "150122"),
        )
    html = _home(client, admin)
    assert 'data-testid="alert-not-activated"' in html
    assert "3 cuentas aún no se han activado" in html  # not the system account
    # The analyst manages no accounts: no alert, no link to a page it cannot open.
    assert 'data-testid="alert-not-activated"' not in _home(Client(), analyst)


@pytest.mark.parametrize("role", ["barrio_team", "observatory_analyst"])
def test_it_gives_the_national_teams_the_national_sections_and_no_queue(
    client: Client, role: str, national_plan: Plan, request: pytest.FixtureRequest
) -> None:
    html = _home(client, request.getfixturevalue(role))
    assert 'data-testid="alerts"' in html and 'data-testid="compliance-summary"' in html
    assert 'data-testid="queue"' not in html and "/revision/" not in html
    assert 'data-testid="due"' not in html and 'data-testid="highlights"' not in html
