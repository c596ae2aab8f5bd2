"""Back up a deployment into one archive, and restore an archive into an empty one.

A backup writes ``sinasec-backup-<UTC time>.tar`` under a temporary name and renames it
when the manifest is in: a crash leaves no archive that looks complete. A restore
verifies the whole archive (every member's size and SHA-256) and the target (same
engine, nothing there yet) before it writes anything, then loads the database, the
files and the incident store, and checks the row counts against the manifest.
"""

from __future__ import annotations

import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sinasec.backups import archive, database, selectors
from sinasec.backups.errors import BackupFailed, BackupRefused
from sinasec.incidents import IncidentStore
from sinasec.incidents.snapshot import install_snapshot, live_snapshot

Report = Callable[[str], None]


@dataclass(frozen=True)
class Summary:
    path: Path
    files: int  # members, manifest excluded
    bytes: int
    seconds: float
    tables: int
    rows: int


def _quiet(_message: str) -> None:
    pass


def _megabytes(size: int) -> str:
    return f"{number_format(size / 1_048_576, 1, force_grouping=True)} MB"


def create_backup(directory: Path, report: Report = _quiet) -> Summary:
    """Write one archive of the database, the uploaded files and the incident store
    into ``directory``."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"sinasec-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    if path.exists():
        raise BackupFailed(_("%s already exists: wait a second and try again") % path)
    engine = database.engine()
    writer = archive.ArchiveWriter(path)
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=".sinasec-backup-") as work:
            dump = Path(work) / database.MEMBER[engine]
            report(_("database (%s): dumping…") % engine)
            held = database.dump(dump)
            writer.add_path(database.MEMBER[engine], dump)
        rows = sum(held.tables.values())
        report(
            _("database: %(tables)d tables, %(rows)s rows, %(size)s")
            % {
                "tables": len(held.tables),
                "rows": number_format(rows, force_grouping=True),
                "size": _megabytes(writer.bytes),
            }
        )
        media = _add_media(writer, report)
        incidents = _add_incidents(writer, report)
        members = len(writer.members)
        writer.close(_manifest(now, engine, held, media, incidents))
    except BaseException:
        writer.abort()
        raise
    seconds = time.perf_counter() - started
    return Summary(path, members, path.stat().st_size, seconds, len(held.tables), rows)


def _add_media(writer: archive.ArchiveWriter, report: Report) -> dict[str, int]:
    count = size = 0
    for name in selectors.stored_files():
        with default_storage.open(name, "rb") as handle:
            writer.add(f"media/{name}", handle, default_storage.size(name))
        count += 1
        size += writer.members[f"media/{name}"]["size"]
    report(_("uploaded files: %(count)d, %(size)s") % {"count": count, "size": _megabytes(size)})
    return {"files": count, "bytes": size}


def _add_incidents(writer: archive.ArchiveWriter, report: Report) -> dict[str, object] | None:
    with live_snapshot(IncidentStore(settings.INCIDENTS_DIR)) as snapshot:
        if snapshot.version is None:
            report(_("incident store: empty"))
            return None
        for name, path in snapshot.files:
            writer.add_path(f"incidents/{name}", path)
    report(
        _("incident store: version %(version)s, %(files)d files, %(rows)s incidents")
        % {
            "version": snapshot.version,
            "files": len(snapshot.files),
            "rows": number_format(snapshot.rows, force_grouping=True),
        }
    )
    return {"version": snapshot.version, "rows": snapshot.rows, "files": len(snapshot.files)}


def _manifest(
    now: datetime,
    engine: str,
    held: database.Inventory,
    media: dict[str, int],
    incidents: dict[str, object] | None,
) -> dict[str, object]:
    try:
        version = metadata.version("sinasec")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "created_at": now.isoformat(timespec="seconds"),
        "sinasec_version": version,
        "django_version": django.get_version(),
        "engine": engine,
        "dump_tool": database.client_version(),
        "migrations": held.migrations,
        "tables": held.tables,
        "media": media,
        "incidents": incidents,
    }


# restore


def restore_backup(path: Path, report: Report = _quiet) -> Summary:
    """Restore ``path`` into this (empty) deployment, after verifying all of it."""
    started = time.perf_counter()
    report(_("verifying %s…") % path)
    manifest = archive.verify(path)
    _check_target(path, manifest)
    report(
        _("archive of %(created)s verified: %(members)d members, all checksums match")
        % {"created": manifest.created_at, "members": len(manifest.members)}
    )
    with archive.open_archive(path) as tar:
        with tempfile.TemporaryDirectory(prefix=".sinasec-restore-") as work:
            dump = Path(work) / manifest.database_member
            with archive.member(tar, manifest.database_member) as source, open(dump, "wb") as out:
                while chunk := source.read(archive.CHUNK):
                    out.write(chunk)
            report(_("database (%s): restoring…") % manifest.engine)
            database.restore(dump)
        _restore_media(tar, manifest, report)
        _restore_incidents(tar, manifest, report)
    rows = _check_counts(manifest)
    report(_("row counts match the manifest in all %d tables") % len(manifest.tables))
    return Summary(
        path,
        len(manifest.members),
        sum(m["size"] for m in manifest.members.values()),
        time.perf_counter() - started,
        len(manifest.tables),
        rows,
    )


def _check_target(path: Path, manifest: archive.Manifest) -> None:
    engine = database.engine()
    if manifest.engine != engine:
        raise archive.refuse(
            path,
            _(
                "it holds a %(archive)s database and this deployment uses %(target)s; "
                "restoring across engines is not supported"
            )
            % {"archive": manifest.engine, "target": engine},
        )
    unknown = selectors.unknown_migrations(manifest.migrations)
    if unknown:
        raise archive.refuse(
            path,
            _("it was made by a newer SINASEC: the migration %s is unknown here; upgrade first")
            % unknown[0],
        )
    found = selectors.what_is_there(IncidentStore(settings.INCIDENTS_DIR))
    if found:
        raise BackupRefused(
            _(
                "A backup is restored only into an empty deployment, and this one is not "
                "(%s). Nothing was changed. Point SINASEC_DATABASE_URL and the storage "
                "settings at a new, empty database and folders."
            )
            % "; ".join(found)
        )


def _restore_media(tar: tarfile.TarFile, manifest: archive.Manifest, report: Report) -> None:
    names = manifest.media()
    for name in names:
        with archive.member(tar, f"media/{name}") as source:
            saved = default_storage.save(name, File(source, name=name))
        if saved != name:
            raise BackupFailed(
                _("the file storage saved %(name)s as %(saved)s") % {"name": name, "saved": saved}
            )
    report(_("uploaded files restored: %d") % len(names))


def _restore_incidents(tar: tarfile.TarFile, manifest: archive.Manifest, report: Report) -> None:
    if not manifest.incidents:
        return
    files = manifest.incident_files()
    store = IncidentStore(settings.INCIDENTS_DIR)
    install_snapshot(
        store,
        str(manifest.incidents["version"]),
        files,
        lambda name: archive.member(tar, f"incidents/{name}"),
    )
    report(_("incident store restored: %d files") % len(files))


def _check_counts(manifest: archive.Manifest) -> int:
    """The restored deployment holds what the manifest says, or ``BackupFailed``."""
    held = database.inventory().tables
    wrong = [t for t, n in manifest.tables.items() if held.get(t) != n]
    if wrong:
        t = wrong[0]
        raise BackupFailed(
            _("after the restore, table %(table)s has %(found)s rows, the manifest says %(n)d")
            % {"table": t, "found": held.get(t), "n": manifest.tables[t]}
        )
    media = list(selectors.stored_files())
    if sorted(media) != manifest.media():
        raise BackupFailed(_("after the restore, the uploaded files differ from the manifest"))
    if manifest.incidents:
        rows = IncidentStore(settings.INCIDENTS_DIR).count()
        if rows != manifest.incidents["rows"]:
            raise BackupFailed(
                _("after the restore, the incident store has %(found)d rows, not %(n)s")
                % {"found": rows, "n": manifest.incidents["rows"]}
            )
    return sum(held.get(t, 0) for t in manifest.tables)
