"""Every write to the catalogue: which institutions provide which service.

A ``Provision`` is the catalogue's record; an institution declares (or withdraws) the
services it provides through its own page, which calls these services.
"""

from __future__ import annotations

from typing import Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.catalog.access import can_declare_provision, get_service_for_user
from sinasec.catalog.models import Origin, Provision
from sinasec.core.errors import AccessDenied


class Provider(Protocol):
    """What the catalogue needs of an institution (it does not import that app)."""

    pk: int
    acronym: str


def _check_provider(actor: AnyUser, provider: Provider) -> None:
    if not can_declare_provision(actor, provider.pk):
        raise AccessDenied(
            _("Only a national administrator or a focal point of %(acronym)s can change it.")
            % {"acronym": provider.acronym}
        )


def _record(provider: Provider, number: int, note: str) -> dict[str, object]:
    return {"service": number, "institution": provider.acronym, "note": note}


def declare_provision(actor: AnyUser, provider: Provider, number: int, note: str = "") -> Provision:
    """The institution states that it provides a service. What the 2010 plan already
    names stays as it is; declaring twice records nothing more."""
    _check_provider(actor, provider)
    service = get_service_for_user(actor, number)
    with transaction.atomic():
        provision, created = Provision.objects.get_or_create(
            service=service,
            institution_id=provider.pk,
            defaults={"origin": Origin.DECLARED, "note": note},
        )
        if created:
            record_change(
                actor,
                "institutions.declare_service",
                provision,
                _("%(acronym)s declares it provides service %(number)d")
                % {"acronym": provider.acronym, "number": number},
                after=_record(provider, number, note),
                institution_id=provider.pk,
            )
    return provision


def withdraw_provision(actor: AnyUser, provider: Provider, number: int) -> bool:
    """Withdraw a declaration. What the 2010 plan says stays: it is a historical source."""
    _check_provider(actor, provider)
    service = get_service_for_user(actor, number)
    with transaction.atomic():
        provision = Provision.objects.filter(
            service=service, institution_id=provider.pk, origin=Origin.DECLARED
        ).first()
        if provision is None:
            return False
        record_change(
            actor,
            "institutions.withdraw_service",
            provision,
            _("%(acronym)s no longer declares service %(number)d")
            % {"acronym": provider.acronym, "number": number},
            before=_record(provider, number, provision.note),
            institution_id=provider.pk,
        )
        provision.delete()
    return True
