"""The Barrio Seguro API: the same scope and the same services as the pages.

The cast: the Barrio Seguro team (``admin``), a national analyst, the secretary of
Miraflores, the PNP's and MINSA's focal points, and an anonymous client."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.barrios.articulation.services import add_commitment
from sinasec.barrios.models import AnnualGoal, Barrio, BarrioStatus, Commitment, Delivery
from sinasec.barrios.tests.test_targeting import HIGHEST, YEAR, sidpol_counts
from sinasec.conftest import login

pytestmark = pytest.mark.django_db

API = "/api/v1/barrios"
TODAY = date.today()
START, END = TODAY - timedelta(days=60), TODAY + timedelta(days=60)
SQUARE = [[-77.03, -12.12], [-77.02, -12.12], [-77.02, -12.11], [-77.03, -12.11], [-77.03, -12.12]]


def make_barrio(district: str | None, name: str = "", **fields: Any) -> Barrio:
    values: dict[str, Any] = {"cohort": "2026", "status": BarrioStatus.TARGETED, **fields}
    return Barrio.objects.create(name=name, district_id=district, **values)


@pytest.fixture
def barrios() -> dict[str, Barrio]:
    return {
        "miraflores": make_barrio("150122", "Santa Cruz"),
        "lima": make_barrio("150101", "Barrios Altos", status=BarrioStatus.PLANNED),
        "ventanilla": make_barrio("070106", "Ventanilla", cohort="2018"),
    }


def send(client: Client, method: str, path: str, body: object = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(f"{API}{path}", data=data, content_type="application/json")


def listed(client: Client, query: str = "") -> list[int]:
    response = client.get(f"{API}/{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def pnp_commitment(admin: User, barrio: Barrio) -> Commitment:
    return add_commitment(admin, barrio.pk, "PNP", "Patrullaje", "patrullajes", 40, START, END)


def test_it_lets_the_team_change_a_status_by_api_and_audits_it(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    login(client, admin)
    barrio = barrios["miraflores"]
    day = TODAY - timedelta(days=3)
    planned = {"status": "planned", "on_date": str(day), "version": 1}
    response = send(client, "post", f"/{barrio.pk}/status", planned)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["planned_on"]) == ("planned", str(day))
    event = AuditEvent.objects.get(action="barrios.change_status", object_id=str(barrio.pk))
    assert (event.after or {})["status"] == "planned"
    # The same rule as the page: a barrio only moves forward.
    backwards = send(client, "post", f"/{barrio.pk}/status", {**planned, "version": 2})
    assert backwards.status_code == 422
    assert "status" in backwards.json()["detail"]


def test_it_edits_details_and_the_boundary_with_the_page_s_checks(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    login(client, admin)
    barrio = barrios["miraflores"]
    response = send(client, "patch", f"/{barrio.pk}", {"version": 1, "population": 5400})
    assert response.status_code == 200, response.content
    barrio.refresh_from_db()
    assert (barrio.population, barrio.name) == (5400, "Santa Cruz")  # the name kept
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}
    saved = send(client, "put", f"/{barrio.pk}/boundary?version=2", polygon)
    assert saved.status_code == 200, saved.content
    assert saved.json()["boundary"]["type"] == "Polygon"
    assert AuditEvent.objects.filter(action="barrios.set_boundary").count() == 1
    bowtie = [
        [-77.03, -12.12],
        [-77.02, -12.11],
        [-77.02, -12.12],
        [-77.03, -12.11],
        [-77.03, -12.12],
    ]
    refused = send(
        client,
        "put",
        f"/{barrio.pk}/boundary?version=3",
        {"type": "Polygon", "coordinates": [bowtie]},
    )
    assert refused.status_code == 422
    assert refused.json()["problems"]


def test_it_lets_a_focal_point_report_deliveries_only_for_their_own_sector(
    client: Client,
    admin: User,
    focal_point: User,
    other_focal_point: User,
    barrios: dict[str, Barrio],
) -> None:
    commitment = pnp_commitment(admin, barrios["lima"])
    body = {"commitment": commitment.pk, "delivered_on": str(TODAY), "quantity": 10}
    login(client, other_focal_point)  # MINSA
    assert send(client, "post", "/deliveries", body).status_code == 403
    assert not Delivery.objects.exists()
    login(client, focal_point)  # PNP
    response = send(client, "post", "/deliveries", body)
    assert response.status_code == 201, response.content
    assert response.json()["sector"] == "PNP"
    assert AuditEvent.objects.filter(action="barrios.report_delivery").count() == 1
    items = client.get(f"{API}/deliveries?barrio={barrios['lima'].pk}").json()["items"]
    assert [d["quantity"] for d in items] == [10]
    commitments = client.get(f"{API}/commitments?sector=PNP").json()["items"]
    assert [(c["id"], c["delivered"]) for c in commitments] == [(commitment.pk, 10)]
    matrix = client.get(f"{API}/matrix?status=planned").json()["items"]
    assert [(r["barrio"], r["cells"][0]["coverage_pct"]) for r in matrix] == [
        (barrios["lima"].pk, 25.0)
    ]


def test_it_lets_the_national_analyst_read_but_not_write(
    client: Client, analyst: User, barrios: dict[str, Barrio]
) -> None:
    login(client, analyst)
    barrio = barrios["miraflores"]
    assert sorted(listed(client)) == sorted(b.pk for b in barrios.values())
    assert client.get(f"{API}/{barrio.pk}").status_code == 200
    commitment = {
        "barrio": barrio.pk,
        "sector": "PNP",
        "description": "Patrullaje",
        "unit": "patrullajes",
        "target": 5,
        "starts_on": str(START),
        "ends_on": str(END),
    }
    assert send(client, "post", "/commitments", commitment).status_code == 403
    status = {"status": "planned", "on_date": str(TODAY), "version": 1}
    assert send(client, "post", f"/{barrio.pk}/status", status).status_code == 403
    assert send(client, "patch", f"/{barrio.pk}", {"version": 1, "name": "Otro"}).status_code == 403
    assert not Commitment.objects.exists()
    assert Barrio.objects.get(pk=barrio.pk).status == BarrioStatus.TARGETED


def test_it_shows_a_committee_secretary_only_the_barrios_in_scope(
    client: Client, secretary: User, barrios: dict[str, Barrio]
) -> None:
    login(client, secretary)  # Miraflores
    assert listed(client) == [barrios["miraflores"].pk]
    assert client.get(f"{API}/{barrios['lima'].pk}").status_code == 403
    assert client.get(f"{API}/targeting").status_code == 403  # national staff only


def test_it_records_a_table_session_and_marks_an_agreement_done(
    client: Client, secretary: User, barrios: dict[str, Barrio]
) -> None:
    login(client, secretary)
    barrio = barrios["miraflores"]
    body = {
        "barrio": barrio.pk,
        "held_on": str(TODAY - timedelta(days=2)),
        "attendance": [
            {"institution": "PNP", "attendees": 2},
            {"institution": "GL", "attendees": 1},
        ],
        "agreements": [{"text": "Iluminar el parque", "owner": "GL", "deadline": str(END)}],
    }
    response = send(client, "post", "/sessions", body)
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["attendance"] == [
        {"institution": "GL", "attendees": 1},
        {"institution": "PNP", "attendees": 2},
    ]
    agreement = session["agreements"][0]
    assert agreement["status"] == "pending"
    done = send(client, "post", f"/agreements/{agreement['id']}/done", {"done_on": str(TODAY)})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    listed_sessions = client.get(f"{API}/sessions?barrio={barrio.pk}").json()["items"]
    assert [s["id"] for s in listed_sessions] == [session["id"]]
    elsewhere = send(client, "post", "/sessions", {**body, "barrio": barrios["lima"].pk})
    assert elsewhere.status_code == 403


def test_it_answers_401_to_an_anonymous_client(client: Client, barrios: dict[str, Barrio]) -> None:
    barrio = barrios["miraflores"]
    assert client.get(f"{API}/").status_code == 401
    assert client.get(f"{API}/{barrio.pk}").status_code == 401
    assert client.get(f"{API}/goal").status_code == 401
    status = {"status": "planned", "on_date": str(TODAY), "version": 1}
    assert send(client, "post", f"/{barrio.pk}/status", status).status_code == 401


def test_it_filters_and_paginates_the_list_as_the_page_does(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    login(client, admin)
    assert listed(client, "?status=planned") == [barrios["lima"].pk]
    assert listed(client, "?cohort=2018") == [barrios["ventanilla"].pk]
    assert sorted(listed(client, "?territory=1501")) == sorted(
        [barrios["miraflores"].pk, barrios["lima"].pk]
    )
    assert listed(client, "?q=santa") == [barrios["miraflores"].pk]
    pnp_commitment(admin, barrios["lima"])
    pnp_commitment(admin, barrios["lima"])  # twice: listed once
    assert listed(client, "?sector=PNP") == [barrios["lima"].pk]
    page = client.get(f"{API}/?limit=2&offset=0").json()
    assert (page["count"], len(page["items"])) == (3, 2)
    rest = client.get(f"{API}/?limit=2&offset=2").json()
    assert len(rest["items"]) == 1
    # The page reads the same filter.
    html = client.get("/barrios/?status=planned").content.decode().split('data-testid="barrios"')[1]
    assert f'data-barrio-id="{barrios["lima"].pk}"' in html
    assert f'data-barrio-id="{barrios["miraflores"].pk}"' not in html


def test_it_answers_404_for_what_does_not_exist(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    login(client, admin)
    assert client.get(f"{API}/999999").status_code == 404
    assert client.get(f"{API}/targeting/999999").status_code == 404
    assert client.get(f"{API}/sessions/999999").status_code == 404
    done = send(client, "post", "/agreements/999999/done", {"done_on": str(TODAY)})
    assert done.status_code == 404
    delivery = {"commitment": 999999, "delivered_on": str(TODAY), "quantity": 1}
    assert send(client, "post", "/deliveries", delivery).status_code == 404


def test_it_reports_the_year_s_goal(client: Client, analyst: User) -> None:
    AnnualGoal.objects.create(year=2030, goal=3, source="prueba")
    make_barrio(
        "150122", goal_year=2030, status=BarrioStatus.LAUNCHED, launched_on=date(2030, 5, 1)
    )
    make_barrio(None, goal_year=2030, status=BarrioStatus.PLANNED)
    login(client, analyst)
    response = client.get(f"{API}/goal?year=2030")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["goal"], data["launched"], data["planned"], data["to_goal"]) == (3, 1, 1, 2)
    assert [m["launched"] for m in data["months"]][3:5] == [0, 1]


def test_it_refuses_a_monitoring_window_it_cannot_read(
    client: Client, analyst: User, barrios: dict[str, Barrio]
) -> None:
    login(client, analyst)
    barrio = barrios["miraflores"]
    response = client.get(f"{API}/{barrio.pk}/monitoring?from=2024-13&to=2024-12")
    assert response.status_code == 422
    assert client.get(f"{API}/{barrio.pk}/evaluation?from=x&to=y").status_code == 422


@pytest.mark.usefixtures("population_2025")
def test_it_runs_a_targeting_and_creates_a_barrio_from_a_unit_by_api(
    client: Client, analyst: User, secretary: User, admin: User
) -> None:
    sidpol_counts()
    body = {"year": YEAR, "indicators": [{"key": "homicides"}, {"key": "rate", "weight": 0.5}]}
    login(client, secretary)
    assert send(client, "post", "/targeting", body).status_code == 403
    login(client, analyst)
    response = send(client, "post", "/targeting", body)
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["parameters"]["unit"] == "district" and run["units_stored"] > 100
    assert [r["id"] for r in client.get(f"{API}/targeting?year={YEAR}").json()["items"]] == [
        run["id"]
    ]
    assert client.get(f"{API}/targeting?unit=grid").json()["count"] == 0
    first = client.get(f"{API}/targeting/{run['id']}/results?limit=5").json()
    assert (first["count"], len(first["items"])) == (run["units_stored"], 5)
    assert first["items"][0]["ubigeo"] == HIGHEST and first["items"][0]["rank"] == 1
    # The read-only analyst ranks but does not create barrios (the leak).
    url = f"/targeting/{run['id']}/{HIGHEST}/barrio"
    assert send(client, "post", url, {"name": "Huáscar"}).status_code == 403
    assert not Barrio.objects.filter(district_id=HIGHEST).exists()
    login(client, admin)
    created = send(client, "post", url, {"name": "Huáscar"})
    assert created.status_code == 201, created.content
    assert (created.json()["district"], created.json()["status"]) == (HIGHEST, "targeted")
    assert AuditEvent.objects.filter(action="barrios.create_from_target").count() == 1
    missing = send(client, "post", f"/targeting/{run['id']}/999999/barrio", {})
    assert missing.status_code == 422
    refused = {"year": YEAR, "indicators": [{"key": "rate", "weight": -1}]}
    assert send(client, "post", "/targeting", refused).status_code == 422


def test_it_requires_the_version_to_change_a_status_by_api(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    """The page always sends the version it opened; the API must too: without it a stale
    client would move a barrio another administrator changed meanwhile."""
    login(client, admin)
    barrio = barrios["miraflores"]
    day = str(TODAY - timedelta(days=3))
    missing = send(client, "post", f"/{barrio.pk}/status", {"status": "planned", "on_date": day})
    assert missing.status_code == 422
    assert [(e["loc"][-1], e["type"]) for e in missing.json()["detail"]] == [("version", "missing")]
    barrio.refresh_from_db()
    assert (barrio.status, barrio.version) == (BarrioStatus.TARGETED, 1)
    Barrio.objects.filter(pk=barrio.pk).update(version=2)  # another administrator saved
    stale = send(
        client, "post", f"/{barrio.pk}/status", {"status": "planned", "on_date": day, "version": 1}
    )
    assert stale.status_code == 409
    assert (stale.json()["your_version"], stale.json()["current_version"]) == (1, 2)
    assert not AuditEvent.objects.filter(action="barrios.change_status").exists()
    fresh = send(
        client, "post", f"/{barrio.pk}/status", {"status": "planned", "on_date": day, "version": 2}
    )
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


def test_it_requires_the_version_to_replace_a_boundary_by_api(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    login(client, admin)
    barrio = barrios["miraflores"]
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}
    missing = send(client, "put", f"/{barrio.pk}/boundary", polygon)
    assert missing.status_code == 422
    assert [(e["loc"][-1], e["type"]) for e in missing.json()["detail"]] == [("version", "missing")]
    Barrio.objects.filter(pk=barrio.pk).update(version=2)  # another administrator saved
    stale = send(client, "put", f"/{barrio.pk}/boundary?version=1", polygon)
    assert stale.status_code == 409
    assert (stale.json()["your_version"], stale.json()["current_version"]) == (1, 2)
    barrio.refresh_from_db()
    assert barrio.boundary in (None, "")
    assert not AuditEvent.objects.filter(action="barrios.set_boundary").exists()
    fresh = send(client, "put", f"/{barrio.pk}/boundary?version=2", polygon)
    assert fresh.status_code == 200 and fresh.json()["version"] == 3


def test_it_requires_the_version_to_edit_a_barrios_data_by_api(
    client: Client, admin: User, barrios: dict[str, Barrio]
) -> None:
    login(client, admin)
    barrio = barrios["miraflores"]
    missing = send(client, "patch", f"/{barrio.pk}", {"population": 5400})
    assert missing.status_code == 422
    assert [(e["loc"][-1], e["type"]) for e in missing.json()["detail"]] == [("version", "missing")]
    Barrio.objects.filter(pk=barrio.pk).update(version=2)  # another administrator saved
    stale = send(client, "patch", f"/{barrio.pk}", {"version": 1, "population": 5400})
    assert stale.status_code == 409
    assert (stale.json()["your_version"], stale.json()["current_version"]) == (1, 2)
    barrio.refresh_from_db()
    assert barrio.population != 5400
    assert not AuditEvent.objects.filter(action="barrios.update_details").exists()
