"""The access checks of Barrio Seguro, decided in one place.

- Targeting runs: national administrators and national analysts (they rank every
  district of the country).
- Barrios: national roles read all; a committee secretary reads the barrios of their
  territory; focal points read all (they report their sector's deliveries to any barrio).
  Only national administrators (the Barrio Seguro team) edit a barrio.
- Deliveries: the focal point of the committed sector (or a national administrator).
- Technical tables: the secretary whose territory covers the barrio's district (or a
  national administrator); they meet inside the district committee.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.barrios.models import Barrio, Commitment, TargetingRun
from sinasec.core.errors import AccessDenied


def check_targeting_access(user: AnyUser | None) -> None:
    if not scope_for(user).is_national:
        raise AccessDenied(
            _("Targeting runs are for national administrators and national analysts.")
        )


def get_targeting_runs_for_user(user: AnyUser | None) -> QuerySet[TargetingRun]:
    check_targeting_access(user)
    return TargetingRun.objects.select_related("created_by").defer("data_snapshot", "results")


def get_targeting_run_for_user(user: AnyUser | None, run_id: int) -> TargetingRun:
    check_targeting_access(user)
    run = TargetingRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None:
        raise Http404(_("There is no targeting run %s.") % run_id)
    return run


def _secretary_covers(scope: Scope, barrio: Barrio) -> bool:
    if scope.role != Role.COMMITTEE_SECRETARY:
        return False
    if barrio.district_id:
        return scope.covers_territory(barrio.district_id)
    # A barrio the source places only in a region (the 2018 document's counts): the
    # regional secretary of that region reads it; no district secretary can know it is theirs.
    return bool(scope.region) and barrio.region_id == scope.region


def can_read_barrio(scope: Scope, barrio: Barrio) -> bool:
    return scope.is_national or scope.role == Role.FOCAL_POINT or _secretary_covers(scope, barrio)


def can_record_table(scope: Scope, barrio: Barrio) -> bool:
    """Record a technical table session of the barrio, or mark one of its agreements done."""
    if scope.is_admin:
        return True
    return (
        scope.role == Role.COMMITTEE_SECRETARY
        and bool(barrio.district_id)
        and scope.covers_territory(barrio.district_id or "")
    )


def can_report_delivery(scope: Scope, commitment: Commitment) -> bool:
    """The committed sector's focal point, or a national administrator."""
    return scope.can_write_institution(commitment.sector_id)


def get_barrios_for_user(user: AnyUser | None) -> QuerySet[Barrio]:
    scope = scope_for(user)
    barrios = Barrio.objects.select_related("district", "region")
    if scope.is_national or scope.role == Role.FOCAL_POINT:
        return barrios
    if scope.role == Role.COMMITTEE_SECRETARY:
        visible = scope.territory_q("district__ubigeo")
        if scope.region:
            visible |= Q(district__isnull=True, region_id=scope.region)
        return barrios.filter(visible)
    raise AccessDenied(
        _("The barrio registry is for national staff, committee secretaries and focal points.")
    )


def get_barrio_for_user(user: AnyUser | None, barrio_id: int, write: bool = False) -> Barrio:
    barrio = Barrio.objects.select_related("district", "region").filter(pk=barrio_id).first()
    if barrio is None:
        raise Http404(_("There is no barrio %s.") % barrio_id)
    scope = scope_for(user)
    if write and not scope.is_admin:
        raise AccessDenied(
            _("Only the Barrio Seguro team (national administrators) edits a barrio.")
        )
    if not can_read_barrio(scope, barrio):
        raise AccessDenied(_("You do not have access to this barrio."))
    return barrio


def check_table_access(user: AnyUser | None, barrio: Barrio) -> None:
    if not can_record_table(scope_for(user), barrio):
        raise AccessDenied(
            _("Only the district committee's secretary records its technical table.")
        )


def check_delivery_access(user: AnyUser | None, commitment: Commitment) -> None:
    if not can_report_delivery(scope_for(user), commitment):
        raise AccessDenied(_("Only the sector's focal point reports its deliveries."))
