"""A deactivated account loses its open sessions and its API tokens at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.conftest import PASSWORD, login
from sinasec.people.services import create_api_token


@pytest.mark.django_db
def test_a_deactivated_users_session_stops_at_once(client: Client, secretary: User) -> None:
    assert (
        client.post(
            "/cuentas/ingresar/", {"username": secretary.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/auditoria/").status_code == 200
    User.objects.filter(pk=secretary.pk).update(is_active=False)
    response = client.get("/auditoria/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/ingresar/")
    assert client.get("/api/v1/accounts/me").json()["authenticated"] is False
    # Nor can it sign in again.
    again = Client().post(
        "/cuentas/ingresar/", {"username": secretary.username, "password": PASSWORD}
    )
    assert again.status_code == 200


@pytest.mark.django_db
def test_a_forced_login_session_stops_too(client: Client, admin: User) -> None:
    login(client, admin)
    assert client.get("/cuentas/bloqueos/").status_code == 200
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert client.get("/cuentas/bloqueos/").status_code == 302


@pytest.mark.django_db
def test_a_deactivated_users_api_token_stops_at_once(client: Client, focal_point: User) -> None:
    _token, secret = create_api_token(focal_point, focal_point.username, "integración")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/audit/events", headers=bearer).status_code == 200
    User.objects.filter(pk=focal_point.pk).update(is_active=False)
    assert client.get("/api/v1/audit/events", headers=bearer).status_code == 401
