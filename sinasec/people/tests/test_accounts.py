"""Account administration: create, update, deactivate, reactivate, invite, activate;
delegation to a regional administrator; every change audited."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from sinasec.accounts.models import Profile, Role
from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied
from sinasec.people.accounts import (
    AccountInput,
    create_account,
    deactivate_account,
    reactivate_account,
    resend_invitation,
    update_account,
)
from sinasec.people.services import create_api_token

NEW_PASSWORD = "Clave-Segura-2026"


def _secretary(email: str, place: str) -> AccountInput:
    return AccountInput(full_name="Julia Rojas", email=email, role="secretario", place=place)


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/cuentas/activar/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


@pytest.mark.django_db
def test_it_creates_an_account_with_its_scope_and_invites_it(admin: User) -> None:
    user = create_account(admin, _secretary("Julia.Rojas@Muni.gob.pe", "150122"))
    assert user.username == "julia.rojas@muni.gob.pe"
    assert not user.has_usable_password()
    profile = Profile.objects.get(user=user)
    assert (profile.role, profile.territory_id) == (Role.COMMITTEE_SECRETARY, "150122")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["julia.rojas@muni.gob.pe"]
    assert "/cuentas/activar/" in str(mail.outbox[0].body)
    event = AuditEvent.objects.get(action="accounts.create", object_id=str(user.pk))
    assert event.actor == admin and (event.after or {})["territory"] == "150122"


@pytest.mark.django_db
def test_it_refuses_bad_input_naming_the_field_and_saves_nothing(admin: User) -> None:
    data = AccountInput(full_name="", email="no-es-correo", role="piloto", place="999999")
    with pytest.raises(ValidationError) as caught:
        create_account(admin, data)
    assert set(caught.value.message_dict) == {"full_name", "email", "role"}
    with pytest.raises(ValidationError) as caught:
        create_account(admin, _secretary("a@b.pe", "999999"))
    assert "ubigeo" in caught.value.message_dict
    assert not User.objects.filter(email="a@b.pe").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_duplicate_email_is_refused(admin: User) -> None:
    create_account(admin, _secretary("uno@muni.pe", "150122"))
    with pytest.raises(ValidationError) as caught:
        create_account(admin, _secretary("UNO@muni.pe", "150101"))
    assert "email" in caught.value.message_dict


@pytest.mark.django_db
def test_a_regional_admin_of_callao_manages_callao_only(
    client: Client, callao_admin: User, secretary: User, regional_secretary: User
) -> None:
    # Lima (Miraflores, in Lima Metropolitana): neither seen nor created nor changed.
    with pytest.raises(AccessDenied):
        create_account(callao_admin, _secretary("lima@muni.pe", "150122"))
    with pytest.raises(AccessDenied):
        deactivate_account(callao_admin, secretary.username)
    login(client, callao_admin)
    assert client.get(f"/cuentas/administrar/{secretary.username}/").status_code == 403
    listing = client.get("/cuentas/administrar/").content.decode()
    assert secretary.username not in listing
    api = client.get("/api/v1/accounts/users").json()
    assert [a["username"] for a in api["items"]] == [regional_secretary.username]
    response = client.post(
        "/api/v1/accounts/users",
        {"full_name": "X", "email": "x@lima.pe", "role": "secretario", "place": "1501"},
        content_type="application/json",
    )
    assert response.status_code == 403
    # Callao: its regional committee's secretary, and a new district secretary.
    user = create_account(callao_admin, _secretary("bellavista@muni.pe", "070102"))
    assert client.get(f"/cuentas/administrar/{user.username}/").status_code == 200
    # ... but only as a secretary: no other role, even inside the region.
    with pytest.raises(AccessDenied):
        create_account(callao_admin, AccountInput("Y", "y@c.pe", "regional_admin", "07"))
    with pytest.raises(AccessDenied):
        update_account(callao_admin, user.username, role="secretario", place="150122")


@pytest.mark.django_db
def test_deactivation_ends_the_session_and_the_token_at_once(admin: User, secretary: User) -> None:
    browser = Client()
    browser.post(
        "/cuentas/ingresar/", {"username": secretary.username, "password": "Prueba-SINASEC-2026"}
    )
    assert browser.get("/auditoria/").status_code == 200
    _token, secret = create_api_token(secretary, secretary.username, "robot")
    bearer = f"Bearer {secret}"
    assert Client().get("/api/v1/audit/events", HTTP_AUTHORIZATION=bearer).status_code == 200

    deactivate_account(admin, secretary.username)

    response = browser.get("/auditoria/")
    assert response.status_code == 302 and "/cuentas/ingresar/" in response["Location"]
    assert Client().get("/api/v1/audit/events", HTTP_AUTHORIZATION=bearer).status_code == 401
    secretary.refresh_from_db()
    assert not secretary.is_active
    assert User.objects.filter(pk=secretary.pk).exists()  # never deleted
    event = AuditEvent.objects.get(action="accounts.deactivate")
    assert "1 sesiones" in event.summary or "1 sessions" in event.summary
    reactivate_account(admin, secretary.username)
    secretary.refresh_from_db()
    assert secretary.is_active
    assert AuditEvent.objects.filter(action="accounts.reactivate", actor=admin).exists()


@pytest.mark.django_db
def test_nobody_deactivates_themselves(admin: User) -> None:
    with pytest.raises(AccessDenied):
        deactivate_account(admin, admin.username)


@pytest.mark.django_db
def test_the_invitation_link_sets_the_password_once(client: Client, admin: User) -> None:
    user = create_account(admin, _secretary("nueva@muni.pe", "150122"))
    link = _link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and b"activate-form" in form_page.content
    short = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "corta", "new_password2": "corta"}
    )
    assert b"activate-form" in short.content  # the validators refused it; still invited
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/cuentas/yo/").status_code == 200  # signed in
    assert AuditEvent.objects.filter(action="accounts.activate", actor=user).exists()
    again = Client().get(link, follow=True)
    assert b"invalid-link" in again.content and b"activate-form" not in again.content


@pytest.mark.django_db
def test_an_invitation_expires(admin: User, settings) -> None:
    from sinasec.people.invitations import invitation_token

    user = create_account(admin, _secretary("vence@muni.pe", "150122"), invite=False)
    token = invitation_token.make_token(user)
    assert invitation_token.check_token(user, token)
    settings.INVITATION_DAYS = -1
    assert not invitation_token.check_token(user, token)


@pytest.mark.django_db
def test_resending_an_invitation_is_audited_and_only_before_activation(
    admin: User, secretary: User
) -> None:
    user = create_account(admin, _secretary("otra@muni.pe", "150101"))
    resend_invitation(admin, user.username)
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="accounts.invite", object_id=str(user.pk)).exists()
    with pytest.raises(ValidationError):
        resend_invitation(admin, secretary.username)  # has a password already


@pytest.mark.django_db
def test_a_role_change_is_audited_with_before_and_after(admin: User, secretary: User) -> None:
    update_account(admin, secretary.username, role="regional_admin", place="1501")
    profile = Profile.objects.get(user=secretary)
    assert (profile.role, profile.region_id, profile.territory_id) == (
        "regional_admin",
        "1501",
        None,
    )
    event = AuditEvent.objects.get(action="accounts.update")
    assert (event.before or {})["role"] == "committee_secretary"
    assert (event.after or {})["role"] == "regional_admin"
    update_account(admin, secretary.username, role="regional_admin", place="1501")
    assert AuditEvent.objects.filter(action="accounts.update").count() == 1  # nothing changed


@pytest.mark.django_db
def test_a_regional_admin_needs_a_region_in_the_database() -> None:
    from django.db import IntegrityError, transaction

    user = User.objects.create(username="sin.region")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=user, role=Role.REGIONAL_ADMIN)
