"""Who reads which part of the audit log, through the getter, the page and the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client

from sinasec.audit.access import get_audit_events_for_user
from sinasec.audit.models import AuditEvent
from sinasec.audit.services import record_change
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied
from sinasec.institutions.models import Institution

ALL = {"t-150122", "t-150101", "t-070101", "i-PNP", "i-MINSA"}
EXPECTED = {
    "admin": ALL,
    "analyst": ALL,
    "secretary": {"t-150122"},
    "regional_secretary": {"t-070101"},
    "focal_point": {"i-PNP"},
    "other_focal_point": {"i-MINSA"},
}


@pytest.fixture
def events(admin: User) -> None:
    """Five changes about three territories and two institutions."""
    for ubigeo in ("150122", "150101", "070101"):
        record_change(
            admin,
            "test.territory",
            f"t-{ubigeo}",
            f"Cambio en {ubigeo}",
            before={"n": 1},
            after={"n": 2},
            territory_ubigeo=ubigeo,
            object_type="territory",
        )
    for acronym in ("PNP", "MINSA"):
        institution = Institution.objects.get(acronym=acronym)
        record_change(
            admin,
            "test.institution",
            f"i-{acronym}",
            f"Cambio en {acronym}",
            institution_id=institution.pk,
            object_type="institution",
        )


def _cast(request: pytest.FixtureRequest, role: str) -> User:
    """One user of the shared cast; the audit records of the cast's own role assignments
    are dropped so that only the five changes above remain."""
    user: User = request.getfixturevalue(role)
    AuditEvent.objects.filter(action="accounts.set_role").delete()
    return user


def _ids(user: User | AnonymousUser | None) -> set[str]:
    return set(get_audit_events_for_user(user).values_list("object_id", flat=True))


def test_it_records_who_changed_what(events: None, admin: User) -> None:
    event = AuditEvent.objects.get(object_id="t-150122")
    assert event.actor == admin
    assert event.actor_label == "ana.admin"
    assert (event.action, event.object_type) == ("test.territory", "territory")
    assert (event.before, event.after) == ({"n": 1}, {"n": 2})
    assert event.institution_id is None
    minsa = AuditEvent.objects.get(object_id="i-MINSA")
    assert minsa.institution.acronym == "MINSA"  # type: ignore[union-attr]
    assert minsa.territory_ubigeo == ""


def test_it_records_an_anonymous_actor_without_a_user(db: None) -> None:
    event = record_change(AnonymousUser(), "test.public", "x", "Sin sesión", object_type="t")
    assert event.actor is None
    assert event.actor_label == "anónimo"
    assert event.object_id == "x"


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_it_shows_each_role_its_part_of_the_log(
    events: None, role: str, request: pytest.FixtureRequest
) -> None:
    assert _ids(_cast(request, role)) == EXPECTED[role]


def test_it_refuses_the_log_to_the_public(events: None) -> None:
    with pytest.raises(AccessDenied):
        get_audit_events_for_user(AnonymousUser())
    with pytest.raises(AccessDenied):
        get_audit_events_for_user(None)


def test_it_keeps_the_cast_role_assignments_in_scope(
    secretary: User, focal_point: User, admin: User
) -> None:
    """Creating an account is audited, about the territory or institution it answers for."""
    assert set(get_audit_events_for_user(secretary).values_list("action", "object_id")) == {
        ("accounts.set_role", str(secretary.pk))
    }
    assert set(get_audit_events_for_user(focal_point).values_list("action", "object_id")) == {
        ("accounts.set_role", str(focal_point.pk))
    }
    assert get_audit_events_for_user(admin).filter(action="accounts.set_role").count() == 3


@pytest.mark.django_db
def test_it_sends_the_anonymous_to_log_in_from_the_page(client: Client) -> None:
    response = client.get("/auditoria/")
    assert response.status_code == 302
    assert response["Location"] == "/cuentas/ingresar/?next=/auditoria/"


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_it_lists_each_role_its_part_on_the_page(
    client: Client, events: None, role: str, request: pytest.FixtureRequest
) -> None:
    response = login(client, _cast(request, role)).get("/auditoria/")
    assert response.status_code == 200
    html = response.content.decode()
    shown = {object_id for object_id in ALL if f"Cambio en {object_id[2:]}" in html}
    assert shown == EXPECTED[role]
    assert html.count("<code>test.") == len(EXPECTED[role])


@pytest.mark.django_db
def test_it_asks_the_anonymous_to_log_in_to_the_api(client: Client) -> None:
    assert client.get("/api/v1/audit/events").status_code == 401


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_it_returns_each_role_its_part_through_the_api(
    client: Client, events: None, role: str, request: pytest.FixtureRequest
) -> None:
    response = login(client, _cast(request, role)).get("/api/v1/audit/events")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(EXPECTED[role])
    assert {item["object_id"] for item in body["items"]} == EXPECTED[role]


def test_it_returns_the_newest_change_first(
    client: Client, events: None, request: pytest.FixtureRequest
) -> None:
    analyst = _cast(request, "analyst")
    items = login(client, analyst).get("/api/v1/audit/events").json()["items"]
    assert [item["object_id"] for item in items] == [
        "i-MINSA",
        "i-PNP",
        "t-070101",
        "t-150101",
        "t-150122",
    ]
    assert items[-1]["before"] == {"n": 1}
    assert items[-1]["territory_ubigeo"] == "150122"
