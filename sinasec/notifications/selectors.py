"""Reads of notifications: the bell's count and the page's list."""

from __future__ import annotations

from django.contrib.auth.models import User

from sinasec.notifications.models import Kind, Notification, Preference


def unread_count(user: User) -> int:
    """One query, on the partial index of unread rows."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_preferences(user: User) -> dict[str, bool]:
    """Per kind, whether the user wants it by e-mail (on unless turned off)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in Kind.values}
