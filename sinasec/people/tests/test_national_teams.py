"""The Barrio Seguro team and the observatory analyst: granted by a national
administrator (by code or Spanish name, on the form and in a spreadsheet), never by a
regional one, and described in the access review."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils.translation import override

from sinasec.accounts.models import Profile, Role
from sinasec.audit.models import AuditEvent
from sinasec.core.errors import AccessDenied
from sinasec.core.exports import csv_bytes
from sinasec.people.accounts import AccountInput, create_account
from sinasec.people.importer import import_accounts
from sinasec.people.selectors import describe_access
from sinasec.people.services import ensure_user_with_role
from sinasec.people.tests.sheets import HEADER

pytestmark = pytest.mark.django_db


def test_it_lets_the_admin_create_each_new_role_by_its_spanish_name(admin: User) -> None:
    team = create_account(
        admin, AccountInput("Bea Ruiz", "bea@mininter.pe", "Equipo Barrio Seguro")
    )
    analyst = create_account(
        admin, AccountInput("Omar Díaz", "omar@mininter.pe", "Analista del observatorio")
    )
    roles = dict(Profile.objects.filter(user__in=[team, analyst]).values_list("user_id", "role"))
    assert roles == {team.pk: Role.BARRIO_TEAM, analyst.pk: Role.OBSERVATORY_ANALYST}
    created = AuditEvent.objects.filter(action="accounts.create", actor=admin)
    assert {e.object_id for e in created} >= {str(team.pk), str(analyst.pk)}


def test_it_lets_the_admin_grant_both_through_the_service(admin: User) -> None:
    for username, role in (("equipo", Role.BARRIO_TEAM), ("obs", Role.OBSERVATORY_ANALYST)):
        user, created = ensure_user_with_role(admin, username, role)
        profile = Profile.objects.get(user=user)
        assert created and profile.role == role
        assert (profile.territory_id, profile.region_id, profile.institution_id) == (None,) * 3


def test_it_imports_both_roles_from_a_spreadsheet(admin: User) -> None:
    sheet = csv_bytes(
        [
            HEADER,
            ["Bea", "bea@x.pe", "", "Equipo Barrio Seguro", "", ""],
            ["Omar", "omar@x.pe", "", "analista del observatorio", "", ""],
        ],
        delimiter=";",
    )
    assert import_accounts(admin, "c.csv", sheet).created == 2
    roles = set(
        Profile.objects.filter(user__email__endswith="@x.pe").values_list("role", flat=True)
    )
    assert roles == {Role.BARRIO_TEAM, Role.OBSERVATORY_ANALYST}


def test_it_refuses_both_roles_to_a_regional_admin(regional_admin: User) -> None:
    for role in ("barrio_team", "observatory_analyst"):
        with pytest.raises(AccessDenied):
            create_account(regional_admin, AccountInput("X", f"{role}@c.pe", role))
    assert not User.objects.filter(email__endswith="@c.pe").exists()


def test_it_describes_what_each_new_role_reads_and_writes(
    barrio_team: User, observatory_analyst: User
) -> None:
    with override("es-pe"):
        team = describe_access(barrio_team.profile)
        analyst = describe_access(observatory_analyst.profile)
    assert "Barrio Seguro" in team[1] and "auditoría" in team[0]
    assert "observatorio" in analyst[1]
