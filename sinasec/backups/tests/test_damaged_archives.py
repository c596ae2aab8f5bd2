"""A damaged or partial archive is refused whole, before anything is written: exit
code 3, the problem named, the empty target left as it was. A backup that fails on the
way leaves no archive."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from sinasec.backups import services
from sinasec.backups.tests.helpers import empty_database, is_postgres, row_counts, sinasec
from sinasec.incidents import IncidentStore

pytestmark = pytest.mark.usefixtures("transactional_db")

EVIDENCE = "plans/2026/informe.pdf"


@pytest.fixture
def archive(settings, tmp_path: Path) -> Path:
    """A backup of a small deployment: one uploaded file, two incidents."""
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    settings.INCIDENTS_DIR = tmp_path / "source" / "incidents"
    default_storage.save(EVIDENCE, ContentFile(b"%PDF-1.4\n" + b"informe " * 500))
    csv = tmp_path / "incidentes.csv"
    csv.write_text(
        "id,date,lat,lon,crime_type,ubigeo\n1,2024-01-05,-12.12,-77.03,robo,150122\n"
        "2,2024-02-05,-12.12,-77.03,hurto,150122\n",
        encoding="utf-8",
    )
    IncidentStore(settings.INCIDENTS_DIR).import_file(csv)
    call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO(), stderr=io.StringIO())
    [path] = (tmp_path / "backups").glob("sinasec-backup-*.tar")
    return path


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the archive with each member passed through ``change`` (None: left
    out)."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for info in old.getmembers():
            handle = old.extractfile(info)
            assert handle is not None
            data = change(info.name, handle.read())
            if data is not None:
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
    return target


def flip_one_byte(name: str, data: bytes) -> bytes:
    if name != f"media/{EVIDENCE}":
        return data
    return data[:100] + bytes([data[100] ^ 0x01]) + data[101:]


def wrong_checksum(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["members"][f"media/{EVIDENCE}"]["sha256"] = "0" * 64
    return json.dumps(manifest).encode()


def without_the_evidence(name: str, data: bytes) -> bytes | None:
    return None if name == f"media/{EVIDENCE}" else data


def truncated(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return target


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda a, t: truncated(a, t), "database."),
        (lambda a, t: rewrite(a, t, flip_one_byte), f"media/{EVIDENCE}"),
        (lambda a, t: rewrite(a, t, without_the_evidence), f"media/{EVIDENCE}"),
        (lambda a, t: rewrite(a, t, wrong_checksum), f"media/{EVIDENCE}"),
    ],
    ids=["truncated", "flipped-byte", "missing-member", "wrong-checksum-in-manifest"],
)
def test_it_refuses_a_damaged_archive_and_changes_nothing(
    archive: Path, tmp_path: Path, damage: Callable[[Path, Path], Path], named: str
) -> None:
    damaged = damage(archive, tmp_path / "damaged.tar")
    target = tmp_path / "target"
    with empty_database(tmp_path) as url:
        done = sinasec("restore", str(damaged), database_url=url, var_dir=target)
        assert done.returncode == 3, done.stderr
        assert named in done.stderr
        assert "Traceback" not in done.stderr
        assert row_counts(url) == {}
    assert not (target / "media").exists() and not (target / "incidents").exists()


def test_it_restores_the_same_archive_undamaged(archive: Path, tmp_path: Path) -> None:
    """The damage, not the archive, is what the refusals above refuse."""
    with empty_database(tmp_path) as url:
        done = sinasec("restore", str(archive), database_url=url, var_dir=tmp_path / "target")
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "target" / "media" / EVIDENCE).exists()


def test_it_leaves_no_archive_when_a_backup_fails_half_way(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save(EVIDENCE, ContentFile(b"%PDF-1.4\n"))

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "_add_incidents", disk_full)
    with pytest.raises(CommandError) as failed:
        call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO())
    assert failed.value.returncode == 1 and "No space left on device" in str(failed.value)
    assert list((tmp_path / "backups").iterdir()) == []


def test_it_answers_a_missing_archive_with_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "nada.tar"))
    assert refused.value.returncode == 2


def test_it_refuses_an_archive_of_the_other_engine(archive: Path, tmp_path: Path) -> None:
    """Cross-engine restore is not supported: refused before connecting to the target."""
    other = (
        f"sqlite:///{tmp_path / 'other.sqlite3'}"
        if is_postgres()
        else "postgres://sinasec:unused@127.0.0.1:5432/sinasec_never_created"
    )
    done = sinasec("restore", str(archive), database_url=other, var_dir=tmp_path / "target")
    assert done.returncode == 3, done.stderr
    assert "postgresql" in done.stderr and "sqlite" in done.stderr
    assert not (tmp_path / "other.sqlite3").exists()


def test_it_refuses_an_archive_made_by_a_newer_release(archive: Path, tmp_path: Path) -> None:
    def from_the_future(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["committees"] = "9999_from_the_future"
        return json.dumps(manifest).encode()

    newer = rewrite(archive, tmp_path / "newer.tar", from_the_future)
    with empty_database(tmp_path) as url:
        done = sinasec("restore", str(newer), database_url=url, var_dir=tmp_path / "target")
        assert done.returncode == 3, done.stderr
        assert "committees.9999_from_the_future" in done.stderr
        assert row_counts(url) == {}
