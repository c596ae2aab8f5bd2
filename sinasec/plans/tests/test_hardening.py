"""Issue 16's reproductions on monthly execution: a month saved for an institution that
is not responsible for the part, and a stale save of a month (the page and the API),
each refused, never silently written."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from sinasec.conftest import login
from sinasec.institutions.models import Institution
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db
API = "/api/v1/plans"
JSON = "application/json"


def pnp_part() -> ActivityPart:
    """Strategy 2, activity 7: PNP and MP are responsible, MINSA is not."""
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)


def institution(acronym: str) -> int:
    return Institution.objects.get(acronym=acronym).pk


def page_save(client: Client, plan: Plan, executed: int, **versions: int) -> str:
    """Save January of the PNP part through the report page; the message it shows."""
    body: dict[str, object] = {
        "part": pnp_part().pk,
        "institution": institution("PNP"),
        "month": 1,
        "executed": executed,
    }
    body.update({f"version-{institution('PNP')}-1": v for v in versions.values()})
    url = f"/planes/{plan.pk}/reportar/guardar/"
    response = client.post(url, body, headers={"accept-language": "en"})
    assert response.status_code == 302
    outcomes = (messages.SUCCESS, messages.ERROR)  # not the notes on what was kept
    return [str(m) for m in get_messages(response.wsgi_request) if m.level in outcomes][-1]


def test_the_plan_owner_cannot_report_for_an_institution_not_responsible_for_the_part(
    client: Client, admin: User
) -> None:
    plan = load_national_plan_2010()
    login(client, admin)  # the owner of the national plan
    body = {"part": pnp_part().pk, "institution": institution("MINSA"), "month": 1}
    page = client.post(f"/planes/{plan.pk}/reportar/guardar/", {**body, "executed": 5})
    assert page.status_code == 403
    body["version"] = 0
    api = client.put(f"{API}/{plan.pk}/execution", {**body, "executed": 5}, content_type=JSON)
    assert api.status_code == 403, api.content
    assert not ExecutionReport.objects.exists()
    # A responsible institution of the same part: the owner reports it.
    ok = {**body, "institution": institution("MP"), "executed": 5}
    assert client.put(f"{API}/{plan.pk}/execution", ok, content_type=JSON).status_code == 200


def test_a_stale_page_save_of_a_month_is_refused_with_both_versions(
    client: Client, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    saved = "Activity 2.7, January 2010: draft saved."  # the activity and month, named
    assert page_save(client, plan, 18) == saved  # opened with no report: new
    assert 'name="version-' in client.get(f"/planes/{plan.pk}/reportar/").content.decode()
    assert page_save(client, plan, 19, v=1) == saved  # opened at version 1
    stale = page_save(client, plan, 20, v=1)  # someone else's page, opened at version 1
    assert "version 1" in stale and "version 2" in stale
    unaware = page_save(client, plan, 21)  # a page opened before the month had a report
    assert "version 2" in unaware
    report = ExecutionReport.objects.get()
    assert (report.executed, report.version) == (19, 2)  # never overwritten


def test_a_stale_api_save_of_a_month_is_a_409_with_both_versions(
    client: Client, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    body = {"part": pnp_part().pk, "institution": institution("PNP"), "month": 1}
    url = f"{API}/{plan.pk}/execution"
    missing = client.put(url, {**body, "executed": 18}, content_type=JSON)
    assert missing.status_code == 422  # the version read is required
    assert [(e["loc"][-1], e["type"]) for e in missing.json()["detail"]] == [("version", "missing")]
    assert not ExecutionReport.objects.exists()
    first = client.put(url, {**body, "executed": 18, "version": 0}, content_type=JSON)
    assert first.status_code == 200 and first.json()["version"] == 1
    assert (
        client.put(url, {**body, "executed": 19, "version": 1}, content_type=JSON).json()["version"]
        == 2
    )
    stale = client.put(url, {**body, "executed": 20, "version": 1}, content_type=JSON)
    assert stale.status_code == 409
    assert (stale.json()["your_version"], stale.json()["current_version"]) == (1, 2)
    blind = client.put(url, {**body, "executed": 21, "version": 0}, content_type=JSON)  # none seen
    assert blind.status_code == 409 and blind.json()["current_version"] == 2
    assert ExecutionReport.objects.get().executed == 19
