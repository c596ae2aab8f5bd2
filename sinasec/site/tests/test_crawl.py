"""As each role of the cast and as the public: no link leads to a 403 (or a 500)."""

from __future__ import annotations

import pytest
from django.test import Client

from sinasec.plans.models import Plan
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
