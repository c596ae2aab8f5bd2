"""The access checks of Barrio Seguro, decided in one place.

- Targeting runs: the national roles (they rank every district of the country); a
  barrio is created from a run's unit only by those who edit barrios.
- Barrios: national roles read all; a committee secretary reads the barrios of their
  territory; focal points read all (they report their sector's deliveries to any barrio).
  Only the Barrio Seguro team and national administrators edit a barrio and record
  its sector commitments.
- Deliveries: the focal point of the committed sector (or the Barrio Seguro team, or a
  national administrator).
- Technical tables: the secretary whose territory covers the barrio's district (or the
  Barrio Seguro team, or a national administrator); they meet inside the district
  committee.

Every object fetched by id goes through its getter here (``get_<thing>_for_user``):
404 when it does not exist (or is not in the barrio given), 403 outside the user's scope.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.barrios.articulation.models import table_barrio
from sinasec.barrios.models import (
    Agreement,
    Barrio,
    Commitment,
    Delivery,
    TableSession,
    TargetingRun,
)
from sinasec.core.errors import AccessDenied

M = TypeVar("M", bound=Model)


def _one(found: QuerySet[M], pk: int, missing: str) -> M:
    """The row ``pk`` of ``found``, or a 404 saying ``missing``."""
    item = found.filter(pk=pk).first()
    if item is None:
        raise Http404(missing)
    return item


# --------------------------------------------------------------------------------------
# Impact evaluation (staggered DiD over the barrios, or over an uploaded panel)
# --------------------------------------------------------------------------------------


def can_evaluate(user: AnyUser | None) -> bool:
    """Run the staggered DiD over every barrio or over an uploaded panel: the national
    roles (analysts, the Barrio Seguro team, administrators), who read every barrio."""
    return scope_for(user).is_national


def check_evaluation_access(user: AnyUser | None) -> None:
    if not can_evaluate(user):
        raise AccessDenied(_("Impact evaluation is for national staff."))


# --------------------------------------------------------------------------------------
# Targeting runs
# --------------------------------------------------------------------------------------


def can_target(user: AnyUser | None) -> bool:
    """Run a targeting, read the runs and create a barrio from one of their units."""
    return scope_for(user).is_national


def check_targeting_access(user: AnyUser | None) -> None:
    if not can_target(user):
        raise AccessDenied(_("Targeting runs are for national staff."))


def can_create_barrio_from_target(user: AnyUser | None) -> bool:
    """Create a barrio from a unit of a run: who reads the runs and edits barrios (the
    other national roles read the runs only)."""
    return can_target(user) and can_edit_barrio(user)


def check_barrio_creation_access(user: AnyUser | None) -> None:
    if not can_create_barrio_from_target(user):
        raise AccessDenied(
            _("Only the Barrio Seguro team (or a national administrator) creates a barrio.")
        )


def get_targeting_runs_for_user(user: AnyUser | None) -> QuerySet[TargetingRun]:
    check_targeting_access(user)
    return TargetingRun.objects.select_related("created_by").defer("data_snapshot", "results")


def get_targeting_run_for_user(user: AnyUser | None, run_id: int) -> TargetingRun:
    check_targeting_access(user)
    found = TargetingRun.objects.select_related("created_by")
    return _one(found, run_id, _("There is no targeting run %s.") % run_id)


# --------------------------------------------------------------------------------------
# Barrios
# --------------------------------------------------------------------------------------


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


def can_edit_barrio(user: AnyUser | None) -> bool:
    """Edit a barrio (status, details, boundary) and record its sector commitments:
    the Barrio Seguro team and national administrators."""
    return scope_for(user).runs_barrio_seguro


def can_record_table(scope: Scope, barrio: Barrio) -> bool:
    """Record a technical table session of the barrio, or mark one of its agreements done."""
    if scope.runs_barrio_seguro:
        return True
    return (
        scope.role == Role.COMMITTEE_SECRETARY
        and bool(barrio.district_id)
        and scope.covers_territory(barrio.district_id or "")
    )


def can_report_delivery(scope: Scope, commitment: Commitment) -> bool:
    """The committed sector's focal point, the Barrio Seguro team or a national
    administrator."""
    return scope.runs_barrio_seguro or scope.can_write_institution(commitment.sector_id)


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


def get_comparison_barrios_for_user(user: AnyUser | None, barrio: Barrio) -> QuerySet[Barrio]:
    """The barrios a user may compare ``barrio`` with in its monitoring: the others they
    read that have a boundary (a barrio they cannot open is neither offered nor counted)."""
    return get_barrios_for_user(user).exclude(pk=barrio.pk).exclude(boundary="")


def get_barrio_for_user(user: AnyUser | None, barrio_id: int, write: bool = False) -> Barrio:
    found = Barrio.objects.select_related("district", "region")
    barrio = _one(found, barrio_id, _("There is no barrio %s.") % barrio_id)
    if write and not can_edit_barrio(user):
        raise AccessDenied(
            _("Only the Barrio Seguro team (or a national administrator) edits a barrio.")
        )
    if not can_read_barrio(scope_for(user), barrio):
        raise AccessDenied(_("You do not have access to this barrio."))
    return barrio


# --------------------------------------------------------------------------------------
# Articulation: commitments, deliveries, technical table sessions and agreements
# --------------------------------------------------------------------------------------


def check_commitment_access(user: AnyUser | None) -> None:
    if not can_edit_barrio(user):
        raise AccessDenied(
            _("Only the Barrio Seguro team (or a national administrator) records commitments.")
        )


def check_table_access(user: AnyUser | None, barrio: Barrio) -> None:
    if not can_record_table(scope_for(user), barrio):
        raise AccessDenied(
            _("Only the district committee's secretary records its technical table.")
        )


def check_delivery_access(user: AnyUser | None, commitment: Commitment) -> None:
    if not can_report_delivery(scope_for(user), commitment):
        raise AccessDenied(_("Only the sector's focal point reports its deliveries."))


def _in_barrio(barrio: Barrio | None, field: str) -> Q:
    return Q(**{field: barrio}) if barrio is not None else Q()


def get_commitments_for_user(user: AnyUser | None) -> QuerySet[Commitment]:
    """The commitments of the barrios the user reads."""
    barrios = get_barrios_for_user(user)
    return Commitment.objects.filter(barrio__in=barrios).select_related("sector", "barrio")


def get_commitment_for_user(
    user: AnyUser | None, commitment_id: int, barrio: Barrio | None = None, write: bool = False
) -> Commitment:
    """A commitment (of ``barrio`` when given); ``write``: to report a delivery of it."""
    found = Commitment.objects.select_related("sector", "barrio").filter(
        _in_barrio(barrio, "barrio")
    )
    commitment = _one(found, commitment_id, _("There is no such commitment in this barrio."))
    get_barrio_for_user(user, commitment.barrio_id)
    if write:
        check_delivery_access(user, commitment)
    return commitment


def get_deliveries_for_user(user: AnyUser | None) -> QuerySet[Delivery]:
    barrios = get_barrios_for_user(user)
    return Delivery.objects.filter(commitment__barrio__in=barrios).select_related(
        "commitment__sector", "reported_by"
    )


def get_delivery_for_user(user: AnyUser | None, delivery_id: int) -> Delivery:
    found = Delivery.objects.select_related("commitment__sector", "reported_by")
    delivery = _one(found, delivery_id, _("There is no delivery %s.") % delivery_id)
    get_barrio_for_user(user, delivery.commitment.barrio_id)
    return delivery


def get_sessions_for_user(user: AnyUser | None) -> QuerySet[TableSession]:
    barrios = get_barrios_for_user(user)
    return TableSession.objects.filter(barrio__in=barrios).select_related(
        "committee", "recorded_by"
    )


def get_session_for_user(user: AnyUser | None, session_id: int) -> TableSession:
    found = TableSession.objects.filter(barrio__isnull=False)  # a table's, not a committee's
    found = found.select_related("committee", "recorded_by")
    session = _one(found, session_id, _("There is no technical table session %s.") % session_id)
    get_barrio_for_user(user, table_barrio(session).pk)
    return session


def get_agreement_for_user(
    user: AnyUser | None, agreement_id: int, barrio: Barrio | None = None, write: bool = False
) -> Agreement:
    """An agreement (of ``barrio`` when given); ``write``: to mark it done."""
    found = Agreement.objects.select_related("session__barrio", "owner")
    found = found.filter(_in_barrio(barrio, "session__barrio"), session__barrio__isnull=False)
    agreement = _one(found, agreement_id, _("There is no such agreement in this barrio."))
    barrio_of = table_barrio(agreement.session)
    get_barrio_for_user(user, barrio_of.pk)
    if write:
        check_table_access(user, barrio_of)
    return agreement
