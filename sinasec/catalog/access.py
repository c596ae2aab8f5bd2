"""The one access check for the services catalogue: public to read; the catalogue
itself is kept by national administrators; an institution's national administrators and
focal points declare the services it provides (a ``Provision``)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.catalog.models import Service
from sinasec.core.errors import AccessDenied


def can_edit_catalogue(user: AnyUser | None) -> bool:
    return scope_for(user).is_admin


def can_declare_provision(user: AnyUser | None, institution_id: int) -> bool:
    """Who speaks for an institution: national administrators and its focal points."""
    return scope_for(user).can_write_institution(institution_id)


def get_service_for_user(user: AnyUser | None, number: int, *, write: bool = False) -> Service:
    service = Service.objects.select_related("type").filter(number=number).first()
    if service is None:
        raise Http404(_("There is no service number %s.") % number)
    if write and not can_edit_catalogue(user):
        raise AccessDenied(_("Only a national administrator can change the services catalogue."))
    return service
