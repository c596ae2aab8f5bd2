"""Reads about sign-in: which accounts are locked now, and until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum


@dataclass(frozen=True)
class Lock:
    username: str  # as typed at sign-in: it may name no account
    failures: int
    last_attempt: datetime
    until: datetime  # at the latest; an administrator may lift it sooner
    addresses: tuple[str, ...]


def current_locks(recent: QuerySet[AccessAttempt]) -> list[Lock]:
    """Locks among ``recent`` attempts: axes counts the failures of one username over
    every address and browser it was tried from (``AXES_LOCKOUT_PARAMETERS``)."""
    rows = (
        recent.exclude(username__isnull=True)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("last", "username")
    )
    cool_off = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    locks = []
    for row in rows:
        addresses = recent.filter(username=row["username"]).values_list("ip_address", flat=True)
        locks.append(
            Lock(
                username=row["username"],
                failures=row["failures"],
                last_attempt=row["last"],
                until=row["last"] + cool_off,
                addresses=tuple(sorted({a for a in addresses if a})),
            )
        )
    return locks
