"""The institutions pages: the list, one institution, and its focal point's forms."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.catalog.models import Provision, Service
from sinasec.conftest import login
from sinasec.institutions.models import Institution

CONTACT_FORM = 'data-testid="contact-form"'
DECLARE_FORM = 'data-testid="declare-form"'


@pytest.mark.django_db
def test_it_lists_the_institutions(client: Client) -> None:
    response = client.get("/instituciones/")
    assert response.status_code == 200
    html = response.content.decode()
    for institution in Institution.objects.all():
        assert f'href="/instituciones/{institution.acronym}/"' in html
    assert "Ministerio de la Mujer y Desarrollo Social" in html


@pytest.mark.django_db
def test_it_filters_the_list(client: Client) -> None:
    html = client.get("/instituciones/", {"q": "salud"}).content.decode()
    assert 'href="/instituciones/MINSA/"' in html
    assert 'href="/instituciones/PNP/"' not in html
    police = client.get("/instituciones/", {"kind": "police"}).content.decode()
    assert 'href="/instituciones/DIRPASEC/"' in police
    assert 'href="/instituciones/MINSA/"' not in police


@pytest.mark.django_db
def test_it_shows_an_institution_without_forms_to_the_public(client: Client) -> None:
    response = client.get("/instituciones/PNP/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Policía Nacional del Perú" in html
    assert 'href="/servicios/1/"' in html
    assert CONTACT_FORM not in html
    assert DECLARE_FORM not in html
    assert client.get("/instituciones/NOPE/").status_code == 404


@pytest.mark.django_db
def test_it_links_a_renamed_body_both_ways(client: Client) -> None:
    mimdes = client.get("/instituciones/MIMDES/").content.decode()
    assert 'data-testid="successor"><a href="/instituciones/MIMP/"' in mimdes
    mimp = client.get("/instituciones/MIMP/").content.decode()
    assert 'data-testid="predecessors"><a href="/instituciones/MIMDES/"' in mimp


def test_it_shows_the_forms_to_the_focal_point_and_the_admin(
    client: Client, focal_point: User, admin: User
) -> None:
    html = login(client, focal_point).get("/instituciones/PNP/").content.decode()
    assert CONTACT_FORM in html
    assert DECLARE_FORM in html
    assert 'name="version" value="1"' in html
    assert CONTACT_FORM in login(Client(), admin).get("/instituciones/PNP/").content.decode()


@pytest.mark.parametrize("role", ["other_focal_point", "analyst", "secretary"])
def test_it_hides_the_forms_from_other_users(
    client: Client, role: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(role))
    response = client.get("/instituciones/PNP/")
    assert response.status_code == 200
    assert CONTACT_FORM not in response.content.decode()
    assert DECLARE_FORM not in response.content.decode()


def test_it_saves_the_contact_form(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    response = client.post(
        "/instituciones/PNP/contacto/",
        {
            "version": 1,
            "email": "mesa@pnp.gob.pe",
            "phone": "105",
            "website": "",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/instituciones/PNP/"
    pnp = Institution.objects.get(acronym="PNP")
    assert (pnp.email, pnp.phone, pnp.version) == ("mesa@pnp.gob.pe", "105", 2)
    # A second post built from the same page is a conflict: nothing changes.
    client.post("/instituciones/PNP/contacto/", {"version": 1, "phone": "999"})
    pnp.refresh_from_db()
    assert (pnp.phone, pnp.version) == ("105", 2)


def test_it_refuses_a_post_for_another_institution(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    before = Institution.objects.filter(acronym="MINSA").values()[0]
    response = client.post(
        "/instituciones/MINSA/contacto/",
        {"version": 1, "email": "x@pnp.gob.pe", "phone": "1", "website": "", "description": ""},
    )
    assert response.status_code == 403
    assert Institution.objects.filter(acronym="MINSA").values()[0] == before
    assert not AuditEvent.objects.filter(action="institutions.update_contact").exists()
    declare = client.post("/instituciones/MINSA/servicios/", {"service": 12})
    assert declare.status_code == 403
    assert not Provision.objects.filter(institution__acronym="MINSA", origin="declared").exists()


@pytest.mark.django_db
def test_it_sends_the_anonymous_to_the_login_page(client: Client) -> None:
    response = client.post("/instituciones/PNP/contacto/", {"version": 1, "phone": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/ingresar/")
    assert Institution.objects.get(acronym="PNP").phone == ""


def test_it_declares_a_service_from_the_page(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    service = Service.objects.get(number=15)
    response = client.post("/instituciones/PNP/servicios/", {"service": service.pk})
    assert response.status_code == 302
    declared = Provision.objects.get(institution__acronym="PNP", origin="declared")
    assert declared.service.number == 15
    html = client.get("/instituciones/PNP/").content.decode()
    assert 'action="/instituciones/PNP/servicios/15/retirar/"' in html
    client.post("/instituciones/PNP/servicios/15/retirar/")
    assert not Provision.objects.filter(institution__acronym="PNP", origin="declared").exists()


@pytest.mark.django_db
def test_a_bad_filter_value_shows_the_whole_list(client: Client) -> None:
    html = client.get("/instituciones/", {"kind": "nonsense"}).content.decode()
    assert 'href="/instituciones/MINSA/"' in html and 'href="/instituciones/PNP/"' in html
