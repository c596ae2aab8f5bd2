"""The one way to get Django's e-mail connection, on every supported Django.

Django 6.1 configures mail as ``MAILERS`` (``mail.mailers.default``); 5.2 has only
``get_connection()``, which reads ``EMAIL_BACKEND``. Callers open one connection and
send a batch over it.
"""

from __future__ import annotations

from typing import Any


def default_mailer() -> Any:
    from django.core import mail

    mailers = getattr(mail, "mailers", None)
    return mailers.default if mailers is not None else mail.get_connection()
