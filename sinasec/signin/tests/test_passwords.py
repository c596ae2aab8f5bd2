"""Password reset by e-mail (Spanish, one-time link, throttled, audited), the
validators and the change of a password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.conftest import login

NEW = "Serenazgo-Lima-2027"


def _ask(client: Client, email: str):
    return client.post("/cuentas/clave/olvido/", {"email": email})


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/cuentas/clave/nueva/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


@pytest.fixture
def sara(secretary: User) -> User:
    secretary.email = "sara@miraflores.gob.pe"
    secretary.save(update_fields=["email"])
    return secretary


@pytest.mark.django_db
def test_it_mails_a_link_that_sets_a_new_password_once(client: Client, sara: User) -> None:
    response = _ask(client, "SARA@miraflores.gob.pe")
    assert response.status_code == 302 and response["Location"] == "/cuentas/clave/olvido/enviado/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sara@miraflores.gob.pe"]
    assert message.subject == "SINASEC: elija una nueva contraseña"
    assert "sara.miraflores" in message.body and "Si no lo pidió" in message.body
    link = _link(message)
    form = client.get(link, follow=True)  # Django moves the token into the session
    assert "new_password1" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/cuentas/clave/nueva/lista/"
    assert Client().login(username="sara.miraflores", password=NEW)
    again = Client().get(link, follow=True)
    assert 'data-testid="invalid-link"' in again.content.decode()
    event = AuditEvent.objects.get(action="accounts.password_reset")
    assert event.actor == sara


@pytest.mark.django_db
def test_it_answers_the_same_for_an_unknown_address(client: Client, sara: User) -> None:
    known = _ask(client, "sara@miraflores.gob.pe")
    unknown = _ask(Client(), "nadie@ejemplo.pe")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    requests = AuditEvent.objects.filter(action="accounts.password_reset_requested")
    assert requests.count() == 2  # both audited, for the administrators only
    assert (requests.get(summary__contains="nadie@").after or {})["accounts"] == []
    assert (requests.get(summary__contains="sara@").after or {})["accounts"] == ["sara.miraflores"]


@pytest.mark.django_db
def test_it_sends_one_address_one_mail_per_cooldown(client: Client, sara: User) -> None:
    for _ in range(3):
        assert _ask(client, "sara@miraflores.gob.pe").status_code == 302
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="accounts.password_reset_requested").count() == 1


@pytest.mark.django_db
def test_it_refuses_a_short_password_in_spanish(client: Client, sara: User) -> None:
    _ask(client, sara.email)
    form = client.get(_link(mail.outbox[0]), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Lima-27", "new_password2": "Lima-27"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La contraseña es demasiado corta. Debe contener por lo menos 10 caracteres." in page
    assert not Client().login(username="sara.miraflores", password="Lima-27")
    assert not AuditEvent.objects.filter(action="accounts.password_reset").exists()


@pytest.mark.django_db
def test_it_refuses_common_numeric_and_similar_passwords(client: Client, sara: User) -> None:
    login(client, sara)
    for weak, reason in [
        ("9081726354", "completamente numérica"),
        ("qwertyuiop", "demasiado común"),
        ("sara.miraflores1", "demasiado similar"),
    ]:
        response = client.post(
            "/cuentas/clave/cambiar/",
            {"old_password": "Prueba-SINASEC-2026", "new_password1": weak, "new_password2": weak},
        )
        assert reason in response.content.decode(), weak


@pytest.mark.django_db
def test_it_changes_the_password_and_keeps_the_session(client: Client, sara: User) -> None:
    login(client, sara)
    response = client.post(
        "/cuentas/clave/cambiar/",
        {"old_password": "Prueba-SINASEC-2026", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/accounts/me").json()["authenticated"]
    assert AuditEvent.objects.get(action="accounts.password_changed").actor == sara


@pytest.mark.django_db
def test_the_login_page_links_to_the_reset(client: Client) -> None:
    page = client.get("/cuentas/ingresar/").content.decode()
    assert 'href="/cuentas/clave/olvido/"' in page
