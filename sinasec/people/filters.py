"""The account list's filter: one definition serves the administration page, the access
review and the API list."""

from __future__ import annotations

from django.db.models import Q
from ninja import FilterSchema

from sinasec.accounts.models import Role
from sinasec.accounts.scope import Scope
from sinasec.core.commands import SYSTEM_USERNAME

# Django's mark of an unusable password; the system account (the author of migrations and
# command-line writes) never signs in, so it is not a person waiting for an invitation.
NOT_ACTIVATED = Q(password__startswith="!") & ~Q(username=SYSTEM_USERNAME)


class AccountFilter(FilterSchema):
    q: str | None = None  # username, name or e-mail contains
    role: Role | None = None
    region: str | None = None  # a region code: accounts scoped inside it
    active: bool | None = None
    activated: bool | None = None  # False: invited, password never set

    def custom_expression(self) -> Q:
        where = Q()
        if self.q:
            text = self.q.strip()
            where &= (
                Q(username__icontains=text)
                | Q(email__icontains=text)
                | Q(first_name__icontains=text)
                | Q(last_name__icontains=text)
            )
        if self.role:
            where &= Q(profile__role=self.role)
        if self.region:
            inside = Scope(role=Role.COMMITTEE_SECRETARY, region=self.region)
            where &= Q(profile__region_id=self.region) | (
                Q(profile__territory__isnull=False)
                & inside.territory_q("profile__territory__ubigeo")
            )
        if self.active is not None:
            where &= Q(is_active=self.active)
        if self.activated is not None:
            where &= ~NOT_ACTIVATED if self.activated else NOT_ACTIVATED
        return where
