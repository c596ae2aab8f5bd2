"""PostgreSQL is dumped by pg_dump with the password in its environment, never on
its command line (where ``ps`` shows it to every user of the machine)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from sinasec.backups import database
from sinasec.backups.tests.helpers import is_postgres

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_it_gives_pg_dump_the_password_in_its_environment_only(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not is_postgres():
        pytest.skip("PostgreSQL only: SQLite is copied through the sqlite3 backup API")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INCIDENTS_DIR = tmp_path / "incidents"
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def recording_run(command: list[str], **kwargs: Any) -> Any:
        calls.append((command, kwargs["env"]))
        return real_run(command, **kwargs)

    monkeypatch.setattr(database.subprocess, "run", recording_run)
    call_command("backup", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    password = connection.settings_dict["PASSWORD"]
    dump = [(c, env) for c, env in calls if c[0] == "pg_dump" and "--format=custom" in c]
    assert len(dump) == 1
    command, env = dump[0]
    assert env["PGPASSWORD"] == password
    # Only these options: no connection string, no -W, nothing carrying the password
    # (the test role's password is also a word in the temporary path, so compare shapes).
    assert command[:2] == ["pg_dump", "--format=custom"]
    assert [part.split("=", 1)[0] for part in command[2:]] == ["--snapshot", "--file"]
    assert all("://" not in part and "password" not in part.lower() for part in command)
