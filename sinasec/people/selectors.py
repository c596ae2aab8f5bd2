"""Reads of accounts: the administration list and the access review (who can read and
write what), always through the access getter so a regional administrator sees their
region only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sinasec.accounts.models import Profile, Role
from sinasec.accounts.scope import AnyUser
from sinasec.core.exports import YES_NO, Column
from sinasec.people.access import get_managed_accounts_for_user
from sinasec.people.filters import AccountFilter


def accounts_for(user: AnyUser | None, filters: AccountFilter) -> QuerySet[User]:
    """The accounts ``user`` manages that match ``filters``, by username."""
    accounts = get_managed_accounts_for_user(user)
    return (
        filters.filter(accounts)
        .select_related("profile__territory", "profile__region", "profile__institution")
        .order_by("username")
    )


@dataclass(frozen=True)
class AccountRow:
    username: str
    name: str
    email: str
    role: str  # code
    role_label: str
    scope: str  # the territory, region or institution, by name
    place: str  # its ubigeo, region code or acronym
    active: bool
    activated: bool
    last_login: datetime | None
    can_read: str
    can_write: str


def _profile(user: User) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def describe_access(profile: Profile | None) -> tuple[str, str]:
    """What an account can read and write, in a sentence each, from its role and scope
    (the rules are in each app's ``access.py``; this is their summary for people)."""
    if profile is None:
        return _("Public pages only"), _("Nothing")
    where = _scope_name(profile)
    texts = {
        Role.NATIONAL_ADMIN: (
            _("Everything, including the audit log"),
            _("Everything: registry, plans, observatory data, Barrio Seguro, every account"),
        ),
        Role.REGIONAL_ADMIN: (
            _("The accounts of committee secretaries in %s") % where,
            _("Those accounts: create, edit, deactivate, invite (committee secretaries only)"),
        ),
        Role.NATIONAL_ANALYST: (
            _("Everything, including the audit log"),
            _("Barrio Seguro targeting runs; no registry, plan or account"),
        ),
        Role.BARRIO_TEAM: (
            _("Everything, including the audit log"),
            _("Barrio Seguro: barrios, targeting runs, commitments, deliveries, tables"),
        ),
        Role.OBSERVATORY_ANALYST: (
            _("Everything, including the audit log"),
            _("The observatory's crime data: imports of figures and incidents"),
        ),
        Role.COMMITTEE_SECRETARY: (
            _("Committees, plans and audit log of %s") % where,
            _("The events, plans and monthly reports of the committees of %s") % where,
        ),
        Role.FOCAL_POINT: (
            _("Activities, reports and audit log of %s") % where,
            _("%s's contact details, services and monthly reports of its activities") % where,
        ),
    }
    return texts.get(Role(profile.role), (_("Public pages only"), _("Nothing")))


def _scope_name(profile: Profile) -> str:
    if profile.region is not None:
        return f"{profile.region.name} ({profile.region_id})"
    if profile.territory is not None:
        return f"{profile.territory.name} ({profile.territory_id})"
    if profile.institution is not None:
        return profile.institution.acronym
    return _("all of Peru")


def _place(profile: Profile | None) -> str:
    if profile is None:
        return ""
    if profile.institution is not None:
        return profile.institution.acronym
    return profile.region_id or profile.territory_id or ""


def account_row(user: User) -> AccountRow:
    profile = _profile(user)
    can_read, can_write = describe_access(profile)
    role = Role(profile.role) if profile else None
    return AccountRow(
        username=user.username,
        name=user.get_full_name(),
        email=user.email,
        role=role.value if role else "",
        role_label=str(role.label) if role else _("no role"),
        scope=_scope_name(profile) if profile else "",
        place=_place(profile),
        active=user.is_active,
        activated=user.has_usable_password(),
        last_login=user.last_login,
        can_read=can_read,
        can_write=can_write,
    )


# The access review's columns: words and headers for the reviewer, machine names and
# codes with ?columnas=codigos.
REVIEW_COLUMNS = (
    Column("username", gettext_lazy("user")),
    Column("name", gettext_lazy("name")),
    Column("email", gettext_lazy("email")),
    Column("role", gettext_lazy("role"), dict(Role.choices)),
    Column("scope", gettext_lazy("scope")),
    Column("place", gettext_lazy("code")),
    Column("active", pgettext_lazy("account", "active"), YES_NO),
    Column("activated", gettext_lazy("activated"), YES_NO),
    Column("last_login", gettext_lazy("last sign-in")),
    Column("can_read", gettext_lazy("can read")),
    Column("can_write", gettext_lazy("can write")),
)


def review_rows(user: AnyUser | None, filters: AccountFilter) -> list[list[object]]:
    """The access review as a table (``REVIEW_COLUMNS``, codes as stored), for the
    CSV/XLSX export."""
    rows: list[list[object]] = []
    for account in accounts_for(user, filters).iterator(chunk_size=500):
        row = account_row(account)
        rows.append(
            [
                row.username,
                row.name,
                row.email,
                row.role,
                row.scope,
                row.place,
                row.active,
                row.activated,
                localtime(row.last_login).strftime("%Y-%m-%d %H:%M") if row.last_login else "",
                row.can_read,
                row.can_write,
            ]
        )
    return rows


def not_activated_count(user: AnyUser | None) -> int:
    """Active accounts this administrator manages whose invitation was never used."""
    return accounts_for(user, AccountFilter(active=True, activated=False)).count()
