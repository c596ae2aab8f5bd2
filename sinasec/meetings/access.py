"""Who reads and writes sessions, decided in one place.

- A committee's sessions (ordinary, extraordinary, public consultations) follow the
  committee's own rule (``committees.access``): national roles and the secretaries whose
  territory covers it read them; the committee's own secretary (and national
  administrators) record them, attach their minutes and mark their agreements done.
- The multisectoral commission's sessions: the national roles read them; the Barrio
  Seguro team and national administrators record them.
- The technical tables' sessions are read and written through ``barrios.access`` (the
  barrio decides); here they are neither listed nor fetched.

Every object fetched by id goes through its getter (``get_<thing>_for_user``): 404 when
it does not exist, 403 outside the user's scope.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.committees.access import (
    can_read_committee,
    can_record_events,
    get_committee_for_user,
    get_committees_for_user,
)
from sinasec.committees.models import Committee
from sinasec.core.errors import AccessDenied
from sinasec.meetings.models import Agreement, Body, Session


def can_record_sessions(user: AnyUser | None, committee: Committee) -> bool:
    """The committee's own secretary, and national administrators."""
    return can_record_events(user, committee)


def can_record_commission(user: AnyUser | None) -> bool:
    return scope_for(user).runs_barrio_seguro


def get_writable_committee(user: AnyUser | None, committee_id: int) -> Committee:
    """The committee whose sessions the user records (404 unknown, 403 not theirs)."""
    committee = get_committee_for_user(user, committee_id)
    if not can_record_sessions(user, committee):
        raise AccessDenied(_("Only the committee's secretary records its sessions."))
    return committee


def _check(user: AnyUser | None, session: Session, write: bool) -> None:
    scope = scope_for(user)
    if session.body == Body.COMMISSION:
        allowed = can_record_commission(user) if write else scope.is_national
    else:
        committee = session.committee
        assert committee is not None  # the constraint of a committee's session
        allowed = (
            can_record_sessions(user, committee) if write else can_read_committee(scope, committee)
        )
    if not allowed:
        raise AccessDenied(
            _("Only the committee's secretary records its sessions.")
            if write
            else _("You do not have access to this committee.")
        )


def get_sessions_for_user(user: AnyUser | None) -> QuerySet[Session]:
    """The committee sessions of the committees the user reads, and the commission's
    for national roles (the list pages, the API and the command)."""
    committees = get_committees_for_user(user)
    mine = Q(body=Body.COMMITTEE, committee__in=committees)
    if scope_for(user).is_national:
        mine |= Q(body=Body.COMMISSION)
    return Session.objects.filter(mine).select_related("committee", "recorded_by")


def get_session_for_user(user: AnyUser | None, session_id: int, *, write: bool = False) -> Session:
    """A committee's or the commission's session; ``write``: to attach its minutes."""
    session = (
        Session.objects.exclude(body=Body.TABLE)
        .select_related("committee__territory", "committee__region", "recorded_by")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404(_("There is no session %s.") % session_id)
    _check(user, session, write)
    return session


def get_agreement_for_user(
    user: AnyUser | None, agreement_id: int, *, write: bool = False
) -> Agreement:
    """An agreement of a committee's or the commission's session; ``write``: to mark it
    done."""
    agreement = (
        Agreement.objects.exclude(session__body=Body.TABLE)
        .select_related("session__committee__territory", "session__committee__region", "owner")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise Http404(_("There is no agreement %s.") % agreement_id)
    _check(user, agreement.session, write)
    return agreement
