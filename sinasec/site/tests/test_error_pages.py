"""The 400, 403, 404 and 500 pages with debug off: in Spanish, in the site's layout with
its navigation, with the right status; the 500 page even when the database is down."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from sinasec.conftest import login

pytestmark = pytest.mark.django_db

SPANISH = {"accept-language": "es-PE"}
FAILING_URLS = override_settings(ROOT_URLCONF="sinasec.core.tests.failing_urls")


def assert_site_page(response: Any, status: int, title: str) -> str:
    assert response.status_code == status
    text = response.content.decode()
    assert 'lang="es-pe"' in text
    assert f"<h1>{title}</h1>" in text
    assert 'class="topbar"' in text  # the site's navigation, in Spanish
    assert ">Territorios</a>" in text and ">Observatorio</a>" in text
    return text


@pytest.fixture(autouse=True)
def debug_off(settings) -> None:
    settings.DEBUG = False  # as in production (pytest-django's default too, made explicit)


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


def test_it_answers_an_unknown_address_with_the_spanish_404_page(anonymous: Client) -> None:
    text = assert_site_page(
        anonymous.get("/no-existe/", headers=SPANISH), 404, "Página no encontrada"
    )
    assert "No hay ninguna página en /no-existe/" in text


def test_it_answers_an_unknown_api_address_with_json(anonymous: Client) -> None:
    response = anonymous.get("/api/no-existe", headers=SPANISH)
    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}


def test_it_answers_a_disallowed_host_with_the_spanish_400_page(anonymous: Client) -> None:
    response = anonymous.get("/", headers={**SPANISH, "host": "intruso.example"})
    text = assert_site_page(response, 400, "Solicitud rechazada")
    assert "No se pudo entender la solicitud." in text


def test_it_explains_a_refused_form_with_the_spanish_403_page(secretary: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("signin:login"), {"username": "x", "password": "y"}, headers=SPANISH
    )
    text = assert_site_page(response, 403, "Acceso denegado")
    assert "Recargue la página" in text


@FAILING_URLS
def test_it_answers_permission_denied_with_the_spanish_403_page(anonymous: Client) -> None:
    text = assert_site_page(
        anonymous.get("/_prueba/prohibido/", headers=SPANISH), 403, "Acceso denegado"
    )
    assert "Usted no tiene acceso a esta página." in text


@FAILING_URLS
def test_it_answers_an_error_with_the_spanish_500_page_and_the_request_id(
    anonymous: Client,
) -> None:
    response = anonymous.get("/_prueba/error/", headers={**SPANISH, "x-request-id": "pedido-500"})
    text = assert_site_page(response, 500, "Error del servidor")
    assert '<code data-testid="request-id">pedido-500</code>' in text


def test_it_shows_the_500_page_to_a_signed_in_user_when_the_database_goes_down(
    secretary: User,
) -> None:
    client = login(Client(raise_request_exception=False), secretary)

    def refuse(*args: object) -> None:
        raise OperationalError("the database is down (test)")

    with connection.execute_wrapper(refuse):
        response = client.get("/", headers=SPANISH)
    text = assert_site_page(response, 500, "Error del servidor")
    assert secretary.username not in text  # no session or user was read to draw it
