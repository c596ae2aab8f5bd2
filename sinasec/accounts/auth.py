"""How API callers prove who they are.

Every endpoint that needs a signed-in user declares ``auth=user_auth``: a personal API
token (``Authorization: Bearer <secret>``) for machine clients, or a browser's session
(with CSRF on writes).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from sinasec.accounts.tokens import user_for_secret


class TokenAuth(HttpBearer):
    """A live token of an active user; revoked tokens and inactive users get 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_secret(token)
        if user is not None:
            request.user = user
        return user


user_auth = [TokenAuth(), django_auth]


def _anyone(request: HttpRequest) -> bool:
    """The public: the last resort of ``user_or_public_auth``."""
    return True


# Endpoints open to the public that answer a signed-in caller (token or session) as such.
user_or_public_auth = [*user_auth, _anyone]
