"""How API callers prove who they are.

Every endpoint that needs a signed-in user declares ``auth=user_auth``: a browser's
session (with CSRF on writes) or, for machine clients, a personal API token.
"""

from __future__ import annotations

from ninja.security import django_auth

user_auth = [django_auth]
