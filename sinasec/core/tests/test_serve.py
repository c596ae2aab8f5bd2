"""The real production server: `sinasec serve --with-worker` (granian and the task
worker) on a free loopback port, with debug off, against a temporary SQLite database
migrated here and the static files collected here: health, readiness, a page in Spanish,
a hashed static file compressed by whitenoise with a far-future Cache-Control; a clean
stop on SIGTERM that takes the worker with it."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """Status, headers (looked up case-insensitively: granian sends them in lower case,
    as HTTP allows) and body."""
    request = urllib.request.Request(url, headers={"Accept-Language": "es-PE", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def sinasec(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "sinasec.cli", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SINASEC_")}
    env.update(
        SINASEC_VAR_DIR=str(var),
        SINASEC_DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        SINASEC_DEBUG="0",
        SINASEC_SECRET_KEY=secrets.token_urlsafe(48),
    )
    sinasec(env, "migrate", "--no-input", "--verbosity", "0")
    # Without the API docs' bundles (megabytes to compress; the docs page is not under test).
    sinasec(env, "collectstatic", "--no-input", "--verbosity", "0", "--ignore", "ninja")
    base = f"http://127.0.0.1:{free_port()}"
    log = (var / "serve.log").open("w")
    serve = ["serve", "--bind", base[7:], "--workers", "2", "--with-worker"]
    process = subprocess.Popen(
        [sys.executable, "-m", "sinasec.cli", *serve],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the server did not start: {(var / 'serve.log').read_text()}")
        yield base
        workers = task_workers(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=40)
        log.close()
    assert returncode == 0, (var / "serve.log").read_text()
    assert len(workers) == 1, "no task worker ran beside the server"
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "the worker outlived it"


def task_workers(parent: int) -> list[int]:
    """The `sinasec worker` processes started by ``parent`` (read from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = int(status.read_text().split("PPid:")[1].split()[0])
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and command[-3:-1] == [b"sinasec.cli", b"worker"]:
            found.append(int(status.parent.name))
    return found


def test_it_answers_health_and_readiness(server: str) -> None:
    status, _, body = get(server + "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, _, body = get(server + "/readyz")
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"


def test_it_serves_a_page_in_spanish(server: str) -> None:
    status, headers, body = get(server + "/")
    assert status == 200
    assert len(headers["X-Request-ID"]) == 32
    text = body.decode()
    assert 'lang="es-pe"' in text and ">Territorios</a>" in text


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_it_serves_hashed_static_files_compressed_and_cached_for_good(
    server: str, encoding: str
) -> None:
    page = get(server + "/")[2].decode()
    match = re.search(r'href="(/static/sinasec/sinasec\.[0-9a-f]{12}\.css)"', page)
    assert match, "the page does not link the hashed stylesheet"
    status, headers, body = get(server + match.group(1), **{"Accept-Encoding": encoding})
    assert status == 200
    assert headers["Content-Encoding"] == encoding
    assert "immutable" in headers["Cache-Control"]
    max_age = re.search(r"max-age=(\d+)", headers["Cache-Control"])
    assert max_age and int(max_age.group(1)) >= 31_536_000
    plain = get(server + match.group(1))[2]
    assert 0 < len(body) < len(plain)
