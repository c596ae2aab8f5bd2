"""The administration pages, the access review and its export, the API and the CLI."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sinasec.accounts.models import Profile
from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.core.exports import csv_bytes
from sinasec.people.accounts import AccountInput, create_account
from sinasec.people.tests.sheets import HEADER


@pytest.mark.django_db
def test_it_creates_an_account_from_the_page_and_keeps_input_on_error(
    client: Client, admin: User
) -> None:
    login(client, admin)
    assert client.get("/cuentas/administrar/nueva/").status_code == 200
    form = {"full_name": "Luis Paz", "email": "luis@muni.pe", "role": "committee_secretary"}
    bad = client.post("/cuentas/administrar/nueva/", {**form, "place": "999999"})
    assert bad.status_code == 200
    assert b"Luis Paz" in bad.content and b"999999" in bad.content  # kept
    assert not User.objects.filter(email="luis@muni.pe").exists()
    done = client.post("/cuentas/administrar/nueva/", {**form, "place": "150122"})
    assert done.status_code == 302
    assert Profile.objects.get(user__email="luis@muni.pe").territory_id == "150122"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_list_filters_and_shows_who_has_not_activated(
    client: Client, admin: User, secretary: User, focal_point: User
) -> None:
    create_account(admin, AccountInput("Nora", "nora@muni.pe", "secretario", "150101"))
    login(client, admin)
    pending = client.get("/cuentas/administrar/?activated=false").content.decode()
    assert "nora@muni.pe" in pending and "not-activated" in pending
    assert secretary.username not in pending
    by_role = client.get("/cuentas/administrar/?role=focal_point").content.decode()
    assert focal_point.username in by_role and secretary.username not in by_role
    lima = client.get("/cuentas/administrar/?region=1501").content.decode()
    assert secretary.username in lima and focal_point.username not in lima
    response = client.post("/cuentas/administrar/nora@muni.pe/invitar/")
    assert response.status_code == 302 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_pages_refuse_who_manages_no_accounts(client: Client, secretary: User) -> None:
    login(client, secretary)
    for url in (
        "/cuentas/administrar/",
        "/cuentas/administrar/revision/",
        "/cuentas/administrar/importar/",
    ):
        assert client.get(url).status_code == 403, url
    assert b"nav-accounts" not in client.get("/cuentas/yo/").content


@pytest.mark.django_db
def test_the_page_deactivates_and_reactivates(client: Client, admin: User, secretary: User) -> None:
    login(client, admin)
    client.post(f"/cuentas/administrar/{secretary.username}/desactivar/")
    assert not User.objects.get(pk=secretary.pk).is_active
    client.post(f"/cuentas/administrar/{secretary.username}/reactivar/")
    assert User.objects.get(pk=secretary.pk).is_active


@pytest.mark.django_db
def test_the_page_imports_a_file_or_lists_its_problems(client: Client, admin: User) -> None:
    login(client, admin)
    good = csv_bytes([HEADER, ["Ana", "ana@x.pe", "", "secretario", "150122", ""]], delimiter=";")
    bad = csv_bytes([HEADER, ["Ana", "ana@x.pe", "", "secretario", "999999", ""]], delimiter=";")
    response = client.post("/cuentas/administrar/importar/", {"file": _upload(bad)})
    assert b'data-testid="problems"' in response.content and b"999999" in response.content
    response = client.post("/cuentas/administrar/importar/", {"file": _upload(good)})
    assert response.status_code == 302 and User.objects.filter(email="ana@x.pe").exists()
    template = client.get("/cuentas/administrar/plantilla.xlsx")
    assert template.status_code == 200 and template.content.startswith(b"PK")


def _upload(data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = "cuentas.csv"
    return upload


@pytest.mark.django_db
def test_the_access_review_lists_and_exports_what_each_can_do(
    client: Client,
    admin: User,
    secretary: User,
    focal_point: User,
    callao_admin: User,
    regional_secretary: User,
) -> None:
    login(client, admin)
    page = client.get("/cuentas/administrar/revision/").content.decode()
    assert secretary.username in page and "Miraflores" in page
    response = client.get("/cuentas/administrar/revision/?formato=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["usuario", "nombre", "correo", "rol"]
    codes = client.get("/cuentas/administrar/revision/?formato=csv&columnas=codigos")
    coded = list(csv.reader(io.StringIO(codes.content.decode("utf-8-sig"))))
    assert coded[0][:4] == ["username", "name", "email", "role"]
    assert {row[3] for row in coded[1:]} >= {"national_admin", "committee_secretary"}
    by_user = {row[0]: row for row in rows[1:]}
    assert set(by_user) >= {admin.username, secretary.username, focal_point.username}
    assert "150122" in by_user[secretary.username][5]
    assert by_user[focal_point.username][5] == "PNP"
    assert all(row[9] and row[10] for row in rows[1:])  # can read, can write: described
    xlsx = client.get("/cuentas/administrar/revision/?formato=xlsx")
    assert xlsx.content.startswith(b"PK")
    # a regional administrator reviews their region only
    login(client, callao_admin)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/cuentas/administrar/revision/?formato=csv").content.decode("utf-8-sig")
            )
        )
    )
    assert [row[0] for row in rows[1:]] == [regional_secretary.username]


@pytest.mark.django_db
def test_the_api_creates_updates_deactivates_and_reactivates(client: Client, admin: User) -> None:
    login(client, admin)
    created = client.post(
        "/api/v1/accounts/users",
        {"full_name": "Rita", "email": "rita@pnp.pe", "role": "focal_point", "institution": "PNP"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["activated"] is False and created.json()["place"] == "PNP"
    invalid = client.post(
        "/api/v1/accounts/users",
        {
            "full_name": "Rita",
            "email": "rita2@pnp.pe",
            "role": "focal_point",
            "institution": "NASA",
        },
        content_type="application/json",
    )
    assert invalid.status_code == 422 and "institution" in invalid.json()["detail"]
    changed = client.patch(
        "/api/v1/accounts/users/rita@pnp.pe",
        {"institution": "MINSA"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["place"] == "MINSA"
    assert client.post("/api/v1/accounts/users/rita@pnp.pe/deactivate").json()["active"] is False
    assert client.post("/api/v1/accounts/users/rita@pnp.pe/reactivate").json()["active"] is True
    assert client.get("/api/v1/accounts/users/nadie@x.pe").status_code == 404
    actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert {
        "accounts.create",
        "accounts.update",
        "accounts.deactivate",
        "accounts.reactivate",
    } <= actions


@pytest.mark.django_db
def test_the_cli_adds_lists_sets_roles_and_refuses(
    admin: User, callao_admin: User, tmp_path
) -> None:
    out = io.StringIO()
    call_command(
        "accounts",
        "add",
        "Mario Paz",
        "mario@muni.pe",
        "secretario",
        "--ubigeo",
        "150122",
        "--as",
        admin.username,
        stdout=out,
    )
    assert "mario@muni.pe\tcommittee_secretary\t150122" in out.getvalue()
    call_command(
        "accounts",
        "set-role",
        "mario@muni.pe",
        "regional_admin",
        "--ubigeo",
        "07",
        "--as",
        admin.username,
        stdout=out,
    )
    assert Profile.objects.get(user__username="mario@muni.pe").region_id == "07"
    out = io.StringIO()
    call_command("accounts", "list", "--not-activated", "--as", admin.username, stdout=out)
    assert out.getvalue().startswith("mario@muni.pe\tregional_admin\t07\tactive, not activated")
    with pytest.raises(CommandError) as refused:
        call_command(
            "accounts",
            "add",
            "Lima",
            "l@muni.pe",
            "secretario",
            "--ubigeo",
            "150101",
            "--as",
            callao_admin.username,
        )
    assert refused.value.returncode == 2 and "07" in str(refused.value)
    with pytest.raises(CommandError) as invalid:
        call_command(
            "accounts",
            "add",
            "X",
            "x@muni.pe",
            "secretario",
            "--ubigeo",
            "999999",
            "--as",
            admin.username,
        )
    assert invalid.value.returncode == 3 and "ubigeo" in str(invalid.value)
    sheet = tmp_path / "c.csv"
    sheet.write_bytes(
        csv_bytes([HEADER, ["Ana", "ana@x.pe", "", "secretario", "999999", ""]], delimiter=";")
    )
    with pytest.raises(CommandError) as rejected:
        call_command("accounts", "import", str(sheet), "--as", admin.username)
    assert rejected.value.returncode == 3 and "999999" in str(rejected.value)
    call_command("accounts", "deactivate", "mario@muni.pe", "--as", admin.username, stdout=out)
    assert not User.objects.get(username="mario@muni.pe").is_active
