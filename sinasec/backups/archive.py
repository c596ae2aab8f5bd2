"""The archive: a tar file of members and ``manifest.json``, written under a temporary
name and renamed when complete, verified whole before a restore reads any of it.

Members: ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or
``database.sqlite3``; ``media/<name>`` for every uploaded file; ``incidents/<file>`` for
the live version of the incident store. The manifest is the last member: an archive cut
short has none, and is refused as partial.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from django.utils.translation import gettext as _

from sinasec.backups.errors import BackupRefused
from sinasec.incidents.snapshot import FILE_NAME, VERSION_NAME

FORMAT = "sinasec-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
DATABASE_MEMBERS = {"database.dump", "database.sqlite3"}
PREFIXES = ("media/", "incidents/")


class _Hashing:
    """A reader that hashes and counts what passes through it."""

    def __init__(self, source: IO[bytes]):
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.source.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Members streamed into ``<path>.partial``; ``close()`` adds the manifest and
    renames; ``abort()`` (or an exception in the ``with``) removes the partial file."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(f".{path.name}.partial")
        self.members: dict[str, dict[str, Any]] = {}
        # Open across add() calls; close() or abort() closes it.
        self._tar = tarfile.open(self.partial, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        os.chmod(self.partial, 0o600)  # it holds the whole database: only its owner reads it

    def add(self, name: str, source: IO[bytes], size: int) -> None:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        reader = _Hashing(source)
        self._tar.addfile(info, reader)
        self.members[name] = {"size": reader.size, "sha256": reader.sha256.hexdigest()}

    def add_path(self, name: str, path: Path) -> None:
        with open(path, "rb") as source:
            self.add(name, source, os.fstat(source.fileno()).st_size)

    @property
    def bytes(self) -> int:
        return sum(m["size"] for m in self.members.values())

    def close(self, manifest: dict[str, Any]) -> Path:
        data = json.dumps({**manifest, "members": self.members}, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()
        with open(self.partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(self.partial, self.path)
        return self.path

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._tar.close()
        self.partial.unlink(missing_ok=True)


# verification


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    tables: dict[str, int]
    migrations: dict[str, str]
    incidents: dict[str, Any] | None
    members: dict[str, dict[str, Any]]
    raw: dict[str, Any] = field(repr=False)

    @property
    def database_member(self) -> str:
        return next(name for name in self.members if name in DATABASE_MEMBERS)

    def media(self) -> list[str]:
        return sorted(n.removeprefix("media/") for n in self.members if n.startswith("media/"))

    def incident_files(self) -> list[str]:
        return sorted(
            n.removeprefix("incidents/") for n in self.members if n.startswith("incidents/")
        )


def refuse(path: Path, reason: str) -> BackupRefused:
    return BackupRefused(
        _("The archive %(archive)s was refused, nothing was changed: %(reason)s")
        % {"archive": path, "reason": reason}
    )


@contextlib.contextmanager
def open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 (closed below: this is the manager)
    except (tarfile.TarError, OSError) as exc:
        raise refuse(path, _("it is not a readable tar file (%s)") % exc) from None
    try:
        yield tar
    finally:
        tar.close()


def verify(path: Path) -> Manifest:
    """Read the whole archive and check it against its manifest; ``BackupRefused``
    naming the first problem found."""
    with open_archive(path) as tar:
        index = _index(path, tar)
        manifest = _read_manifest(path, tar, index)
        extra = sorted(set(index) - set(manifest.members) - {MANIFEST})
        if extra:
            raise refuse(path, _("the member “%s” is not in the manifest") % extra[0])
        for name, expected in manifest.members.items():
            _check_member(path, tar, index.get(name), name, expected)
    return manifest


def _index(path: Path, tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    """The members by name; reading each header checks the previous member is whole."""
    index: dict[str, tarfile.TarInfo] = {}
    last = None
    try:
        for info in tar:
            index[info.name] = last = info
    except (tarfile.TarError, OSError) as exc:
        if last is None:
            raise refuse(path, _("it is damaged or truncated (%s)") % exc) from None
        raise refuse(
            path, _("the member “%s” is cut short: the archive is truncated") % last.name
        ) from None
    return index


def _read_manifest(path: Path, tar: tarfile.TarFile, index: dict[str, Any]) -> Manifest:
    if MANIFEST not in index:
        raise refuse(
            path,
            _("it has no %s: the archive is partial (cut short) or not a SINASEC backup")
            % MANIFEST,
        )
    try:
        handle = tar.extractfile(index[MANIFEST])
        raw = json.loads(handle.read()) if handle else None
    except (ValueError, tarfile.TarError, OSError):
        raw = None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise refuse(path, _("its %s is damaged or not a SINASEC manifest") % MANIFEST)
    if raw.get("format_version") != FORMAT_VERSION:
        raise refuse(
            path,
            _("its format version %(found)s is not known here (this SINASEC reads %(known)s)")
            % {"found": raw.get("format_version"), "known": FORMAT_VERSION},
        )
    try:
        manifest = Manifest(
            engine=str(raw["engine"]),
            created_at=str(raw["created_at"]),
            tables={str(k): int(v) for k, v in raw["tables"].items()},
            migrations={str(k): str(v) for k, v in raw["migrations"].items()},
            incidents=raw.get("incidents"),
            members={
                str(k): {"size": int(v["size"]), "sha256": str(v["sha256"])}
                for k, v in raw["members"].items()
            },
            raw=raw,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise refuse(path, _("its %s is missing required fields") % MANIFEST) from None
    bad = [name for name in manifest.members if not _safe_name(name)]
    if bad:
        raise refuse(path, _("the member name “%s” is not allowed") % bad[0])
    incidents = manifest.incident_files()
    version = str((manifest.incidents or {}).get("version", ""))
    if incidents and not VERSION_NAME.fullmatch(version):
        raise refuse(path, _("its incident store version “%s” is not valid") % version)
    bad = [name for name in incidents if not FILE_NAME.fullmatch(name)]
    if bad:
        raise refuse(path, _("the member name “incidents/%s” is not allowed") % bad[0])
    if len(DATABASE_MEMBERS & set(manifest.members)) != 1:
        raise refuse(path, _("it holds no database dump"))
    return manifest


def _safe_name(name: str) -> bool:
    if name in DATABASE_MEMBERS:
        return True
    parts = name.split("/")
    return (
        name.startswith(PREFIXES)
        and len(parts) > 1
        and all(part not in ("", ".", "..") for part in parts)
        and "\\" not in name
        and "\x00" not in name
    )


def _check_member(
    path: Path, tar: tarfile.TarFile, info: Any, name: str, expected: dict[str, Any]
) -> None:
    if info is None:
        raise refuse(path, _("the member “%s” is missing") % name)
    if not info.isfile():
        raise refuse(path, _("the member “%s” is not a regular file") % name)
    if info.size != expected["size"]:
        raise refuse(
            path,
            _("the member “%(name)s” has %(found)d bytes, the manifest says %(expected)d")
            % {"name": name, "found": info.size, "expected": expected["size"]},
        )
    digest = hashlib.sha256()
    size = 0
    try:
        handle = tar.extractfile(info)
        assert handle is not None
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    except (tarfile.TarError, OSError):
        raise refuse(path, _("the member “%s” is truncated") % name) from None
    if size != expected["size"]:
        raise refuse(path, _("the member “%s” is truncated") % name)
    if digest.hexdigest() != expected["sha256"]:
        raise refuse(
            path, _("the member “%s” does not match its SHA-256 in the manifest (damaged)") % name
        )


@contextlib.contextmanager
def member(tar: tarfile.TarFile, name: str) -> Iterator[BinaryIO]:
    handle = tar.extractfile(name)
    if handle is None:
        raise KeyError(name)
    try:
        yield handle  # type: ignore[misc]
    finally:
        handle.close()
