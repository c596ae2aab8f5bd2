"""The live version of the incident store as a set of files, for backups, and a store
rebuilt from such a set, for restores.

Both hold the store's import lock: a backup copies one whole version (an import cannot
switch ``CURRENT`` or delete the version being read meanwhile), and a restore builds the
version beside the others and switches to it in one rename, like an import does.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sinasec.incidents.store import IncidentStore

# A file of a version, relative to the version's folder: the only names a restore writes.
FILE_NAME = re.compile(r"year=\d{1,4}/month=\d{1,2}/[A-Za-z0-9_.-]+\.parquet")
VERSION_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")


@dataclass(frozen=True)
class Snapshot:
    version: str | None
    files: list[tuple[str, Path]]  # (name relative to the version, path on disk)
    rows: int


@contextlib.contextmanager
def live_snapshot(store: IncidentStore) -> Iterator[Snapshot]:
    """The live version's files, held still (no import switches or prunes) meanwhile."""
    with store._locked():
        folder = store.current_dir()
        if folder is None or not folder.is_dir():
            yield Snapshot(None, [], 0)
            return
        files = [(p.relative_to(folder).as_posix(), p) for p in store.files()]
        yield Snapshot(folder.name, files, store.count())


def is_empty(store: IncidentStore) -> bool:
    """No live version and no version folder: nothing a restore could overwrite."""
    versions = store.versions_dir
    return store.current_version() is None and not (versions.is_dir() and any(versions.iterdir()))


def install_snapshot(
    store: IncidentStore,
    version: str,
    files: list[str],
    open_file: Callable[[str], AbstractContextManager[BinaryIO]],
) -> None:
    """Write ``files`` (names relative to the version, read through ``open_file``) as
    ``version`` and make it the live one; nothing is visible until the final switch."""
    if not VERSION_NAME.fullmatch(version):
        raise ValueError(f"invalid incident store version {version!r}")
    bad = [name for name in files if not FILE_NAME.fullmatch(name)]
    if bad:
        raise ValueError(f"invalid incident store file name {bad[0]!r}")
    with store._locked():
        store.versions_dir.mkdir(parents=True, exist_ok=True)
        building = store.versions_dir / f".{version}.building"
        try:
            for name in files:
                target = building / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with open_file(name) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
            building.rename(store.versions_dir / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        store._switch(version)
