"""/healthz answers while the process lives; /readyz says which dependency is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.migrations import Migration
from django.test import Client

from sinasec.core import health

pytestmark = pytest.mark.django_db


def refuse(*args: object) -> None:
    raise OperationalError("the database is down (test)")


def test_it_answers_liveness_without_the_database() -> None:
    with connection.execute_wrapper(refuse):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_it_answers_a_probe_to_the_servers_own_address_over_plain_http(settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_it_is_ready_when_every_check_passes() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "migrations", "incident_store", "media"}
    assert all(check["ok"] for check in body["checks"].values())


def test_it_is_not_ready_without_the_database() -> None:
    with connection.execute_wrapper(refuse):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert "database" in body["failed"]
    assert "OperationalError" in body["checks"]["database"]["detail"]


def test_it_is_not_ready_when_uploads_cannot_be_written(monkeypatch) -> None:
    def full(*args: object, **kwargs: object) -> str:
        raise OSError("No space left on device")

    monkeypatch.setattr(health.default_storage, "save", full)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["media"]


def test_it_is_not_ready_when_the_incident_store_is_missing(settings, tmp_path: Path) -> None:
    settings.INCIDENTS_DIR = tmp_path / "not-mounted" / "incidents"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["incident_store"]


def test_it_is_ready_with_an_incident_store_not_yet_created(settings, tmp_path: Path) -> None:
    settings.INCIDENTS_DIR = tmp_path / "incidents"
    response = Client().get("/readyz")
    assert response.json()["checks"]["incident_store"] == {"ok": True, "detail": "empty"}


def test_it_reports_pending_migrations(monkeypatch) -> None:
    future = {("committees", "9999_future"): Migration("9999_future", "committees")}
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health, "migrations_on_disk", lambda: future)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    detail = response.json()["checks"]["migrations"]["detail"]
    assert "1 pending, first committees.9999_future" in detail


def test_it_counts_a_squashed_migration_applied_when_what_it_replaces_is(monkeypatch) -> None:
    class Squashed(Migration):
        replaces = [
            ("contenttypes", "0001_initial"),
            ("contenttypes", "0002_remove_content_type_name"),
        ]

    squashed = Squashed("0001_squashed_0002", "core")
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health, "migrations_on_disk", lambda: {("core", squashed.name): squashed})
    assert Client().get("/readyz").status_code == 200
