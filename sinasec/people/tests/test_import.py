"""Onboarding from a spreadsheet: 2,000 accounts in one transaction with their
invitations, all or nothing with row and column, idempotent, within the importer's
scope; the template."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinasec.accounts.models import Profile
from sinasec.audit.models import AuditEvent
from sinasec.core.errors import ImportRejected
from sinasec.core.exports import csv_bytes
from sinasec.core.tabular import read_xlsx
from sinasec.people.importer import import_accounts, template_bytes
from sinasec.people.tests.sheets import HEADER, onboarding_csv, onboarding_rows


def _sheet(*rows: list[str]) -> bytes:
    return csv_bytes([HEADER, *rows], delimiter=";")


@pytest.mark.django_db
def test_it_imports_2000_accounts_in_one_transaction_with_2000_invitations(admin: User) -> None:
    before, audited = User.objects.count(), AuditEvent.objects.count()
    data = onboarding_csv(2000)
    with CaptureQueriesContext(connection) as queries:
        result = import_accounts(admin, "cuentas.csv", data)
    assert (result.rows, result.created, result.updated) == (2000, 2000, 0)
    assert User.objects.count() == before + 2000
    assert (
        Profile.objects.filter(
            role="committee_secretary", user__email__endswith="comites.example.pe"
        ).count()
        >= 1900
    )
    assert len(mail.outbox) == 2000
    assert AuditEvent.objects.filter(action="accounts.create", actor=admin).count() == 2000
    savepoints = [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    assert len(queries.captured_queries) < 400  # bulk, not one insert per row
    assert len([q for q in savepoints if q["sql"].upper().startswith("SAVEPOINT")]) == 1

    again = import_accounts(admin, "cuentas.csv", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2000)
    assert len(mail.outbox) == 2000
    assert AuditEvent.objects.count() == audited + 2000


@pytest.mark.django_db
def test_a_file_with_one_bad_row_creates_nothing_and_names_row_and_column(admin: User) -> None:
    rows = onboarding_rows(50)
    rows[36][4] = "999999"  # row 38 of the sheet (the header is row 1)
    with pytest.raises(ImportRejected) as caught:
        import_accounts(admin, "cuentas.csv", _sheet(*rows))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (38, "ubigeo")
    assert "999999" in problem.reason
    assert not User.objects.filter(email__endswith="example.pe").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_reports_every_kind_of_bad_row(admin: User, secretary: User) -> None:
    secretary.email = "sara@muni.pe"
    secretary.save()
    data = _sheet(
        ["Ana", "ana@x.pe", "", "secretario", "150122", ""],
        ["Ana bis", "ANA@x.pe", "", "secretario", "150101", ""],  # duplicate in the file
        ["", "b@x.pe", "", "secretario", "150122", ""],  # no name
        ["Carlos", "c@x.pe", "", "astronauta", "150122", ""],  # unknown role
        ["Dina", "d@x.pe", "", "enlace", "", "NASA"],  # unknown institution
        ["Eva", "e@x.pe", "123", "secretario", "150122", ""],  # bad DNI
    )
    with pytest.raises(ImportRejected) as caught:
        import_accounts(admin, "c.csv", data)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(3, "correo"), (4, "nombre"), (5, "rol"), (6, "institucion"), (7, "dni")}


@pytest.mark.django_db
def test_a_regional_admin_imports_only_inside_their_region(
    callao_admin: User, secretary: User
) -> None:
    secretary.email = "sara@muni.pe"
    secretary.save()
    lima = _sheet(
        ["Callao", "ok@callao.pe", "", "secretario", "070101", ""],
        ["Lima", "no@lima.pe", "", "secretario", "150101", ""],
        ["Analista", "an@callao.pe", "", "national_analyst", "", ""],
        ["Sara", "sara@muni.pe", "", "secretario", "070101", ""],  # a Lima account's e-mail
    )
    with pytest.raises(ImportRejected) as caught:
        import_accounts(callao_admin, "c.csv", lima)
    assert {(p.row, p.column) for p in caught.value.problems} == {
        (3, "rol"),
        (4, "rol"),
        (5, "correo"),
    }
    result = import_accounts(
        callao_admin, "c.csv", _sheet(["Callao", "ok@callao.pe", "", "secretario", "070101", ""])
    )
    assert result.created == 1


@pytest.mark.django_db
def test_a_changed_row_updates_its_account_and_is_audited(admin: User) -> None:
    import_accounts(admin, "c.csv", _sheet(["Ana", "ana@x.pe", "", "secretario", "150122", ""]))
    result = import_accounts(
        admin, "c.csv", _sheet(["Ana", "ana@x.pe", "", "secretario", "150101", ""])
    )
    assert (result.created, result.updated) == (0, 1)
    assert Profile.objects.get(user__email="ana@x.pe").territory_id == "150101"
    assert AuditEvent.objects.filter(action="accounts.update").count() == 1


@pytest.mark.django_db
def test_the_template_has_the_columns_and_an_example_that_imports_as_nothing(admin: User) -> None:
    data = template_bytes()
    header, records = read_xlsx(data, "plantilla.xlsx")
    assert header == ["nombre", "correo", "dni", "rol", "ubigeo", "institucion"]
    assert "(ejemplo)" in str(records[0][1][0])
    with pytest.raises(ImportRejected) as caught:
        import_accounts(admin, "plantilla.xlsx", data)
    assert "no data rows" in str(caught.value) or "no tiene filas" in str(caught.value)
