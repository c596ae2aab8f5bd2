"""Optional TOTP two-factor sign-in, required of national roles by a setting."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinasec.audit.models import AuditEvent
from sinasec.conftest import PASSWORD, login


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


def _wrong(device: TOTPDevice) -> str:
    return f"{(int(_code(device)) + 1) % 10**6:06d}"


def _unthrottle(device: TOTPDevice) -> None:
    """django_otp refuses any code for a second after a wrong one (doubling each time):
    the test does not wait for it."""
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()


@pytest.fixture
def required(settings) -> None:
    settings.REQUIRE_2FA_FOR_NATIONAL = True


@pytest.fixture
def enrolled(admin: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=admin, name="SINASEC", confirmed=True)


def _sign_in(client: Client, user: User):
    return client.post("/cuentas/ingresar/", {"username": user.username, "password": PASSWORD})


@pytest.mark.django_db
def test_it_sends_a_national_admin_to_enrolment_when_required(
    client: Client, admin: User, required: None
) -> None:
    response = login(client, admin).get("/auditoria/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/doble-factor/?required=1")
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="otpauth"' in page and "otpauth://totp/SINASEC" in page
    assert "<svg" in page and "style=" not in page  # the QR code, no inline style
    assert client.get("/api/v1/audit/events").status_code == 403
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    wrong = client.post(response["Location"], {"code": _wrong(device)})
    assert wrong.status_code == 200 and "El código no es válido" in wrong.content.decode()
    assert client.get("/auditoria/").status_code == 302
    _unthrottle(device)
    right = client.post(response["Location"], {"code": _code(device)})
    assert right.status_code == 302 and right["Location"] == "/auditoria/"
    assert client.get("/auditoria/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor_enrolled", actor=admin).exists()


@pytest.mark.django_db
def test_it_leaves_other_roles_and_the_default_alone(
    client: Client, admin: User, secretary: User, settings
) -> None:
    assert login(client, admin).get("/auditoria/").status_code == 200  # setting off
    settings.REQUIRE_2FA_FOR_NATIONAL = True
    assert login(Client(), secretary).get("/auditoria/").status_code == 200


@pytest.mark.django_db
def test_it_asks_for_the_code_after_the_password(
    client: Client, admin: User, enrolled: TOTPDevice
) -> None:
    response = _sign_in(client, admin)
    assert response.status_code == 302 and response["Location"] == "/cuentas/ingresar/codigo/"
    assert client.get("/api/v1/accounts/me").json()["authenticated"] is False
    wrong = client.post("/cuentas/ingresar/codigo/", {"code": _wrong(enrolled)})
    assert wrong.status_code == 200 and "El código no es válido" in wrong.content.decode()
    assert client.get("/api/v1/accounts/me").json()["authenticated"] is False
    _unthrottle(enrolled)
    right = client.post("/cuentas/ingresar/codigo/", {"code": _code(enrolled)})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get("/api/v1/accounts/me").json()["username"] == admin.username


@pytest.mark.django_db
def test_the_required_setting_lets_an_enrolled_admin_in(
    client: Client, admin: User, enrolled: TOTPDevice, required: None
) -> None:
    _sign_in(client, admin)
    client.post("/cuentas/ingresar/codigo/", {"code": _code(enrolled)})
    assert client.get("/auditoria/").status_code == 200


@pytest.mark.django_db
def test_it_sends_back_to_the_password_after_too_many_wrong_codes(
    client: Client, admin: User, enrolled: TOTPDevice
) -> None:
    _sign_in(client, admin)
    for _ in range(5):
        client.post("/cuentas/ingresar/codigo/", {"code": "000000"})
    response = client.post("/cuentas/ingresar/codigo/", {"code": _code(enrolled)})
    assert response.status_code == 302 and response["Location"] == "/cuentas/ingresar/"
    assert client.get("/api/v1/accounts/me").json()["authenticated"] is False


@pytest.mark.django_db
def test_the_required_setting_ends_a_session_opened_without_the_code(
    client: Client, admin: User, enrolled: TOTPDevice, required: None
) -> None:
    response = login(client, admin).get("/auditoria/")  # a session that skipped the code
    assert response.status_code == 302
    assert response["Location"] == "/cuentas/ingresar/?next=%2Fauditoria%2F"
    assert client.get("/api/v1/accounts/me").json()["authenticated"] is False
