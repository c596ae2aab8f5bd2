"""What a deployment holds: its uploaded files, whether it is empty enough to restore
into, and whether an archive's migrations are known to this code."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinasec.backups import database
from sinasec.incidents import IncidentStore
from sinasec.incidents.snapshot import is_empty


def stored_files(storage: Storage | None = None) -> Iterator[str]:
    """Every file in the storage, walked through its API (names with ``/``)."""
    storage = storage or default_storage

    def walk(prefix: str) -> Iterator[str]:
        try:
            folders, files = storage.listdir(prefix)
        except FileNotFoundError:  # a deployment that never stored a file
            return
        for name in sorted(files):
            yield posixpath.join(prefix, name) if prefix else name
        for folder in sorted(folders):
            yield from walk(posixpath.join(prefix, folder) if prefix else folder)

    return walk("")


def what_is_there(store: IncidentStore) -> list[str]:
    """Why the deployment is not empty (nothing: it is), one sentence per part."""
    found = []
    held = database.inventory()
    if held.tables:
        with_rows = {t: n for t, n in held.tables.items() if n}
        examples = ", ".join(f"{t} ({n})" for t, n in sorted(with_rows.items())[:5])
        found.append(
            ngettext(
                "the database has %(tables)d table, %(rows)d with rows%(examples)s, and "
                "%(migrations)d applied migrations",
                "the database has %(tables)d tables, %(rows)d with rows%(examples)s, and "
                "%(migrations)d applied migrations",
                len(held.tables),
            )
            % {
                "tables": len(held.tables),
                "rows": len(with_rows),
                "examples": f": {examples}" if examples else "",
                "migrations": held.applied,
            }
        )
    files = []
    for name in stored_files():
        files.append(name)
        if len(files) > 3:
            break
    if files:
        found.append(
            _("the file storage already holds files (%s)")
            % (", ".join(files[:3]) + (", …" if len(files) > 3 else ""))
        )
    if not is_empty(store):
        found.append(
            _("the incident store in %(dir)s already has data (version %(version)s)")
            % {"dir": store.root, "version": store.current_version() or "?"}
        )
    return found


def unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """The archive's last migrations that this code does not have (a newer release
    made it): the restored database would not match the code."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    apps = {app for app, _name in known}
    return [
        f"{app}.{name}"
        for app, name in sorted(migrations.items())
        if app in apps and (app, name) not in known
    ]
