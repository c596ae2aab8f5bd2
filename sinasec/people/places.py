"""What an account's role and scope are, read from what people type: a role by its code
or its name in Spanish or English, a ubigeo or region code, an institution's acronym or
name. One reader serves the form, the API, the command line and the import; the import
loads the reference once for its 2,000 rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from sinasec.accounts.models import Role
from sinasec.core.text import compact_key
from sinasec.institutions.models import Institution
from sinasec.territories.models import Region, Territory

# Short names people write in a spreadsheet, besides the codes and the labels.
ROLE_WORDS = {
    Role.COMMITTEE_SECRETARY: (
        "secretario",
        "secretaria",
        "secretario tecnico",
        "secretaria tecnica",
    ),
    Role.FOCAL_POINT: ("enlace", "punto focal", "punto focal institucional"),
    Role.BARRIO_TEAM: ("barrio seguro", "equipo barrio seguro", "equipo de barrio seguro"),
    Role.OBSERVATORY_ANALYST: ("analista observatorio", "analista del observatorio"),
}


@dataclass(frozen=True)
class AccountScope:
    role: Role
    territory: str | None = None
    region: str | None = None
    institution_id: int | None = None

    @property
    def place(self) -> str:
        """The ubigeo or region code, as typed in a form or a file."""
        return self.region or self.territory or ""


class Places:
    """The roles, territories, regions and institutions, as keys to look up."""

    def __init__(self) -> None:
        self.roles: dict[str, Role] = {}
        for role in Role:
            names = [role.value, str(role.label), *ROLE_WORDS.get(role, ())]
            with override("es-pe"):
                names.append(str(role.label))
            for name in names:
                self.roles[compact_key(name)] = role
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.territories = set(Territory.objects.values_list("ubigeo", flat=True))
        self.institutions: dict[str, int] = {}
        rows = list(Institution.objects.values_list("pk", "acronym", "name"))
        for pk, _acronym, name in rows:
            self.institutions.setdefault(compact_key(name), pk)
        for pk, acronym, _name in rows:
            self.institutions[compact_key(acronym)] = pk  # an acronym wins over a name

    def role(self, text: str) -> Role | None:
        return self.roles.get(compact_key(text)) if text.strip() else None

    def resolve(
        self, role: Role, place: str, institution: str
    ) -> tuple[AccountScope | None, list[tuple[str, str]]]:
        """The scope of an account with ``role``, or the problems as
        ``(field, reason)`` with field ``ubigeo`` or ``institution``."""
        place, institution = place.strip(), institution.strip()
        if role == Role.FOCAL_POINT:
            if not institution:
                return None, [("institution", _("a focal point needs an institution"))]
            pk = self.institutions.get(compact_key(institution))
            if pk is None:
                reason = _("unknown institution “%(value)s” (write its acronym, e.g. PNP)")
                return None, [("institution", reason % {"value": institution[:40]})]
            return AccountScope(role, institution_id=pk), []
        if role not in (Role.COMMITTEE_SECRETARY, Role.REGIONAL_ADMIN):
            return AccountScope(role), []
        if not place:
            return None, [("ubigeo", _("this role needs a ubigeo or a region code"))]
        if place in self.regions:
            return AccountScope(role, region=place), []
        if role == Role.REGIONAL_ADMIN:
            reason = _("“%(value)s” is not a region code (e.g. 07 Callao, 1501 Lima Metropolitana)")
            return None, [("ubigeo", reason % {"value": place[:20]})]
        if place not in self.territories:
            return None, [("ubigeo", _("unknown ubigeo “%(value)s”") % {"value": place[:20]})]
        return AccountScope(role, territory=place), []
