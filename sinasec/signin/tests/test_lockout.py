"""Sign-in lockout: 5 wrong passwords lock the account for the configured time; the
national administrator sees the lock and lifts it; every step is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from sinasec.audit.models import AuditEvent
from sinasec.conftest import PASSWORD, login
from sinasec.core.errors import AccessDenied
from sinasec.signin.services import unlock_account

LOGIN = "/cuentas/ingresar/"


def _try(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _lock(client: Client, username: str) -> None:
    for _ in range(4):
        assert _try(client, username, "clave-equivocada").status_code == 200
    # The fifth wrong password already answers with the lockout page.
    assert _try(client, username, "clave-equivocada").status_code == 429


def _signed_in(client: Client) -> bool:
    return client.get("/api/v1/accounts/me").json()["authenticated"]


@pytest.mark.django_db
def test_it_locks_the_account_after_five_wrong_passwords(client: Client, secretary: User) -> None:
    for _ in range(4):
        _try(client, secretary.username, "clave-equivocada")
    assert _try(client, secretary.username, PASSWORD).status_code == 302  # 4 do not lock
    client.logout()
    _lock(client, secretary.username)
    response = _try(client, secretary.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Esta cuenta está bloqueada tras 5 contraseñas incorrectas" in page
    assert "15 minutos" in page
    assert not _signed_in(client)
    event = AuditEvent.objects.get(action="accounts.locked")
    assert event.object_id == str(secretary.pk) and event.actor is None
    assert "127.0.0.1" in event.summary


@pytest.mark.django_db
def test_it_locks_a_username_tried_from_many_addresses(client: Client, secretary: User) -> None:
    for n in range(5):
        _try(client, secretary.username, "x", f"10.0.0.{n}")
    assert _try(client, secretary.username, PASSWORD, "10.0.0.99").status_code == 429


@pytest.mark.django_db
def test_it_lets_the_owner_in_once_the_lock_time_has_passed(
    client: Client, secretary: User
) -> None:
    _lock(client, secretary.username)
    assert _try(client, secretary.username, PASSWORD).status_code == 429
    # Fifteen minutes and a second pass: the lock ends as announced, not extended by
    # the attempt made during it.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert _try(client, secretary.username, PASSWORD).status_code == 302
    assert _signed_in(client)
    assert not AccessAttempt.objects.exists()  # a success clears the count


@pytest.mark.django_db
def test_it_uses_the_configured_limit_and_time(client: Client, secretary: User, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 60
    settings.AXES_COOLOFF_TIME = 1
    _try(client, secretary.username, "x")
    _try(client, secretary.username, "x")
    response = _try(client, secretary.username, PASSWORD)
    assert response.status_code == 429
    assert "60 minutos" in response.content.decode()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=59))
    assert _try(client, secretary.username, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_admin_sees_the_lock_and_unlocks_it(
    client: Client, secretary: User, admin: User
) -> None:
    _lock(Client(), secretary.username)
    page = login(client, admin).get("/cuentas/bloqueos/")
    assert page.status_code == 200
    assert secretary.username in page.content.decode()
    response = client.post(f"/cuentas/bloqueos/{secretary.username}/desbloquear/")
    assert response.status_code == 302
    assert "Ninguna cuenta está bloqueada" in client.get("/cuentas/bloqueos/").content.decode()
    event = AuditEvent.objects.get(action="accounts.unlocked")
    assert event.actor == admin and (event.before or {})["failures"] == 5
    assert _try(Client(), secretary.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_only_the_national_admin_sees_or_lifts_locks(
    client: Client, secretary: User, analyst: User
) -> None:
    _lock(Client(), secretary.username)
    assert login(client, analyst).get("/cuentas/bloqueos/").status_code == 403
    assert client.post(f"/cuentas/bloqueos/{secretary.username}/desbloquear/").status_code == 403
    with pytest.raises(AccessDenied):
        unlock_account(analyst, secretary.username)
    assert AccessAttempt.objects.filter(username=secretary.username).exists()
    assert not AuditEvent.objects.filter(action="accounts.unlocked").exists()
    assert Client().get("/cuentas/bloqueos/").status_code == 302  # the public: sign in


@pytest.mark.django_db
def test_a_lock_leaves_api_tokens_working(client: Client, focal_point: User) -> None:
    from sinasec.people.services import create_api_token

    _token, secret = create_api_token(focal_point, focal_point.username, "integración")
    _lock(client, focal_point.username)
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.json()["username"] == focal_point.username


@pytest.mark.django_db
def test_it_trusts_x_forwarded_for_only_behind_configured_proxies(rf, settings) -> None:
    from sinasec.signin.clientip import client_ip

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 200.1.2.3")
    assert client_ip(request) == "10.1.1.1"
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request) == "200.1.2.3"  # what our proxy saw, not what the client wrote
    settings.TRUSTED_PROXIES = 3
    assert client_ip(request) == "10.1.1.1"  # fewer entries than proxies: not trusted


@pytest.mark.django_db
def test_my_account_links_to_the_locks_for_the_admin_only(
    client: Client, admin: User, analyst: User
) -> None:
    assert 'data-testid="locks-link"' in login(client, admin).get("/cuentas/yo/").content.decode()
    page = login(Client(), analyst).get("/cuentas/yo/").content.decode()
    assert 'data-testid="locks-link"' not in page
    assert 'href="/cuentas/clave/cambiar/"' in page and 'href="/cuentas/doble-factor/"' in page
