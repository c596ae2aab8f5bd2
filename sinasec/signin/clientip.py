"""The address a sign-in attempt comes from, as far as it can be trusted."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The connection's address; behind ``SINASEC_TRUSTED_PROXIES`` reverse proxies,
    the address the outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    only the last N entries were written by our proxies: anything left of them was
    sent by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    count = settings.TRUSTED_PROXIES
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
