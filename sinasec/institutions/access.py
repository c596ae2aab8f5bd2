"""The one access check for institutions: everyone reads the catalogue; a national
administrator edits any institution, a focal point only their own."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.core.errors import AccessDenied
from sinasec.institutions.models import Institution


def can_edit_institution(user: AnyUser | None, institution: Institution) -> bool:
    """National administrators, and the focal points of that institution."""
    return scope_for(user).can_write_institution(institution.pk)


def get_institution_for_user(
    user: AnyUser | None, acronym: str, *, write: bool = False
) -> Institution:
    institution = (
        Institution.objects.select_related("parent", "successor")
        .filter(acronym__iexact=acronym)
        .first()
    )
    if institution is None:
        raise Http404(_("There is no institution with acronym %s.") % acronym)
    if write and not can_edit_institution(user, institution):
        raise AccessDenied(
            _("Only a national administrator or a focal point of %(acronym)s can change it.")
            % {"acronym": institution.acronym}
        )
    return institution
