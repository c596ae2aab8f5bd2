"""One filter per list: the registry page and the API list read the same definition."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.committees.models import Committee
from sinasec.conftest import login

pytestmark = pytest.mark.django_db


def test_the_api_list_and_the_page_filter_alike(client: Client, regional_secretary: User) -> None:
    login(client, regional_secretary)
    api = client.get("/api/v1/committees", {"q": "Bellavista", "level": "district"}).json()
    expected = Committee.objects.filter(name__icontains="Bellavista", level="district")
    in_scope = [c for c in expected if c.ubigeo.startswith("07")]
    assert api["count"] == len(in_scope) >= 1
    page = client.get("/comites/", {"q": "Bellavista", "level": "district"}).content.decode()
    for item in api["items"]:
        assert item["name"] in page


def test_the_api_list_keeps_the_scope(client: Client, secretary: User, focal_point: User) -> None:
    assert client.get("/api/v1/committees").status_code == 401
    login(client, secretary)
    ubigeos = {c["ubigeo"] for c in client.get("/api/v1/committees").json()["items"]}
    assert ubigeos and all(u.startswith("150122") for u in ubigeos)
    login(client, focal_point)
    assert client.get("/api/v1/committees").status_code == 403


def test_a_bad_filter_value_shows_the_whole_list(client: Client, admin: User) -> None:
    login(client, admin)
    assert client.get("/comites/", {"level": "nonsense"}).status_code == 200
    # The report's date and plan year are not a filter: a report "as of" a value it
    # cannot read is refused, naming it (issue 16: it was ignored, or crashed out of range).
    assert (
        client.get("/comites/cumplimiento/", {"fecha": "ayer", "anio_plan": "x"}).status_code == 400
    )
    assert client.get("/api/v1/committees", {"level": "nonsense"}).status_code == 422
