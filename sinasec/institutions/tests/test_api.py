"""The institutions API at /api/v1/institutions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.institutions.models import Institution


def _patch(client: Client, acronym: str, body: dict[str, object]) -> Any:
    return client.patch(
        f"/api/v1/institutions/{acronym}/contact",
        data=json.dumps(body),
        content_type="application/json",
    )


@pytest.mark.django_db
def test_it_lists_every_institution(client: Client) -> None:
    response = client.get("/api/v1/institutions")
    assert response.status_code == 200
    rows = response.json()["items"]  # paginated, as every API list
    assert len(rows) == Institution.objects.count() == 32
    by_acronym = {row["acronym"]: row for row in rows}
    assert by_acronym["DIRPASEC"]["parent"] == "PNP"
    assert by_acronym["MINSA"]["aliases"] == ["Ministerio de Salud-MINSA", "SALUD"]


@pytest.mark.django_db
def test_it_finds_mimdes_by_acronym_name_or_alias(client: Client) -> None:
    rows = client.get("/api/v1/institutions", {"q": "MIMDES"}).json()["items"]
    assert [row["acronym"] for row in rows] == ["MIMDES"]
    assert rows[0]["successor"] == "MIMP"
    by_name = client.get("/api/v1/institutions", {"q": "Desarrollo Social"}).json()["items"]
    assert [row["acronym"] for row in by_name] == ["MIMDES"]
    by_alias = client.get("/api/v1/institutions", {"q": "salud"}).json()["items"]
    assert [row["acronym"] for row in by_alias] == ["MINSA"]


@pytest.mark.django_db
def test_it_filters_by_kind_and_current(client: Client) -> None:
    police = client.get("/api/v1/institutions", {"kind": "police"}).json()["items"]
    assert sorted(row["acronym"] for row in police) == ["DIRPASEC", "PNP"]
    ministries = client.get("/api/v1/institutions", {"kind": "ministry"}).json()["items"]
    assert "MIMDES" in {row["acronym"] for row in ministries}
    assert {row["kind"] for row in ministries} == {"ministry"}
    current = client.get("/api/v1/institutions", {"kind": "ministry", "current": "true"}).json()[
        "items"
    ]
    assert {row["acronym"] for row in ministries} - {row["acronym"] for row in current} == {
        "MIMDES"
    }
    assert client.get("/api/v1/institutions", {"kind": "nonsense"}).status_code == 422


@pytest.mark.django_db
def test_it_shows_one_institution_with_its_services(client: Client) -> None:
    mimp = client.get("/api/v1/institutions/MIMP")
    assert mimp.status_code == 200
    assert mimp.json()["acronym"] == "MIMP"
    assert mimp.json()["successor"] is None
    mimdes = client.get("/api/v1/institutions/mimdes").json()
    assert mimdes["successor"] == "MIMP"
    assert [(s["service"], s["origin"]) for s in mimdes["services"]] == [(12, "plan_2010")]
    assert mimdes["services"][0]["name"].startswith("Servicios de recuperación física")
    assert client.get("/api/v1/institutions/NOPE").status_code == 404


def test_it_lets_the_focal_point_patch_their_contact(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    response = _patch(client, "PNP", {"version": 1, "email": "mesa@pnp.gob.pe"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["email"] == "mesa@pnp.gob.pe"
    assert body["phone"] == ""
    assert body["version"] == 2
    assert Institution.objects.get(acronym="PNP").email == "mesa@pnp.gob.pe"
    assert AuditEvent.objects.filter(action="institutions.update_contact").count() == 1


def test_it_refuses_another_focal_point(
    client: Client, focal_point: User, other_focal_point: User
) -> None:
    login(client, other_focal_point)
    response = _patch(client, "PNP", {"version": 1, "email": "x@minsa.gob.pe"})
    assert response.status_code == 403
    assert "PNP" in response.json()["detail"]
    pnp = Institution.objects.get(acronym="PNP")
    assert (pnp.email, pnp.version) == ("", 1)


@pytest.mark.django_db
def test_it_asks_the_anonymous_to_log_in(client: Client) -> None:
    response = _patch(client, "PNP", {"version": 1, "email": "x@example.org"})
    assert response.status_code == 401
    assert Institution.objects.get(acronym="PNP").email == ""


def test_it_answers_409_on_a_stale_version(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    assert _patch(client, "PNP", {"version": 1, "phone": "111"}).status_code == 200
    response = _patch(client, "PNP", {"version": 1, "phone": "222"})
    assert response.status_code == 409
    assert "PNP" in response.json()["detail"]
    pnp = Institution.objects.get(acronym="PNP")
    assert (pnp.phone, pnp.version) == ("111", 2)


def test_it_declares_and_withdraws_through_the_api(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    declared = client.post(
        "/api/v1/institutions/PNP/services",
        data=json.dumps({"service": 15, "note": "Comisarías"}),
        content_type="application/json",
    )
    assert declared.status_code == 200
    assert declared.json()["origin"] == "declared"
    assert client.delete("/api/v1/institutions/PNP/services/15").json() == {"withdrawn": True}
    assert client.delete("/api/v1/institutions/PNP/services/1").json() == {"withdrawn": False}
    assert client.delete("/api/v1/institutions/MINSA/services/12").status_code == 403


def test_it_requires_the_version_to_patch_a_contact(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    missing = _patch(client, "PNP", {"phone": "111"})
    assert missing.status_code == 422
    assert [(e["loc"][-1], e["type"]) for e in missing.json()["detail"]] == [("version", "missing")]
    assert _patch(client, "PNP", {"version": 0, "phone": "111"}).status_code == 422
    Institution.objects.filter(acronym="PNP").update(version=2)  # someone else saved
    stale = _patch(client, "PNP", {"version": 1, "phone": "222"})
    assert stale.status_code == 409
    assert (stale.json()["your_version"], stale.json()["current_version"]) == (1, 2)
    assert Institution.objects.get(acronym="PNP").phone == ""
