"""What a user may read and write, decided in one place.

Every permission-checked getter (``get_<thing>_for_user``) asks a ``Scope``; no view,
endpoint or command inspects roles itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from sinasec.accounts.models import Profile, Role
from sinasec.core.hotsql import fetch_one
from sinasec.core.peru import LIMA_DEPARTMENT, LIMA_METROPOLITANA, region_code_for

AnyUser = User | AnonymousUser

# The roles that read every national record (and the audit log).
NATIONAL_ROLES = (
    Role.NATIONAL_ADMIN,
    Role.NATIONAL_ANALYST,
    Role.BARRIO_TEAM,
    Role.OBSERVATORY_ANALYST,
)


@dataclass(frozen=True)
class Scope:
    role: str | None  # None: the anonymous public, or an account without a role
    territory: str | None = None  # ubigeo of a committee secretary's territory
    region: str | None = None  # code of a regional committee secretary's region
    institution_id: int | None = None  # a focal point's institution

    @property
    def is_public(self) -> bool:
        return self.role is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.NATIONAL_ADMIN

    @property
    def administered_region(self) -> str | None:
        """The region whose committee secretaries a regional administrator manages."""
        return self.region if self.role == Role.REGIONAL_ADMIN else None

    @property
    def reads_records(self) -> bool:
        """Reads restricted records (committees' events, barrios...): every role but a
        regional administrator, who manages accounts only."""
        return not self.is_public and self.role != Role.REGIONAL_ADMIN

    @property
    def manages_accounts(self) -> bool:
        """National administrators (every account), regional ones (their region's)."""
        return self.is_admin or self.administered_region is not None

    @property
    def is_national(self) -> bool:
        """Reads everything (it grants no write): national administrators, analysts,
        the Barrio Seguro team and observatory analysts."""
        return self.role in NATIONAL_ROLES

    @property
    def runs_barrio_seguro(self) -> bool:
        """Writes in Barrio Seguro what a national administrator may: national
        administrators and the Barrio Seguro team."""
        return self.is_admin or self.role == Role.BARRIO_TEAM

    @property
    def imports_crime_data(self) -> bool:
        """Imports or replaces the observatory's figures and incidents: national
        administrators and observatory analysts."""
        return self.is_admin or self.role == Role.OBSERVATORY_ANALYST

    def covers_territory(self, ubigeo: str) -> bool:
        if self.is_national:
            return True
        if self.role != Role.COMMITTEE_SECRETARY:
            return False
        if self.territory:
            return ubigeo.startswith(self.territory)
        return region_code_for(ubigeo) == self.region

    def covers_institution(self, institution_id: int | None) -> bool:
        if self.is_national:
            return True
        return self.role == Role.FOCAL_POINT and institution_id == self.institution_id

    def can_write_institution(self, institution_id: int) -> bool:
        """National administrators, and the focal points of that institution."""
        if self.is_admin:
            return True
        return self.role == Role.FOCAL_POINT and institution_id == self.institution_id

    def territory_q(self, field: str) -> Q:
        """A filter on a ubigeo column that keeps only rows inside this scope."""
        if self.is_national:
            return Q()
        if self.role != Role.COMMITTEE_SECRETARY:
            return Q(pk__in=[])
        if self.territory:
            return Q(**{f"{field}__startswith": self.territory})
        if self.region == LIMA_METROPOLITANA:
            return Q(**{f"{field}__startswith": LIMA_METROPOLITANA})
        if self.region == LIMA_DEPARTMENT:
            return (
                Q(**{f"{field}__startswith": LIMA_DEPARTMENT})
                & ~Q(**{f"{field}__startswith": LIMA_METROPOLITANA})
                & ~Q(**{field: LIMA_DEPARTMENT})  # the department spans two regions
            )
        return Q(**{f"{field}__startswith": self.region})


PUBLIC = Scope(role=None)


def scope_for(user: AnyUser | None) -> Scope:
    """The scope of a user, read once per request and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    cached = getattr(user, "_sinasec_scope", None)
    if cached is not None:
        return cached
    # Loaded with the user (``select_related("profile")``, as lists of recipients are):
    # no query. Otherwise one plain query (core/hotsql.py): nearly every request asks.
    # An account without a profile is public either way.
    loaded = user._state.fields_cache
    if "profile" in loaded:
        profile = loaded["profile"]
        row = profile and (
            profile.role,
            profile.territory_id,
            profile.region_id,
            profile.institution_id,
        )
    else:
        row = fetch_one(
            Profile,
            "SELECT {role}, {territory}, {region}, {institution} FROM {table} WHERE {user} = %s",
            [user.pk],
        )
    scope = (
        Scope(role=row[0], territory=row[1], region=row[2], institution_id=row[3])
        if row
        else PUBLIC
    )
    user._sinasec_scope = scope  # type: ignore[attr-defined]  # per-request cache
    return scope
