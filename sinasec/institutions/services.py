"""Every write to institutions: contact details, and (through the catalogue, which owns
the record) the services an institution declares it provides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.catalog import services as catalog_services
from sinasec.catalog.models import Provision
from sinasec.core.concurrency import stale_edit
from sinasec.institutions.access import get_institution_for_user
from sinasec.institutions.models import Institution

CONTACT_FIELDS = ("website", "email", "phone", "description")


def update_institution_contact(
    actor: AnyUser, acronym: str, expected_version: int, **values: str
) -> Institution:
    """Change an institution's contact details.

    ``expected_version`` is the version the user's form was built from: if somebody
    saved in between, the edit is refused with ``EditConflict`` instead of silently
    overwriting their change.
    """
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    institution = get_institution_for_user(actor, acronym, write=True)
    values = _clean_contact(institution, values)
    with transaction.atomic():
        before = {f: getattr(institution, f) for f in values}
        updated = Institution.objects.filter(pk=institution.pk, version=expected_version).update(
            version=expected_version + 1, **values
        )
        if not updated:
            current = Institution.objects.filter(pk=institution.pk).values_list("version")
            what = _("the contact details of %s") % institution.acronym
            raise stale_edit(what, expected_version, current.get()[0])
        institution.refresh_from_db()
        record_change(
            actor,
            "institutions.update_contact",
            institution,
            _("Contact details of %s updated") % institution.acronym,
            before=before,
            after={f: getattr(institution, f) for f in values},
            institution_id=institution.pk,
        )
    return institution


def _clean_contact(institution: Institution, values: dict[str, str]) -> dict[str, str]:
    """Validate with the model's own field rules (e-mail, URL, length): ``update()``
    below skips model validation, and the API hands us raw strings."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        try:
            cleaned[name] = Institution._meta.get_field(name).clean(value, institution)  # type: ignore[union-attr]
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def declare_service(actor: AnyUser, acronym: str, service_number: int, note: str = "") -> Provision:
    """The institution states that it provides a service of the catalogue (written by
    the catalogue, which owns the record)."""
    institution = get_institution_for_user(actor, acronym, write=True)
    return catalog_services.declare_provision(actor, institution, service_number, note)


def withdraw_service(actor: AnyUser, acronym: str, service_number: int) -> bool:
    """Withdraw a declaration; what the 2010 plan says stays."""
    institution = get_institution_for_user(actor, acronym, write=True)
    return catalog_services.withdraw_provision(actor, institution, service_number)
