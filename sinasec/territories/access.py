"""The one access check for territories, used by every view, endpoint and command.

Territories, their population and boundaries are public reference data: anyone reads
them. Only national administrators change them (imports of population and boundaries).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.core.errors import AccessDenied
from sinasec.territories.models import Region, Territory


def get_territory_for_user(user: AnyUser | None, ubigeo: str, *, write: bool = False) -> Territory:
    territory = Territory.objects.select_related("parent", "region").filter(ubigeo=ubigeo).first()
    if territory is None:
        raise Http404(_("There is no territory with ubigeo %s.") % ubigeo)
    if write:
        check_territories_write(user)
    return territory


def get_region_for_user(user: AnyUser | None, code: str, *, write: bool = False) -> Region:
    region = Region.objects.select_related("department").filter(code=code).first()
    if region is None:
        raise Http404(_("There is no region with code %s.") % code)
    if write:
        check_territories_write(user)
    return region


def can_import_territories(user: AnyUser | None) -> bool:
    """Reference data for the whole country: national administrators only."""
    return scope_for(user).is_admin


def check_territories_write(user: AnyUser | None) -> None:
    if not can_import_territories(user):
        raise AccessDenied(
            _("Only a national administrator can change territories, population or boundaries.")
        )
