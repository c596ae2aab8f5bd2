"""Who reads which notifications, and who is told about what.

- A notification is read (listed, opened, marked read) by its recipient only: anyone
  else gets a 404, as if it did not exist; the anonymous get the sign-in page (401).
- The candidates an emitter tells: the active focal points of an institution, the
  secretaries of a committee, the national administrators. The emitter then keeps
  those who may open what the notification links to (its own access predicate).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser
from sinasec.core.commands import SYSTEM_USERNAME
from sinasec.core.errors import AccessDenied
from sinasec.notifications.models import Notification


def _signed_in(user: AnyUser | None) -> User:
    if not isinstance(user, User) or not user.is_active:
        raise AccessDenied(_("Sign in to read your notifications."))
    return user


def get_notifications_for_user(user: AnyUser | None) -> QuerySet[Notification]:
    """One's own notifications, newest first."""
    return Notification.objects.filter(recipient=_signed_in(user)).order_by("-created", "-id")


def get_notification_for_user(user: AnyUser | None, notification_id: int) -> Notification:
    notification = get_notifications_for_user(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("There is no notification %s.") % notification_id)
    return notification


def _active() -> QuerySet[User]:
    """Active people: the command line's ``sistema`` account reads nothing."""
    return (
        User.objects.filter(is_active=True)
        .exclude(username=SYSTEM_USERNAME)
        .select_related("profile")
    )


def focal_points_of(institution_ids: Iterable[int]) -> list[User]:
    ids = list(institution_ids)
    return list(
        _active()
        .filter(profile__role=Role.FOCAL_POINT, profile__institution_id__in=ids)
        .order_by("pk")
    )


def focal_points_by_institution(institution_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active focal points of these institutions, by institution (every id a key)."""
    found: dict[int, list[User]] = {pk: [] for pk in institution_ids}
    for user in focal_points_of(found):
        found[user.profile.institution_id or 0].append(user)
    return found


def committee_secretaries(territories: Iterable[str], regions: Iterable[str]) -> list[User]:
    """The secretaries of the committees of these territories (district, province,
    department ubigeos) or regions (regional committees)."""
    return list(
        _active()
        .filter(profile__role=Role.COMMITTEE_SECRETARY)
        .filter(
            Q(profile__territory_id__in=list(territories)) | Q(profile__region_id__in=list(regions))
        )
        .order_by("pk")
    )


def national_admins() -> list[User]:
    return list(_active().filter(profile__role=Role.NATIONAL_ADMIN).order_by("pk"))
