"""Every write to institutions: the reference list, contact details, declared services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.catalog.access import get_service_for_user
from sinasec.catalog.models import Origin, Provision
from sinasec.core.errors import EditConflict
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
            raise EditConflict(
                _(
                    "%(acronym)s was changed by someone else while you were editing. Reload the page and try again."
                )
                % {"acronym": institution.acronym}
            )
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
    """The institution states that it provides a service of the catalogue."""
    institution = get_institution_for_user(actor, acronym, write=True)
    service = get_service_for_user(actor, service_number)
    with transaction.atomic():
        provision, created = Provision.objects.get_or_create(
            service=service,
            institution=institution,
            defaults={"origin": Origin.DECLARED, "note": note},
        )
        if created:
            record_change(
                actor,
                "institutions.declare_service",
                provision,
                _("%(acronym)s declares it provides service %(number)d")
                % {
                    "acronym": institution.acronym,
                    "number": service.number,
                },
                after={"service": service.number, "institution": institution.acronym, "note": note},
                institution_id=institution.pk,
            )
    return provision


def withdraw_service(actor: AnyUser, acronym: str, service_number: int) -> bool:
    """Withdraw a declaration. What the 2010 plan says stays: it is a historical source."""
    institution = get_institution_for_user(actor, acronym, write=True)
    service = get_service_for_user(actor, service_number)
    with transaction.atomic():
        provision = Provision.objects.filter(
            service=service, institution=institution, origin=Origin.DECLARED
        ).first()
        if provision is None:
            return False
        record_change(
            actor,
            "institutions.withdraw_service",
            provision,
            _("%(acronym)s no longer declares service %(number)d")
            % {
                "acronym": institution.acronym,
                "number": service.number,
            },
            before={
                "service": service.number,
                "institution": institution.acronym,
                "note": provision.note,
            },
            institution_id=institution.pk,
        )
        provision.delete()
    return True
