"""Run the commands as an operator would (a separate process, its own settings), and
read a deployment's tables and files to compare two of them."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

PROJECT = Path(__file__).resolve().parents[3]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def sinasec(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    """``sinasec ARGS`` in a new process on the given database and folders (the
    incident store and uploads under ``var_dir``, as in a default deployment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINASEC_", "PG"))}
    env.update(
        SINASEC_DATABASE_URL=database_url,
        SINASEC_VAR_DIR=str(var_dir),
        # Named too, in case their defaults ever leave the var folder.
        SINASEC_MEDIA_DIR=str(var_dir / "media"),
        SINASEC_INCIDENTS_DIR=str(var_dir / "incidents"),
        PYTHONPATH=str(PROJECT),
    )
    return subprocess.run(
        [sys.executable, "-m", "sinasec.cli", *args],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the engine under test (PostgreSQL: created
    with the test role, which has CREATEDB, and dropped after)."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"sinasec_restore_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect("postgres")
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        password = quote(str(settings["PASSWORD"] or ""), safe="")
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        yield f"postgres://{quote(settings['USER'])}:{password}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _pg_connect(name: str) -> Any:
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        user=s["USER"],
        password=s["PASSWORD"],
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        autocommit=True,
    )


def row_counts(database_url: str) -> dict[str, int]:
    """Rows per table of the database at ``database_url``, read directly."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        if not Path(path).exists():
            return {}
        con = sqlite3.connect(path)
        try:
            names = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        finally:
            con.close()
    pg = _pg_connect(database_url.rsplit("/", 1)[1])
    try:
        names = [
            r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {n: pg.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        pg.close()


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative name."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }
