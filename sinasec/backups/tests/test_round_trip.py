"""A deployment backed up and restored into a new, empty one holds the same rows, the
same uploaded files and the same incidents; the engine under test is the suite's
(SQLite or PostgreSQL), the restore a separate process as an operator runs it."""

from __future__ import annotations

import io
import json
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sinasec.backups import database
from sinasec.backups.tests.helpers import (
    checksums,
    empty_database,
    is_postgres,
    row_counts,
    sinasec,
)
from sinasec.committees.models import Committee, CommitteeEvent
from sinasec.committees.services import MemberIn, record_swearing_in
from sinasec.incidents import IncidentStore
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.usefixtures("reference_data")

ACTA = b"%PDF-1.4\n% acta de juramentacion\n" + bytes(range(256)) * 40
INCIDENTS = (
    "id,date,lat,lon,crime_type,ubigeo\n"
    "1,2024-01-05,-12.1211,-77.0297,robo,150122\n"
    "2,2024-02-11,-12.1190,-77.0340,hurto,150122\n"
    "3,2025-03-20,-12.0464,-77.0428,robo,150101\n"
)


@pytest.fixture
def deployment(settings, tmp_path: Path, admin: User) -> Path:
    """Committees with a swearing-in and its scanned acta, the 2010 plan and incidents
    in the store, all committed; returns the source's folder."""
    source = tmp_path / "source"
    settings.MEDIA_ROOT = source / "media"
    settings.INCIDENTS_DIR = source / "incidents"
    committee = Committee.objects.get(level="district", ubigeo="150122")
    record_swearing_in(
        admin,
        committee.pk,
        date(2026, 1, 10),
        [MemberIn("Ana Pérez", "PNP", "Comisaria"), MemberIn("Luis Soto", "GL", "Alcalde")],
        evidence=SimpleUploadedFile("acta.pdf", ACTA, content_type="application/pdf"),
    )
    load_national_plan_2010()
    csv = tmp_path / "incidentes.csv"
    csv.write_text(INCIDENTS, encoding="utf-8")
    IncidentStore(settings.INCIDENTS_DIR).import_file(csv)
    return source


def backup(directory: Path) -> Path:
    out = io.StringIO()
    call_command("backup", str(directory), stdout=out, stderr=io.StringIO())
    [archive] = directory.glob("sinasec-backup-*.tar")
    assert str(archive) in out.getvalue()
    return archive


def test_it_restores_a_backup_into_an_empty_deployment_with_the_same_rows_and_files(
    deployment: Path, tmp_path: Path
) -> None:
    archive = backup(tmp_path / "backups")
    source_rows = database.inventory().tables
    assert source_rows["committees_committeeevent"] == 1
    assert source_rows["plans_activity"] > 0
    target = tmp_path / "target"
    with empty_database(tmp_path) as url:
        done = sinasec("restore", str(archive), database_url=url, var_dir=target)
        assert done.returncode == 0, done.stderr
        restored_rows = row_counts(url)
        # A working deployment: nothing left to migrate, and new rows get fresh keys
        # (PostgreSQL's sequences came with the dump).
        assert sinasec("migrate", "--check", database_url=url, var_dir=target).returncode == 0
        made = sinasec("accounts", "token-create", "sistema", "x", database_url=url, var_dir=target)
        assert made.returncode == 0, made.stderr
    assert restored_rows == source_rows
    media = checksums(deployment / "media")
    assert len(media) == 1 and next(iter(media)).startswith("committees/")
    assert checksums(target / "media") == media
    assert checksums(target / "incidents") == checksums(deployment / "incidents")
    assert IncidentStore(target / "incidents").count() == 3


def test_it_writes_a_manifest_with_engine_migrations_counts_and_checksums(
    deployment: Path, tmp_path: Path
) -> None:
    archive = backup(tmp_path / "backups")
    assert archive.stat().st_mode & 0o077 == 0  # the whole database: its owner only
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        manifest = json.load(handle)
    assert names[-1] == "manifest.json"
    assert manifest["engine"] == ("postgresql" if is_postgres() else "sqlite")
    assert manifest["format_version"] == 1
    assert manifest["migrations"]["committees"].startswith("00")
    assert manifest["tables"]["committees_member"] == 2
    assert manifest["incidents"]["rows"] == 3
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    acta = CommitteeEvent.objects.get().evidence.name
    assert manifest["members"][f"media/{acta}"]["size"] == len(ACTA)


def test_it_refuses_to_restore_into_a_deployment_that_has_data(
    deployment: Path, tmp_path: Path
) -> None:
    archive = backup(tmp_path / "backups")
    before = database.inventory().tables
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), stderr=io.StringIO())
    assert refused.value.returncode == 3
    message = str(refused.value)
    assert "only into an empty deployment" in message
    assert f"the database has {len(before)} tables" in message
    assert "applied migrations" in message
    assert database.inventory().tables == before
