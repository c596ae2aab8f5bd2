"""Settings that refuse to be unsafe: `check --deploy` with the README's production
variables reports nothing; with debug off, the server and the WSGI application refuse
the built-in key; `serve --demo` makes its own key and stays on loopback."""

from __future__ import annotations

import os
import re
import secrets
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from sinasec.core.deploy import secret_key_problem
from sinasec.core.management.commands.serve import (
    require_loopback,
    supervise,
    use_demo_secret_key,
)

README = Path(__file__).resolve().parents[3] / "README.md"
REFUSAL = "SINASEC se niega a iniciar con SINASEC_DEBUG desactivado"


def good_key() -> str:
    return secrets.token_urlsafe(48)


def readme_production_variables() -> dict[str, str]:
    """The `export SINASEC_...=...` lines of the README's "Deploying" section."""
    section = README.read_text(encoding="utf-8").split("## Deploying", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^export (SINASEC_[A-Z_]+)=(\S+)", section, flags=re.MULTILINE)
    return {name: value.strip("\"'") for name, value in found}


def sinasec(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sinasec.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# What a test run sets (the browser tests allow sync calls from async code) but a
# deployment does not.
NOT_IN_DEPLOYMENT = {"SINASEC_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def server_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_DEPLOYMENT}
    env.update(SINASEC_DEBUG="0", SINASEC_VAR_DIR=str(tmp_path), **overrides)
    return env


def test_it_passes_the_deploy_check_with_the_documented_production_variables(
    tmp_path: Path,
) -> None:
    documented = readme_production_variables()
    assert {"SINASEC_DEBUG", "SINASEC_SECRET_KEY", "SINASEC_HTTPS"} <= set(documented)
    # The README's secret and database are placeholders: a real key, this test's database.
    documented.update(SINASEC_SECRET_KEY=good_key(), SINASEC_VAR_DIR=str(tmp_path))
    documented.pop("SINASEC_DATABASE_URL", None)
    result = sinasec("check", "--deploy", env={**server_env(tmp_path), **documented})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_it_fails_the_deploy_check_with_the_built_in_key(tmp_path: Path) -> None:
    result = sinasec("check", "--deploy", env=server_env(tmp_path))
    assert result.returncode != 0
    assert "sinasec.E001" in result.stderr


def test_it_refuses_to_load_the_wsgi_application_with_the_built_in_key(tmp_path: Path) -> None:
    load = [sys.executable, "-c", "import sinasec.wsgi"]
    refused = subprocess.run(load, env=server_env(tmp_path), capture_output=True, text=True)
    assert refused.returncode != 0
    assert REFUSAL in refused.stderr
    assert "SINASEC_SECRET_KEY" in refused.stderr
    env = server_env(tmp_path, SINASEC_SECRET_KEY=good_key())
    loaded = subprocess.run(load, env=env, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr


def test_it_refuses_to_serve_with_the_built_in_key(tmp_path: Path) -> None:
    result = sinasec("serve", "--bind", "127.0.0.1:1", env=server_env(tmp_path))
    assert result.returncode != 0
    assert REFUSAL in result.stderr


def test_it_calls_short_or_repetitive_keys_weak(settings) -> None:
    assert secret_key_problem(settings.DEFAULT_SECRET_KEY)
    assert secret_key_problem("x" * 80)
    assert secret_key_problem(good_key()[:40])
    assert secret_key_problem(good_key()) is None


def test_it_makes_the_demo_key_once_readable_only_by_its_owner(
    settings, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SINASEC_SECRET_KEY", "restored after the test")
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    path = tmp_path / "secret_key"
    use_demo_secret_key(path)
    key = settings.SECRET_KEY
    assert len(key) == 64 and secret_key_problem(key) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.environ["SINASEC_SECRET_KEY"] == key  # what the server and worker inherit
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    use_demo_secret_key(path)
    assert key == settings.SECRET_KEY  # kept across restarts: sessions survive


@pytest.mark.parametrize("bind", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_it_lets_the_demo_listen_on_loopback(bind: str) -> None:
    require_loopback(bind)


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "192.168.1.5:8000", "[::]:8000"])
def test_it_keeps_the_demo_off_the_network(bind: str) -> None:
    with pytest.raises(CommandError, match=r"127\.0\.0\.1"):
        require_loopback(bind)


def test_it_stops_the_task_worker_when_the_server_stops(tmp_path: Path) -> None:
    pid_file = tmp_path / "worker.pid"
    worker = [
        sys.executable,
        "-c",
        f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)",
    ]
    server = [sys.executable, "-c", "import time, sys; time.sleep(2); sys.exit(3)"]
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        assert supervise(server, worker) == 3
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("the task worker outlived the server")
