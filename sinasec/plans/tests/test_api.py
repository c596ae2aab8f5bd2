"""The plans API, per role: the same scope as the pages, the same services behind it.

The cast: ``pablo.pnp`` (PNP focal point), ``marta.minsa`` (MINSA focal point),
``ana.admin`` (ST-CONASEC, the national plan's approver), ``nico.analista`` (reads
everything, reports nothing) and the anonymous public.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.committees.models import Committee
from sinasec.conftest import login
from sinasec.institutions.models import Institution
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db
API = "/api/v1/plans"
JSON = "application/json"


def pnp_part() -> ActivityPart:
    """Strategy 2, activity 7: 240 integrated operations, PNP / MP."""
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)


def minsa_part() -> ActivityPart:
    return ActivityPart.objects.filter(institutions__acronym="MINSA").exclude(
        institutions__acronym="PNP"
    )[0]


def institution(acronym: str) -> int:
    return Institution.objects.get(acronym=acronym).pk


def put(client: Client, plan: Plan, part: ActivityPart, acronym: str, executed: int, **extra):
    body = {
        "part": part.pk,
        "institution": institution(acronym),
        "month": 1,
        "executed": executed,
        "version": 0,  # none read: a new month
        **extra,
    }
    return client.put(f"{API}/{plan.pk}/execution", body, content_type=JSON)


def act(
    client: Client,
    plan: Plan,
    report_id: int,
    verb: str,
    reason: str | None = None,
    *,
    version: int | None = None,
):
    """POST a month's transition with the version the client read (by default, the
    month's version now: a client that just read it)."""
    if version is None:
        now = ExecutionReport.objects.filter(pk=report_id).values_list("version", flat=True)
        version = now.first() or 1
    body: dict[str, object] = {"version": version}
    if reason is not None:
        body["reason"] = reason
    return client.post(f"{API}/{plan.pk}/execution/{report_id}/{verb}", body, content_type=JSON)


def test_it_lets_a_pnp_focal_point_save_and_submit_its_month(
    client: Client, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    saved = put(client, plan, pnp_part(), "PNP", 18, comment="dos operativos suspendidos")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert (body["status"], body["executed"], body["activity"]) == ("draft", 18, "2.7")
    assert body["institution_acronym"] == "PNP" and body["due"] == "2010-02-10"
    submitted = act(client, plan, body["id"], "submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert put(client, plan, pnp_part(), "PNP", 19).status_code == 422  # submitted: locked
    listed = client.get(f"{API}/{plan.pk}/execution").json()
    assert [r["id"] for r in listed["items"]] == [body["id"]] and listed["count"] == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"plans.save_report", "plans.submit_report"} <= actions


def test_it_refuses_a_pnp_focal_point_minsas_part(
    client: Client, focal_point: User, other_focal_point: User
) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    assert put(client, plan, minsa_part(), "MINSA", 3).status_code == 403
    assert put(client, plan, pnp_part(), "MINSA", 3).status_code == 403
    assert put(client, plan, pnp_part(), "PNP", 3).status_code == 200
    login(client, other_focal_point)
    report = ExecutionReport.objects.get()
    assert act(client, plan, report.pk, "submit").status_code == 403
    assert client.get(f"{API}/{plan.pk}/execution").json()["count"] == 0
    assert put(client, plan, minsa_part(), "MINSA", 3).status_code == 200


def test_it_lets_the_approver_return_with_a_reason_and_approve(
    client: Client, focal_point: User, admin: User
) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    report_id = put(client, plan, pnp_part(), "PNP", 18).json()["id"]
    act(client, plan, report_id, "submit")
    assert act(client, plan, report_id, "approve").status_code == 403  # not the approver
    login(client, admin)
    assert act(client, plan, report_id, "return", "  ").status_code == 422
    returned = act(client, plan, report_id, "return", "Falta el acta de los operativos")
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["reason"]) == (
        "returned",
        "Falta el acta de los operativos",
    )
    audit = AuditEvent.objects.get(action="plans.return_report")
    assert (audit.after or {})["reason"] == "Falta el acta de los operativos"
    assert audit.actor == admin
    login(client, focal_point)
    version = returned.json()["version"]
    assert put(client, plan, pnp_part(), "PNP", 20, version=version).status_code == 200
    act(client, plan, report_id, "submit")
    login(client, admin)
    assert act(client, plan, report_id, "approve").json()["status"] == "approved"
    assert act(client, plan, report_id, "approve").status_code == 422  # not submitted now
    approved_at = ExecutionReport.objects.get(pk=report_id).version
    stale = act(client, plan, report_id, "reopen", "Error", version=approved_at - 1)
    assert stale.status_code == 409  # the approval happened since that version was read
    reopened = act(client, plan, report_id, "reopen", "Error de digitación")
    assert reopened.json()["status"] == ReportStatus.RETURNED
    assert AuditEvent.objects.filter(action="plans.reopen_report").count() == 1


def test_it_answers_409_to_a_stale_version(client: Client, focal_point: User) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    first = put(client, plan, pnp_part(), "PNP", 18).json()
    assert put(client, plan, pnp_part(), "PNP", 19, version=first["version"]).status_code == 200
    stale = put(client, plan, pnp_part(), "PNP", 20, version=first["version"])
    assert stale.status_code == 409 and "detail" in stale.json()


def test_it_gives_anonymous_401_on_execution_and_the_public_plan_on_reads(
    client: Client,
) -> None:
    plan = load_national_plan_2010()
    assert put(client, plan, pnp_part(), "PNP", 18).status_code == 401
    assert client.get(f"{API}/{plan.pk}/execution").status_code == 401
    assert act(client, plan, 1, "approve").status_code == 401
    assert act(client, plan, 1, "return", "no").status_code == 401
    detail = client.get(f"{API}/{plan.pk}").json()
    assert detail["level"] == "national" and len(detail["strategies"]) == 5
    activities = client.get(f"{API}/{plan.pk}/activities?limit=500").json()
    by_code = {a["code"]: a for a in activities["items"]}
    assert by_code["2.7"]["parts"][0]["goal"] == 240
    assert by_code["2.7"]["parts"][0]["programmed"][0] == 20
    assert "PNP" in by_code["2.7"]["parts"][0]["institutions"]
    progress = client.get(f"{API}/{plan.pk}/progress?as_of=2010-02-28").json()
    rows = {r["activity"]: r for r in progress["activities"]}
    assert progress["as_of"] == "2010-02-28" and rows["2.7"]["programmed_to_date"] == 40
    findings = client.get(f"{API}/{plan.pk}/validation?limit=500").json()
    assert findings["count"] == len(findings["items"]) > 0
    assert {f["severity"] for f in findings["items"]} <= {"error", "warning"}


def test_it_filters_and_paginates_plans_as_the_page_does(client: Client) -> None:
    national = load_national_plan_2010()
    district = Plan.objects.create(
        year=2011,
        committee=Committee.objects.get(level="district", ubigeo="150122"),
        title="Plan distrital Miraflores 2011",
    )
    page = client.get(f"{API}?limit=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert page["items"][0]["id"] == district.pk  # newest first
    ids = lambda query: [p["id"] for p in client.get(f"{API}?{query}").json()["items"]]  # noqa: E731
    assert ids("level=national") == [national.pk]
    assert ids("level=district&territory=1501") == [district.pk]
    assert ids("year=2010") == [national.pk]
    assert ids("q=miraflores") == [district.pk]
    assert client.get(f"{API}?level=galaxy").status_code == 422
    html = client.get("/planes/?level=district").content.decode()
    assert "Plan distrital Miraflores 2011" in html and national.title not in html
    assert national.title in client.get("/planes/?year=abc").content.decode()


def test_it_answers_404_for_an_unknown_plan_or_one_not_holding_the_record(
    client: Client, focal_point: User, admin: User
) -> None:
    plan = load_national_plan_2010()
    other = Plan.objects.create(year=2011, title="Plan Operativo Nacional 2011")
    assert client.get(f"{API}/999999").status_code == 404
    assert client.get(f"{API}/999999/activities").status_code == 404
    assert client.get(f"{API}/999999/progress").status_code == 404
    login(client, focal_point)
    assert put(client, other, pnp_part(), "PNP", 3).status_code == 404  # part of 2010
    report_id = put(client, plan, pnp_part(), "PNP", 3).json()["id"]
    assert act(client, other, report_id, "submit").status_code == 404
    assert act(client, plan, 999999, "submit").status_code == 404
    login(client, admin)
    assert client.get(f"{API}/999999/execution").status_code == 404
