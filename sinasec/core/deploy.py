"""Settings that refuse to be unsafe.

Commands and tests run with the built-in development key; a server with debug off does
not: ``sinasec serve`` and the WSGI application (``sinasec/wsgi.py``) call
``refuse_unsafe_settings`` before answering anyone, and ``sinasec check --deploy``
reports the same problem (``sinasec.E001``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MIN_SECRET_KEY_LENGTH = 50


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign a production deployment's sessions, or None."""
    if key == getattr(settings, "DEFAULT_SECRET_KEY", None):
        return _(
            "SINASEC_SECRET_KEY is not set: the built-in development key is public. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return _(
            "SINASEC_SECRET_KEY is too weak: it needs at least %(n)d characters, not all the "
            "same. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        ) % {"n": MIN_SECRET_KEY_LENGTH}
    return None


def refuse_unsafe_settings() -> None:
    """Raise ``ImproperlyConfigured`` when a server with debug off would be unsafe."""
    if settings.DEBUG:
        return
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem:
        raise ImproperlyConfigured(
            _("SINASEC refuses to start with SINASEC_DEBUG off: %s") % problem
        )


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [checks.Error(problem, id="sinasec.E001")]
