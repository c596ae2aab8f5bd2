"""The community pages, API, command and demo: same access getters, same services."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from sinasec.committees.models import Committee, CommitteeEvent, EventKind
from sinasec.community import services
from sinasec.community.demo import load_community_demo
from sinasec.community.models import Junta, Project, RecognisedBy, Training
from sinasec.conftest import login
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


def send(client: Client, path: str, body: object) -> Any:
    return client.post(f"{API}{path}", data=json.dumps(body), content_type="application/json")


def miraflores() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")


def test_it_registers_and_lists_juntas_through_the_api_within_scope(client, secretary, admin):
    body = {
        "district": "150122",
        "name": "JV Huaca Pucllana",
        "members": 15,
        "recognised_by": "municipality",
        "recognised_on": "2010-01-10",
    }
    created = send(login(client, secretary), "/juntas", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "active"
    assert send(client, "/juntas", {**body, "district": "150131"}).status_code == 403
    services.register_junta(
        admin, services.JuntaData("150131", "JV Ajena", 5, "pnp", date(2010, 1, 1))
    )
    listed = client.get(f"{API}/juntas?as_of=2009-12-31").json()
    assert [(j["name"], j["status"]) for j in listed["items"]] == [
        ("JV Huaca Pucllana", "not_recognised")
    ]
    counts = client.get(f"{API}/juntas/counts?as_of=2010-12-31").json()
    assert [(d["code"], d["active"]) for d in counts["districts"]] == [("150122", 1)]


def test_it_records_a_training_and_serves_its_certificate_only_to_readers(
    client, secretary, regional_secretary, media
):
    body = {
        "event": "Taller",
        "topic": "Prevención",
        "organiser": "PNP",
        "held_on": "2010-05-05",
        "committee": miraflores().pk,
        "participants": [{"people": 4, "committee": miraflores().pk, "institution": "PNP"}],
    }
    created = send(login(client, secretary), "/trainings", body)
    assert created.status_code == 201, created.content
    training_id = created.json()["id"]
    page = client.post(
        f"/comunidad/capacitaciones/{training_id}/certificados/",
        {"file": SimpleUploadedFile("constancia.pdf", b"%PDF-1.4 demo")},
    )
    assert page.status_code == 302
    url = client.get(f"{API}/trainings").json()["items"][0]["certificates"][0]["url"]
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert login(Client(), regional_secretary).get(url).status_code == 403


def test_it_registers_and_advances_a_project_through_the_api(client, secretary):
    body = {
        "committee": miraflores().pk,
        "cui": "2456789",
        "name": "Serenazgo",
        "amount": "250000.50",
        "stages": [{"stage": "idea", "reached_on": "2010-01-04"}],
    }
    created = send(login(client, secretary), "/projects", body)
    assert created.status_code == 201, created.content
    advanced = send(
        client,
        f"/projects/{created.json()['id']}/stages",
        {"stage": "formulated", "reached_on": "2010-03-01"},
    )
    assert [s["stage"] for s in advanced.json()["stages"]] == ["idea", "formulated"]
    assert send(client, "/projects", {**body, "cui": "12"}).status_code == 422
    load_national_plan_2010()
    report = client.get(f"{API}/projects/strategy5?year=2010").json()
    assert report["goal"] == 22 and report["cumulative_formulated"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/comunidad/",
        "/comunidad/juntas/",
        "/comunidad/capacitaciones/",
        "/comunidad/proyectos/",
        "/comunidad/importar/",
    ],
)
def test_it_renders_the_pages_in_spanish_for_the_secretary(client, secretary, path):
    response = login(client, secretary).get(path, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert (
        'style="' not in response.content.decode() and "<script>" not in response.content.decode()
    )


def test_it_keeps_the_pages_from_the_public_and_the_regional_admin(client, regional_admin):
    assert client.get("/comunidad/juntas/").status_code == 302  # to the sign-in
    assert login(client, regional_admin).get("/comunidad/juntas/").status_code == 403


def test_it_records_a_junta_from_the_page_and_shows_it(client, secretary):
    login(client, secretary).post(
        "/comunidad/juntas/registrar/",
        {
            "district": "150122",
            "name": "JV Parque Kennedy",
            "members": "9",
            "recognised_by": RecognisedBy.PNP,
            "recognised_on": "2010-02-02",
        },
    )
    junta = Junta.objects.get()
    assert junta.recorded_by == secretary
    assert "JV Parque Kennedy" in client.get(f"/comunidad/juntas/{junta.pk}/").content.decode()


def test_it_documents_the_command_in_its_help(capsys):
    with pytest.raises(SystemExit):
        call_command("community", "--help")
    out = capsys.readouterr().out
    for action in (
        "juntas",
        "trainings-received",
        "strategy5",
        "import-juntas",
        "import-trainings",
    ):
        assert action in out


def test_it_prints_the_juntas_as_of_a_date_as_json(admin, capsys):
    services.register_junta(admin, services.JuntaData("150122", "JV", 5, "pnp", date(2010, 1, 1)))
    call_command("community", "juntas", "--as-of", "2010-12-31", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["districts"][0]["code"] == "150122" and data["regions"][0]["active"] == 1


def test_it_builds_labelled_demo_records_once():
    load_national_plan_2010()
    for committee in Committee.objects.filter(level="district", ubigeo__startswith="1501")[:12]:
        CommitteeEvent.objects.create(
            committee=committee, kind=EventKind.SWORN, date=date(2009, 5, 1)
        )
    counts = load_community_demo()
    assert counts["juntas"] >= 12 and counts["trainings"] >= 4 and counts["projects"] == 15
    assert not Junta.objects.filter(is_demo=False).exists()
    assert not Training.objects.filter(is_demo=False).exists()
    assert Project.objects.filter(is_demo=True).count() == 15
    assert Training.objects.filter(activity__number=3, activity__strategy__number=5).count() == 4
    assert load_community_demo() == {}
