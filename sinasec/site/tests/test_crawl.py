"""As each role of the cast and as the public: no link leads to a 403 (or a 500)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from sinasec.barrios.registry.services import load_seed_demo as load_barrios
from sinasec.institutions.models import Institution
from sinasec.observatory.services import load_seed_demo
from sinasec.plans.execution.agenda import reporting_month
from sinasec.plans.execution.services import save_report, submit_report
from sinasec.plans.models import ActivityPart, Plan
from sinasec.plans.services import load_national_plan_2010
from sinasec.site.tests.crawl import crawl, links_of

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "analyst",
    "barrio_team",
    "observatory_analyst",
    "secretary",
    "regional_secretary",
    "regional_admin",
    "focal_point",
    None,
]


@pytest.fixture
def records(
    admin: User,
    focal_point: User,
    regional_secretary: User,
    national_plan: Plan,
    miraflores_plan: Plan,
) -> None:
    """Something behind every kind of link: the 2010 plan, this year's national and
    committee plans with a month sent to each, the seed's crime figures and barrios, an
    account in Callao for its regional administrator to open."""
    load_national_plan_2010()
    load_seed_demo()
    load_barrios()
    month = reporting_month(timezone.localdate())[1]
    pnp = Institution.objects.get(acronym="PNP").pk
    for plan in (national_plan, miraflores_plan):
        part = ActivityPart.objects.get(activity__strategy__plan=plan, activity__number=1)
        submit_report(focal_point, save_report(focal_point, part.pk, pnp, month, 3).pk)


@pytest.mark.parametrize("role", ROLES)
def test_it_finds_no_link_to_a_forbidden_page(
    role: str | None,
    records: None,
    national_plan: Plan,
    miraflores_plan: Plan,
    request: pytest.FixtureRequest,
    client: Client,
) -> None:
    if role:
        client.force_login(request.getfixturevalue(role))
    result = crawl(client, limit=300)
    print(f"{role or 'public'}: {len(result.visited)} pages, {result.count(200)} answered 200")
    assert len(result.visited) > 40
    # The approvers reach their review pages (an administrator may decide any plan's);
    # nobody else is shown one. (/cuentas/administrar/revision/ is the access review.)
    reviews = {u for u in result.visited if u.startswith("/planes/") and u.endswith("/revision/")}
    if role == "admin":
        assert f"/planes/{national_plan.pk}/revision/" in reviews
    else:
        expected = {f"/planes/{miraflores_plan.pk}/revision/"} if role == "secretary" else set()
        assert reviews == expected
    assert result.broken == [], "\n".join(f"{s} {u} (linked from {r})" for u, s, r in result.broken)


def test_the_crawler_reads_links() -> None:
    assert links_of('<p><a href="/a/">a</a><a name="x">b</a><a href="/b/?c=1">c</a>') == [
        "/a/",
        "/b/?c=1",
    ]
