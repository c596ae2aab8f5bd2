"""The one access check for committees.

Reading a committee's record (members, documents): national roles, and committee
secretaries for the committees inside their territory. Writing its events: national
administrators for all; a committee secretary only for their own committee.
The compliance figures are aggregates and public.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.committees.models import Committee, CommitteeEvent, CommitteeLevel
from sinasec.core.errors import AccessDenied


def is_own_committee(scope: Scope, committee: Committee) -> bool:
    if scope.role != Role.COMMITTEE_SECRETARY:
        return False
    if committee.level == CommitteeLevel.REGIONAL:
        return scope.region == committee.region_id
    return scope.territory == committee.territory_id


def own_committee_for_user(user: AnyUser | None) -> Committee | None:
    """The committee a secretary answers for ("Mi comité"); None for anybody else.
    Looked up once per request (cached on the user object, like its scope: the start
    page asks four times)."""
    scope = scope_for(user)
    if scope.role != Role.COMMITTEE_SECRETARY:
        return None
    cached = getattr(user, "_sinasec_own_committee", None)
    if cached is not None and cached[0] == scope:
        return cached[1]
    committees = Committee.objects.select_related("territory", "region")
    if scope.region:
        own = committees.filter(level=CommitteeLevel.REGIONAL, region_id=scope.region).first()
    else:
        own = (
            committees.exclude(level=CommitteeLevel.REGIONAL)
            .filter(territory_id=scope.territory)
            .first()
        )
    cast(Any, user)._sinasec_own_committee = (scope, own)  # per request, like the scope
    return own


def can_read_committee(scope: Scope, committee: Committee) -> bool:
    if scope.is_national or is_own_committee(scope, committee):
        return True
    return scope.role == Role.COMMITTEE_SECRETARY and scope.covers_territory(committee.ubigeo)


def can_record_events(user: AnyUser | None, committee: Committee) -> bool:
    """National administrators for every committee; a secretary for their own."""
    scope = scope_for(user)
    return scope.is_admin or is_own_committee(scope, committee)


def can_read_registry(user: AnyUser | None) -> bool:
    """The committee registry (the list, the records): national staff and secretaries."""
    scope = scope_for(user)
    return scope.is_national or scope.role == Role.COMMITTEE_SECRETARY


def can_import_events(user: AnyUser | None) -> bool:
    """Who may send a file of events (each row is then checked committee by committee)."""
    scope = scope_for(user)
    return scope.is_admin or scope.role == Role.COMMITTEE_SECRETARY


def get_committee_for_user(
    user: AnyUser | None, committee_id: int, *, write: bool = False
) -> Committee:
    committee = _committee(user, committee_id)
    if committee is None:
        raise Http404(_("There is no committee %s.") % committee_id)
    allowed = (
        can_record_events(user, committee)
        if write
        else can_read_committee(scope_for(user), committee)
    )
    if not allowed:
        raise AccessDenied(
            _("You can only record events for your own committee.")
            if write
            else _("You do not have access to this committee.")
        )
    return committee


def _committee(user: AnyUser | None, committee_id: int) -> Committee | None:
    """The committee, read once per request: the view checks it, then the service it
    calls checks it again (each with its own rule) without a second query. Kept on the
    user object, which lives as long as the request, like the user's scope."""
    cached = getattr(user, "_sinasec_committee", None)
    if cached is not None and cached.pk == committee_id:
        return cast(Committee, cached)
    committee = (
        Committee.objects.select_related("territory", "region").filter(pk=committee_id).first()
    )
    if committee is not None and user is not None:
        cast(Any, user)._sinasec_committee = committee
    return committee


def get_event_for_user(
    user: AnyUser | None, event_id: int, *, committee_id: int | None = None
) -> CommitteeEvent:
    """An event of a committee the user may read (its acta included): the committee's
    own rule, not a second one. Unknown, or not of ``committee_id``: ``Http404``."""
    event = (
        CommitteeEvent.objects.select_related("committee__territory", "committee__region")
        .filter(pk=event_id)
        .first()
    )
    if event is None or (committee_id is not None and event.committee_id != committee_id):
        raise Http404(_("There is no event %s.") % event_id)
    if not can_read_committee(scope_for(user), event.committee):
        raise AccessDenied(_("You do not have access to this committee."))
    return event


def get_committees_for_user(user: AnyUser | None) -> QuerySet[Committee]:
    """The committees whose records a user may read (the list page and the API)."""
    scope = scope_for(user)
    committees = Committee.objects.select_related("territory", "region")
    if not can_read_registry(user):
        raise AccessDenied(
            _("The committee registry is for national staff and committee secretaries.")
        )
    if scope.is_national:
        return committees
    if scope.region:
        return committees.filter(Q(region_id=scope.region) | scope.territory_q("ubigeo"))
    return committees.filter(scope.territory_q("ubigeo"))
