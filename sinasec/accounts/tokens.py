"""API token secrets: made here, stored only as a SHA-256 digest, checked here."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from sinasec.accounts.models import ApiToken

PREFIX_LENGTH = 8


@dataclass(frozen=True)
class NewSecret:
    secret: str  # shown once to its owner, never stored
    prefix: str
    digest: str


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> NewSecret:
    secret = f"sns_{secrets.token_urlsafe(32)}"
    return NewSecret(secret=secret, prefix=secret[:PREFIX_LENGTH], digest=digest_of(secret))


def user_for_secret(secret: str) -> User | None:
    """The active user a live token belongs to (and mark it used), or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
