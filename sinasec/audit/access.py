"""The one access check for the audit log.

National administrators and analysts read all of it; a committee secretary reads the
changes about their territory; a focal point those about their institution; a regional
administrator those filed in their region (the accounts they manage); the public none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.audit.models import AuditEvent
from sinasec.core.errors import AccessDenied


def get_audit_events_for_user(user: AnyUser | None) -> QuerySet[AuditEvent]:
    scope = scope_for(user)
    events = AuditEvent.objects.select_related("institution")
    if scope.is_national:
        return events
    if scope.role == Role.COMMITTEE_SECRETARY:
        return events.filter(scope.territory_q("territory_ubigeo") & ~Q(territory_ubigeo=""))
    if scope.role == Role.FOCAL_POINT:
        return events.filter(institution_id=scope.institution_id or 0)
    if scope.administered_region:  # the changes filed in their region (its accounts')
        inside = Scope(role=Role.COMMITTEE_SECRETARY, region=scope.administered_region)
        return events.filter(
            (inside.territory_q("territory_ubigeo") & ~Q(territory_ubigeo=""))
            | Q(territory_ubigeo=scope.administered_region)
        )
    raise AccessDenied(_("The audit log is only for registered users."))
