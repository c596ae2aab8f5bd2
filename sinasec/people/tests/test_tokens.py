"""Personal API tokens: bearer authentication, revocation, audit, the page and the CLI."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from sinasec.accounts.models import ApiToken
from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied
from sinasec.people.services import create_api_token, revoke_api_token


def _me(client: Client, secret: str) -> Any:
    return client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.django_db
def test_a_token_reads_me_as_its_user(client: Client, focal_point: User) -> None:
    token, secret = create_api_token(focal_point, focal_point.username, "reporting")
    response = _me(client, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "pablo.pnp"
    assert body["role"] == "focal_point"
    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.django_db
def test_a_token_authenticates_a_protected_endpoint(client: Client, admin: User) -> None:
    _token, secret = create_api_token(admin, admin.username, "audit reader")
    assert client.get("/api/v1/audit/events").status_code == 401
    response = client.get("/api/v1/audit/events", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_revoked_token_gets_401(client: Client, admin: User) -> None:
    token, secret = create_api_token(admin, admin.username, "old")
    revoke_api_token(admin, token.pk)
    assert (
        client.get("/api/v1/audit/events", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )
    assert _me(client, secret).json()["authenticated"] is False


@pytest.mark.django_db
def test_a_deactivated_users_token_gets_401(client: Client, admin: User) -> None:
    _token, secret = create_api_token(admin, admin.username, "robot")
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert (
        client.get("/api/v1/audit/events", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )


@pytest.mark.django_db
def test_an_unknown_token_gets_401(client: Client, admin: User) -> None:
    response = client.get("/api/v1/audit/events", HTTP_AUTHORIZATION="Bearer sns_nope")
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_secret_is_not_stored_in_clear(admin: User) -> None:
    token, secret = create_api_token(admin, admin.username, "robot")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(row, default=str)
    assert len(row["digest"]) == 64 and secret.startswith(row["prefix"])
    assert not AuditEvent.objects.filter(after__icontains=secret).exists()


@pytest.mark.django_db
def test_creation_and_revocation_are_audited(admin: User, focal_point: User) -> None:
    token, _secret = create_api_token(admin, focal_point.username, "pnp robot")
    revoke_api_token(focal_point, token.pk)
    revoke_api_token(focal_point, token.pk)  # again: nothing more to record
    events = AuditEvent.objects.filter(object_type="api_token", object_id=str(token.pk))
    assert sorted(events.values_list("action", "actor_label")) == [
        ("accounts.create_api_token", "ana.admin"),
        ("accounts.revoke_api_token", "pablo.pnp"),
    ]


@pytest.mark.django_db
def test_users_manage_only_their_own_tokens(
    focal_point: User, other_focal_point: User, admin: User
) -> None:
    with pytest.raises(AccessDenied):
        create_api_token(focal_point, other_focal_point.username, "not mine")
    token, _secret = create_api_token(other_focal_point, other_focal_point.username, "mine")
    with pytest.raises(AccessDenied):
        revoke_api_token(focal_point, token.pk)
    assert revoke_api_token(admin, token.pk).revoked_at is not None


@pytest.mark.django_db
def test_the_api_creates_lists_and_revokes_tokens(client: Client, secretary: User) -> None:
    login(client, secretary)
    created = client.post(
        "/api/v1/accounts/tokens", data={"name": "codisec"}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith(body["prefix"])
    listed = client.get("/api/v1/accounts/tokens").json()
    assert [t["name"] for t in listed["items"]] == ["codisec"]
    assert "secret" not in listed["items"][0]
    revoked = client.delete(f"/api/v1/accounts/tokens/{body['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert _me(Client(), body["secret"]).json()["authenticated"] is False


@pytest.mark.django_db
def test_the_api_refuses_anonymous_and_other_peoples_tokens(
    client: Client, focal_point: User, other_focal_point: User
) -> None:
    assert client.get("/api/v1/accounts/tokens").status_code == 401
    token, _secret = create_api_token(other_focal_point, other_focal_point.username, "mine")
    login(client, focal_point)
    assert client.delete(f"/api/v1/accounts/tokens/{token.pk}").status_code == 403
    assert client.delete("/api/v1/accounts/tokens/999999").status_code == 404


@pytest.mark.django_db
def test_the_page_shows_the_secret_once_and_revokes(client: Client, analyst: User) -> None:
    login(client, analyst)
    response = client.post("/cuentas/tokens/", {"name": "tablero"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=analyst)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix) and secret in response.content.decode()
    page = client.get("/cuentas/tokens/").content.decode()
    assert "tablero" in page and secret not in page
    client.post(f"/cuentas/tokens/{token.pk}/revocar/")
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_the_page_needs_a_signed_in_user(client: Client) -> None:
    assert client.get("/cuentas/tokens/").status_code == 302


@pytest.mark.django_db
def test_the_cli_creates_lists_and_revokes(admin: User, focal_point: User) -> None:
    out = io.StringIO()
    call_command("accounts", "token-create", "pablo.pnp", "etl", "--as", "ana.admin", stdout=out)
    token_id, name, secret = out.getvalue().strip().split("\t")
    assert name == "etl" and ApiToken.objects.get(pk=token_id).digest != secret
    out = io.StringIO()
    call_command("accounts", "tokens", "pablo.pnp", "--as", "pablo.pnp", stdout=out)
    assert "etl" in out.getvalue() and secret not in out.getvalue()
    call_command("accounts", "token-revoke", token_id, "--as", "pablo.pnp", stdout=io.StringIO())
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None


@pytest.mark.django_db
def test_a_token_writes_without_a_csrf_cookie(focal_point: User) -> None:
    _token, secret = create_api_token(focal_point, focal_point.username, "etl")
    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        "/api/v1/institutions/PNP/contact",
        data=json.dumps({"version": 1, "phone": "222"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200 and response.json()["phone"] == "222"
    other = client.patch(
        "/api/v1/institutions/MINSA/contact",
        data=json.dumps({"version": 1, "phone": "222"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert other.status_code == 403  # the token carries its user's scope, no more
