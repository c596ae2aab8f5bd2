"""Who may read and write what: ``scope_for`` and ``Scope``, login and /accounts/me."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client

from sinasec.accounts.models import Role
from sinasec.accounts.scope import PUBLIC, Scope, scope_for
from sinasec.audit.models import AuditEvent
from sinasec.conftest import PASSWORD, login
from sinasec.institutions.models import Institution

UBIGEOS = ("150122", "150101", "1501", "15", "070101", "0701", "07", "080101")


def _covered(scope: Scope) -> set[str]:
    return {ubigeo for ubigeo in UBIGEOS if scope.covers_territory(ubigeo)}


def _pk(acronym: str) -> int:
    return Institution.objects.get(acronym=acronym).pk


def test_it_reads_the_scope_of_each_role(
    admin: User,
    analyst: User,
    secretary: User,
    regional_secretary: User,
    focal_point: User,
) -> None:
    assert scope_for(admin) == Scope(role=Role.NATIONAL_ADMIN)
    assert scope_for(analyst) == Scope(role=Role.NATIONAL_ANALYST)
    assert scope_for(secretary) == Scope(role=Role.COMMITTEE_SECRETARY, territory="150122")
    assert scope_for(regional_secretary) == Scope(role=Role.COMMITTEE_SECRETARY, region="07")
    assert scope_for(focal_point) == Scope(role=Role.FOCAL_POINT, institution_id=_pk("PNP"))
    assert scope_for(None) is PUBLIC
    assert scope_for(AnonymousUser()) is PUBLIC


@pytest.mark.django_db
def test_it_gives_no_scope_to_accounts_without_a_role_or_inactive(
    admin: User,
) -> None:
    plain = get_user_model().objects.create_user("sin.rol", password=PASSWORD)
    assert scope_for(plain) is PUBLIC
    admin.is_active = False
    assert scope_for(admin) is PUBLIC


def test_it_lets_a_district_secretary_cover_only_their_district(
    secretary: User,
) -> None:
    scope = scope_for(secretary)
    assert scope.covers_territory("150122") is True
    assert scope.covers_territory("150101") is False
    assert scope.covers_territory("1501") is False
    assert _covered(scope) == {"150122"}


def test_it_lets_a_regional_secretary_cover_their_region(
    regional_secretary: User,
) -> None:
    scope = scope_for(regional_secretary)
    assert scope.covers_territory("070101") is True
    assert scope.covers_territory("150101") is False
    # Callao's department is the whole region; Lima's department (15) spans two.
    assert _covered(scope) == {"07", "0701", "070101"}


def test_it_lets_national_roles_cover_everything(admin: User, analyst: User) -> None:
    for user in (admin, analyst):
        scope = scope_for(user)
        assert scope.is_national
        assert _covered(scope) == set(UBIGEOS)
        assert scope.covers_institution(_pk("MINSA"))
    assert scope_for(admin).is_admin
    assert not scope_for(analyst).is_admin


def test_it_lets_focal_points_and_the_public_cover_no_territory(
    focal_point: User,
) -> None:
    assert _covered(scope_for(focal_point)) == set()
    assert _covered(PUBLIC) == set()
    assert PUBLIC.is_public
    assert scope_for(focal_point).covers_institution(_pk("PNP"))
    assert not scope_for(focal_point).covers_institution(_pk("MINSA"))
    assert not PUBLIC.covers_institution(_pk("PNP"))


def test_it_lets_only_admins_and_own_focal_points_write_an_institution(
    admin: User,
    analyst: User,
    secretary: User,
    regional_secretary: User,
    focal_point: User,
    other_focal_point: User,
) -> None:
    pnp, minsa = _pk("PNP"), _pk("MINSA")
    writers = {
        name: (
            scope_for(user).can_write_institution(pnp),
            scope_for(user).can_write_institution(minsa),
        )
        for name, user in {
            "admin": admin,
            "analyst": analyst,
            "secretary": secretary,
            "regional_secretary": regional_secretary,
            "focal_point": focal_point,
            "other_focal_point": other_focal_point,
        }.items()
    }
    assert writers == {
        "admin": (True, True),
        "analyst": (False, False),
        "secretary": (False, False),
        "regional_secretary": (False, False),
        "focal_point": (True, False),
        "other_focal_point": (False, True),
    }
    assert PUBLIC.can_write_institution(pnp) is False


@pytest.fixture
def events_by_ubigeo(db: None) -> None:
    for ubigeo in ("150122", "150101", "150201", "070101", "080101", ""):
        AuditEvent.objects.create(
            actor_label="t",
            action="test.territory",
            object_type="t",
            object_id=ubigeo or "-",
            summary=ubigeo,
            territory_ubigeo=ubigeo,
        )


def _visible(scope: Scope) -> set[str]:
    events = AuditEvent.objects.filter(action="test.territory")
    return set(
        events.filter(scope.territory_q("territory_ubigeo")).values_list("object_id", flat=True)
    )


def test_it_filters_rows_by_territory(
    events_by_ubigeo: None,
    admin: User,
    secretary: User,
    regional_secretary: User,
    focal_point: User,
) -> None:
    assert _visible(scope_for(admin)) == {"150122", "150101", "150201", "070101", "080101", "-"}
    assert _visible(scope_for(secretary)) == {"150122"}
    assert _visible(scope_for(regional_secretary)) == {"070101"}
    assert _visible(scope_for(focal_point)) == set()
    assert _visible(PUBLIC) == set()


def test_it_splits_lima_between_its_two_regional_governments(events_by_ubigeo: None) -> None:
    metropolitana = Scope(role=Role.COMMITTEE_SECRETARY, region="1501")
    provinces = Scope(role=Role.COMMITTEE_SECRETARY, region="15")
    assert _visible(metropolitana) == {"150122", "150101"}
    assert _visible(provinces) == {"150201"}
    assert metropolitana.covers_territory("150101")
    assert not provinces.covers_territory("150101")
    assert provinces.covers_territory("150201")


def test_it_logs_in_with_the_right_password(client: Client, secretary: User) -> None:
    assert client.get("/cuentas/ingresar/").status_code == 200
    response = client.post(
        "/cuentas/ingresar/", {"username": "sara.miraflores", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/api/v1/accounts/me").json()["username"] == "sara.miraflores"


def test_it_refuses_a_wrong_password(client: Client, secretary: User) -> None:
    response = client.post("/cuentas/ingresar/", {"username": "sara.miraflores", "password": "x"})
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()
    assert client.get("/api/v1/accounts/me").json()["authenticated"] is False


@pytest.mark.django_db
def test_it_tells_the_anonymous_who_they_are(client: Client) -> None:
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 200
    assert response.json() == {
        "authenticated": False,
        "username": None,
        "role": None,
        "territory": None,
        "region": None,
        "institution_id": None,
    }


def test_it_tells_the_secretary_their_scope(client: Client, secretary: User) -> None:
    assert login(client, secretary).get("/api/v1/accounts/me").json() == {
        "authenticated": True,
        "username": "sara.miraflores",
        "role": "committee_secretary",
        "territory": "150122",
        "region": None,
        "institution_id": None,
    }


def test_it_reads_the_scope_of_users_loaded_with_their_profile_without_a_query(
    focal_point: User, admin: User, django_assert_num_queries
) -> None:
    """Lists of people (notification recipients) come with their profiles: asking each
    one's scope must not query again."""
    users = list(User.objects.select_related("profile").order_by("pk"))
    with django_assert_num_queries(0):
        scopes = {user.username: scope_for(user) for user in users}
    assert scopes[focal_point.username] == Scope(role=Role.FOCAL_POINT, institution_id=_pk("PNP"))
    assert scopes[admin.username] == Scope(role=Role.NATIONAL_ADMIN)
