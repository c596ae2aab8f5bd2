from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sinasec.notifications.selectors import unread_count


def bell(request: HttpRequest) -> dict[str, object]:
    """The unread count of the navigation's bell: signed-in people only, and counted
    (one query) only if the page shows it."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
