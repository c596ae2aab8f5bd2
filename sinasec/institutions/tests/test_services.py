"""Writes to institutions: contact details and declared services, with their access rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.audit.models import AuditEvent
from sinasec.catalog.models import Origin, Provision
from sinasec.core.errors import AccessDenied, EditConflict
from sinasec.institutions.models import Institution
from sinasec.institutions.services import (
    declare_service,
    update_institution_contact,
    withdraw_service,
)

CONTACT = {"email": "mesa@pnp.gob.pe", "phone": "01 518 4000"}


def _contact(acronym: str) -> dict[str, object]:
    return dict(
        Institution.objects.filter(acronym=acronym).values(
            "website", "email", "phone", "description", "version"
        )[0]
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_it_lets_a_focal_point_update_their_institution(focal_point: User) -> None:
    updated = update_institution_contact(focal_point, "PNP", 1, **CONTACT)
    assert updated.acronym == "PNP"
    assert _contact("PNP") == {
        "website": "",
        "email": "mesa@pnp.gob.pe",
        "phone": "01 518 4000",
        "description": "",
        "version": 2,
    }
    [event] = _events("institutions.update_contact")
    assert event.actor == focal_point
    assert event.actor_label == "pablo.pnp"
    assert event.institution_id == updated.pk
    assert event.object_id == str(updated.pk)
    assert event.before == {"email": "", "phone": ""}
    assert event.after == CONTACT


def test_it_bumps_the_version_on_each_save(focal_point: User) -> None:
    update_institution_contact(focal_point, "PNP", 1, phone="111")
    update_institution_contact(focal_point, "pnp", 2, phone="222")
    assert _contact("PNP")["version"] == 3
    assert _contact("PNP")["phone"] == "222"
    events = _events("institutions.update_contact")
    assert [e.after for e in events] == [{"phone": "222"}, {"phone": "111"}]
    assert events[0].before == {"phone": "111"}


def test_it_refuses_a_focal_point_editing_another_institution(
    focal_point: User,
) -> None:
    before = _contact("MINSA")
    with pytest.raises(AccessDenied):
        update_institution_contact(focal_point, "MINSA", 1, **CONTACT)
    assert _contact("MINSA") == before
    assert _events("institutions.update_contact") == []


@pytest.mark.parametrize("role", ["analyst", "secretary", "regional_secretary"])
def test_it_refuses_readers_editing_contacts(role: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(role)
    with pytest.raises(AccessDenied):
        update_institution_contact(user, "PNP", 1, **CONTACT)
    assert _contact("PNP")["version"] == 1
    assert _contact("PNP")["email"] == ""
    assert _events("institutions.update_contact") == []


def test_it_lets_the_admin_edit_any_institution(admin: User) -> None:
    update_institution_contact(admin, "MINSA", 1, website="https://www.gob.pe/minsa")
    update_institution_contact(admin, "PNP", 1, description="Policía")
    assert _contact("MINSA")["website"] == "https://www.gob.pe/minsa"
    assert _contact("PNP")["description"] == "Policía"
    events = _events("institutions.update_contact")
    assert {e.institution.acronym for e in events} == {"MINSA", "PNP"}  # type: ignore[union-attr]
    assert {e.actor_label for e in events} == {"ana.admin"}


def test_it_refuses_a_stale_version(focal_point: User, admin: User) -> None:
    update_institution_contact(admin, "PNP", 1, phone="from the admin")
    with pytest.raises(EditConflict):
        update_institution_contact(focal_point, "PNP", 1, phone="from the focal point")
    assert _contact("PNP")["phone"] == "from the admin"
    assert _contact("PNP")["version"] == 2
    assert len(_events("institutions.update_contact")) == 1


def test_it_refuses_fields_that_are_not_contact_details(admin: User) -> None:
    with pytest.raises(ValueError, match="name"):
        update_institution_contact(admin, "PNP", 1, name="Otra")
    assert Institution.objects.get(acronym="PNP").name == "Policía Nacional del Perú"


def test_it_declares_and_withdraws_a_service(focal_point: User) -> None:
    provision = declare_service(focal_point, "PNP", 15, note="Comisarías a nivel nacional")
    assert provision.origin == Origin.DECLARED
    assert provision.institution.acronym == "PNP"
    assert provision.service.number == 15
    [declared] = _events("institutions.declare_service")
    assert declared.after == {
        "service": 15,
        "institution": "PNP",
        "note": "Comisarías a nivel nacional",
    }
    assert declared.institution_id == provision.institution_id

    # Declaring twice changes nothing and records nothing more.
    assert declare_service(focal_point, "PNP", 15).pk == provision.pk
    assert len(_events("institutions.declare_service")) == 1

    assert withdraw_service(focal_point, "PNP", 15) is True
    assert not Provision.objects.filter(service__number=15, institution__acronym="PNP").exists()
    [withdrawn] = _events("institutions.withdraw_service")
    assert withdrawn.before == {
        "service": 15,
        "institution": "PNP",
        "note": "Comisarías a nivel nacional",
    }
    assert withdrawn.actor == focal_point
    assert withdraw_service(focal_point, "PNP", 15) is False


def test_it_refuses_declaring_for_another_institution(
    focal_point: User, other_focal_point: User
) -> None:
    with pytest.raises(AccessDenied):
        declare_service(focal_point, "MINSA", 12)
    assert not Provision.objects.filter(institution__acronym="MINSA", service__number=12).exists()
    declare_service(other_focal_point, "MINSA", 12)
    with pytest.raises(AccessDenied):
        withdraw_service(focal_point, "MINSA", 12)
    assert Provision.objects.filter(institution__acronym="MINSA", service__number=12).exists()
    assert len(_events("institutions.declare_service")) == 1
    assert _events("institutions.withdraw_service") == []


def test_it_keeps_what_the_2010_plan_says(focal_point: User) -> None:
    planned = Provision.objects.get(service__number=1, institution__acronym="PNP")
    assert planned.origin == Origin.PLAN_2010
    assert withdraw_service(focal_point, "PNP", 1) is False
    assert Provision.objects.filter(pk=planned.pk, origin=Origin.PLAN_2010).exists()
    assert _events("institutions.withdraw_service") == []
    # Declaring a planned service does not turn it into a declaration.
    assert declare_service(focal_point, "PNP", 1).origin == Origin.PLAN_2010
    assert _events("institutions.declare_service") == []
