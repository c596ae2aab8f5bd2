"""Health endpoints for the load balancer and the orchestrator.

- ``/healthz`` (liveness): the process answers; touches nothing else.
- ``/readyz`` (readiness): the database answers, every migration is applied, the incident
  store can be read and the uploaded-files storage written; 200 when all pass, else 503
  naming the failed checks.

They are answered by a middleware placed before the host check, the HTTPS redirect,
sessions and locale: a probe comes over plain HTTP to the server's own address, and must
stay cheap (no session, no template).
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse, JsonResponse

Check = Callable[[], str]  # returns a short detail, raises when the check fails


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


# Once every migration is applied it stays so for this process's code: later probes skip
# the query.
_migrations_applied = False


@functools.cache
def migrations_on_disk() -> dict[tuple[str, str], Migration]:
    """Every migration of the code, read once per process without the database (~40 ms;
    sinasec/wsgi.py reads it as each server worker loads the application)."""
    return dict(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return "all applied"
    # One plain query: the recorder's own method introspects every table first, and the
    # ORM's first query in a fresh worker costs ~15 ms more than this.
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {table}")  # a quoted table name, no input
        applied = {(app, name) for app, name in cursor.fetchall()}
    pending = sorted(
        key
        for key, migration in migrations_on_disk().items()
        if key not in applied
        # A squashed migration counts as applied when everything it replaces is.
        and not (migration.replaces and all(r in applied for r in migration.replaces))
    )
    if pending:
        raise RuntimeError(f"{len(pending)} pending, first {'.'.join(pending[0])}")
    _migrations_applied = True
    return "all applied"


def check_incident_store() -> str:
    root = Path(settings.INCIDENTS_DIR)
    if root.is_dir():
        if not os.access(root, os.R_OK | os.X_OK):
            raise PermissionError(f"{root} is not readable")
        return "readable"
    # Nothing imported yet: fine as long as the first import can create it.
    parent = root.parent
    if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
        return "empty"
    raise FileNotFoundError(f"{root} does not exist and cannot be created")


def check_media() -> str:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return "writable"


READINESS: dict[str, Check] = {
    "database": check_database,
    "migrations": check_migrations,
    "incident_store": check_incident_store,
    "media": check_media,
}


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    started = time.perf_counter()
    checks: dict[str, dict[str, object]] = {}
    for name, check in READINESS.items():
        try:
            checks[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # any failure is an answer, never a 500
            checks[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {
        "status": "fail" if failed else "ok",
        "failed": failed,
        "checks": checks,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=503 if failed else 200)


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = endpoint(request)
        response["Cache-Control"] = "no-store"
        return response
