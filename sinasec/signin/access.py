"""The one access check for sign-in locks: only national administrators see and lift
them (a lock names who was being tried, and lifting one undoes a defence)."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.core.errors import AccessDenied
from sinasec.signin.selectors import Lock, current_locks


def _check_admin(user: AnyUser | None) -> None:
    if not scope_for(user).is_admin:
        raise AccessDenied(_("Only a national administrator can see and lift sign-in locks."))


def get_locks_for_user(user: AnyUser | None) -> list[Lock]:
    """The accounts locked now, the longest-locked first."""
    _check_admin(user)
    return current_locks(_recent_attempts())


def get_lock_for_user(user: AnyUser | None, username: str, *, write: bool = False) -> Lock:
    _check_admin(user)
    for lock in current_locks(_recent_attempts().filter(username=username)):
        return lock
    raise Http404(_("The account %s is not locked.") % username)


def _recent_attempts() -> QuerySet[AccessAttempt]:
    """Failed attempts recent enough to count (older ones no longer lock anyone)."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return AccessAttempt.objects.filter(attempt_time__gt=since)
