"""The database half of a backup, through each engine's own tool: ``pg_dump`` /
``pg_restore`` for PostgreSQL, the sqlite3 backup API for SQLite.

A dump and its inventory (row counts per table, the last migration of every app) come
from the same consistent snapshot: on PostgreSQL a REPEATABLE READ transaction exports
its snapshot to ``pg_dump --snapshot``, on SQLite they are read from the copy itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections, transaction
from django.utils.translation import gettext as _

from sinasec.backups.errors import BackupFailed

ENGINES = {"django.db.backends.postgresql": "postgresql", "django.db.backends.sqlite3": "sqlite"}
MEMBER = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


@dataclass(frozen=True)
class Inventory:
    tables: dict[str, int]  # rows per table
    migrations: dict[str, str]  # app label -> name of its last applied migration

    @property
    def applied(self) -> int:
        return self.tables.get("django_migrations", 0)


def engine(alias: str = "default") -> str:
    name = connections[alias].settings_dict["ENGINE"]
    if name not in ENGINES:
        raise BackupFailed(_("the database engine %s is not supported by backups") % name)
    return ENGINES[name]


def dump(target: Path, alias: str = "default") -> Inventory:
    """Write the database to ``target`` and return what it holds."""
    if engine(alias) == "sqlite":
        return _sqlite_dump(target, alias)
    return _postgres_dump(target, alias)


def inventory(alias: str = "default") -> Inventory:
    """What the database holds now (the emptiness check before a restore, the count
    check after it)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _inventory(cursor, tables, connection.ops.quote_name)


def restore(source: Path, alias: str = "default") -> None:
    """Load a dump into the (empty) database: all of it or, on any error, nothing."""
    if engine(alias) == "sqlite":
        _sqlite_restore(source, alias)
    else:
        _postgres_restore(source, alias)


def client_version(alias: str = "default") -> str:
    if engine(alias) == "sqlite":
        return f"sqlite {sqlite3.sqlite_version}"
    return _run(["pg_dump", "--version"], alias).strip()


# inventory


def _inventory(cursor: Any, tables: list[str], quote: Any) -> Inventory:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations[app] = max(name, migrations.get(app, ""))
    return Inventory(counts, dict(sorted(migrations.items())))


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# SQLite


def _sqlite_dump(target: Path, alias: str) -> Inventory:
    connection = connections[alias]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # a consistent copy, even while others write
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _inventory(cursor, tables, _quote_sqlite)
    finally:
        copy.close()


def _sqlite_restore(source: Path, alias: str) -> None:
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupFailed(_("cannot restore into the in-memory SQLite database %s") % name)
    connection.close()
    target = Path(name)
    pending = target.with_name(f".{target.name}.restoring")
    try:
        shutil.copyfile(source, pending)
        with open(pending, "rb+") as handle:
            os.fsync(handle.fileno())
        for journal in ("-wal", "-shm", "-journal"):  # an empty database's leftovers
            Path(name + journal).unlink(missing_ok=True)
        os.replace(pending, target)  # the old (empty) file or the whole copy, never half
    finally:
        pending.unlink(missing_ok=True)


# PostgreSQL


def _pg_environment(alias: str) -> dict[str, str]:
    """libpq's variables for the connection: the password never on a command line."""
    settings = connections[alias].settings_dict
    options = settings.get("OPTIONS") or {}
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: str(v) for k, v in values.items() if v})
    env["PGAPPNAME"] = "sinasec-backup"
    return env


def _run(command: list[str], alias: str) -> str:
    try:
        done = subprocess.run(
            command, env=_pg_environment(alias), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupFailed(
            _(
                "%s was not found: install PostgreSQL's client programs "
                "(Debian: apt-get install postgresql-client)"
            )
            % command[0]
        ) from None
    if done.returncode != 0:
        raise BackupFailed(
            _("%(tool)s failed: %(error)s") % {"tool": command[0], "error": done.stderr.strip()}
        )
    return done.stdout


@contextlib.contextmanager
def _snapshot(alias: str) -> Iterator[tuple[str, Any]]:
    """A REPEATABLE READ transaction and the id of its exported snapshot."""
    connection = connections[alias]
    if connection.in_atomic_block:  # the snapshot must be a transaction of its own
        raise BackupFailed(_("a backup cannot run inside a database transaction"))
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0], cursor


def _postgres_dump(target: Path, alias: str) -> Inventory:
    connection = connections[alias]
    with _snapshot(alias) as (snapshot, cursor):
        tables = connection.introspection.table_names(cursor)
        found = _inventory(cursor, tables, connection.ops.quote_name)
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            alias,
        )
    return found


def _postgres_restore(source: Path, alias: str) -> None:
    connections[alias].close()
    name = str(connections[alias].settings_dict["NAME"])
    _run(
        [
            "pg_restore",
            "--no-owner",  # the target's role owns everything, whoever made the dump
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",  # a failure leaves the database as empty as it was
            f"--dbname={name}",
            str(source),
        ],
        alias,
    )
