"""Django's tasks framework where it lives: ``django.tasks`` on Django 6, the
``django_tasks`` backport on Django 5.2 (installed by ``django-tasks-db[compat]``).
Nothing else imports either directly."""

from __future__ import annotations

from importlib.util import find_spec

if find_spec("django.tasks"):
    from django.tasks import task
else:  # pragma: no cover - the Python 3.11 / Django 5.2 install
    from django_tasks import task  # type: ignore[no-redef,import-not-found,unused-ignore]

__all__ = ["task"]
