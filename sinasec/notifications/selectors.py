"""Reads of notifications: the bell's count and the page's list."""

from __future__ import annotations

from django.contrib.auth.models import User

from sinasec.core.hotsql import fetch_one
from sinasec.notifications.models import Kind, Notification, Preference


def unread_count(user: User) -> int:
    """One plain query (core/hotsql.py: the bell is on every signed-in page), on the
    partial index of unread rows."""
    row = fetch_one(
        Notification,
        "SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND {read_at} IS NULL",
        [user.pk],
    )
    return int(row[0]) if row else 0


def email_preferences(user: User) -> dict[str, bool]:
    """Per kind, whether the user wants it by e-mail (on unless turned off)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in Kind.values}
