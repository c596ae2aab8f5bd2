"""Running the real worker (`sinasec worker --batch`) inside a test's transaction."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_worker() -> None:
    """Every queued job through the database backend and `db_worker`, as in production.

    Between tasks the worker closes connections that are not in autocommit (a worker's
    connection always is); a test's connection is inside its transaction, so that close
    is skipped here. The end-to-end test in ``test_worker_process.py`` runs it unpatched."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, verbosity=0)
