"""Several app servers: two `sinasec serve` (granian) servers on two loopback ports, one PostgreSQL
database and one shared SINASEC_VAR_DIR. What one server writes, the other serves.

The servers cannot see pytest-django's test database (its rows are never committed), so
the deployment gets its own database, created and migrated here and dropped at the end.
Each check is its own test on the one module-wide deployment: a new cross-server check
(an acta downloaded through B, a worker's import visible to both) is one more function
using ``deployment``, ``DEPLOYMENT_USERS`` and the helpers below.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from sinasec.conftest import PASSWORD

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[3]
ACTA = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Created in the deployment's database (username: role and scope), password PASSWORD.
DEPLOYMENT_USERS = """
from sinasec.accounts.models import Role
from sinasec.committees.models import Committee
from sinasec.people.services import ensure_user_with_role
ensure_user_with_role(None, "sara.miraflores", Role.COMMITTEE_SECRETARY,
                      territory="150122", password="{password}")
ensure_user_with_role(None, "nadia.nacional", Role.NATIONAL_ADMIN, password="{password}")
print(json.dumps({{"committee": Committee.objects.get(level="district", ubigeo="150122").pk}}))
"""

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="several app servers share one PostgreSQL database (SQLite is one machine's file)",
)


@dataclass
class Deployment:
    database_url: str
    var_dir: Path
    a: str  # base URL of server A
    b: str  # base URL of server B
    committee: int  # the secretary's committee
    env: dict[str, str]  # the environment of both servers (and of a worker beside them)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _admin_url(database: str) -> str:
    db = settings.DATABASES["default"]
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{database}"


def _sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)


def _sinasec(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "sinasec"), *args], env=env, cwd=PROJECT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    # The production server as deployed (`sinasec serve`: granian), one worker process.
    server = subprocess.Popen(
        [str(BIN / "sinasec"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"the server on port {port} never answered")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    name = f"{settings.DATABASES['default']['NAME']}_two_servers"
    _sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _sql(f"CREATE DATABASE {name}")
    var_dir = tmp_path_factory.mktemp("shared_var")
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "SINASEC_DATABASE_URL": _admin_url(name),
        "SINASEC_VAR_DIR": str(var_dir),
        "SINASEC_DEBUG": "0",
        "SINASEC_SECRET_KEY": "two-servers-" + "s" * 52,
        # A write shows at once on the other server's cached pages (the refresh interval,
        # which delays that under a stream of writes, is tested in test_page_cache).
        "SINASEC_PAGE_REFRESH_SECONDS": "0",
    }
    servers: list[subprocess.Popen[bytes]] = []
    try:
        _sinasec(env, "migrate", "--no-input", "-v", "0")
        # The hashed static files the production server needs (each node builds its own).
        _sinasec(env, "collectstatic", "--no-input", "-v", "0", "--ignore", "ninja")
        script = "import json\n" + DEPLOYMENT_USERS.format(password=PASSWORD)
        made = json.loads(_sinasec(env, "shell", "-c", script).strip().splitlines()[-1])
        (server_a, a), (server_b, b) = _serve(env), _serve(env)
        servers += [server_a, server_b]
        yield Deployment(env["SINASEC_DATABASE_URL"], var_dir, a, b, made["committee"], env)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
        _sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(base: str, username: str) -> httpx.Client:
    """A browser-like client signed in through the sign-in form of ``base``."""
    client = httpx.Client(timeout=30)
    form = client.get(base + "/cuentas/ingresar/")
    done = client.post(
        base + "/cuentas/ingresar/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _token(form.text)},
    )
    assert done.status_code == 302, done.text[-500:]
    return client


def _pending_sworn(base: str) -> int:
    page = httpx.get(base + "/comites/cumplimiento/?indicador=sworn", timeout=30).text
    found = re.search(r'<h2>[^<(]*\((\d+)\)</h2>\s*<ul data-testid="pending">', page)
    assert found, "the pending list's heading is not on the page"
    return int(found.group(1))


def test_it_knows_on_b_a_user_who_signed_in_on_a(deployment: Deployment) -> None:
    client = sign_in(deployment.a, "sara.miraflores")
    page = client.get(f"{deployment.b}/comites/{deployment.committee}/")
    assert page.status_code == 200
    assert 'data-testid="who"' in page.text


def test_it_shows_on_b_a_swearing_in_recorded_with_its_acta_through_a(
    deployment: Deployment,
) -> None:
    pending_before = _pending_sworn(deployment.b)  # B has now cached the public page
    client = sign_in(deployment.a, "sara.miraflores")
    detail = client.get(f"{deployment.a}/comites/{deployment.committee}/")
    recorded = client.post(
        f"{deployment.a}/comites/{deployment.committee}/registrar/",
        data={
            "csrfmiddlewaretoken": _token(detail.text),
            "kind": "sworn",
            "date": "2026-01-15",
            "document": "Acta de juramentación 7-2026",
            "member-0-name": "Ana Pérez",
            "member-0-institution": "PNP",
        },
        files={"evidence": ("acta-7.pdf", ACTA, "application/pdf")},
    )
    assert recorded.status_code == 302

    page = client.get(f"{deployment.b}/comites/{deployment.committee}/").text
    assert "Acta de juramentación 7-2026" in page and "Ana Pérez" in page
    stored = list((deployment.var_dir / "media").rglob("*.pdf"))
    assert [p.read_bytes() for p in stored] == [ACTA]  # on the shared path, not A's disk

    # The acta itself, downloaded through B (the download view checks B's access rules).
    link = re.search(r'href="(/comites/\d+/eventos/\d+/evidencia/)"', page)
    assert link, "B's committee page links the acta"
    download = client.get(f"{deployment.b}{link.group(1)}")
    assert download.status_code == 200 and download.content == ACTA
    assert download.headers["content-disposition"].startswith("attachment")
    assert httpx.get(f"{deployment.b}{link.group(1)}").status_code == 302  # anonymous

    # B's cached public page follows within the generation interval (1 s by default).
    deadline = time.monotonic() + 10
    while _pending_sworn(deployment.b) != pending_before - 1:
        assert time.monotonic() < deadline, "B kept serving the page from before the write"
        time.sleep(0.2)


def _store_rows(client: httpx.Client, base: str) -> str:
    page = client.get(f"{base}/observatorio/importar/").text
    found = re.search(r'data-testid="store">([^<]*)<', page)
    assert found, "the import page does not say what the store holds"
    return found.group(1)


def test_it_shows_on_both_an_incident_import_finished_by_the_worker(
    deployment: Deployment,
) -> None:
    admin = sign_in(deployment.a, "nadia.nacional")
    form = admin.get(f"{deployment.a}/observatorio/importar/")
    assert "vac" in _store_rows(admin, deployment.b)  # "está vacío", seen through B
    rows = "\n".join(
        ["id,datetime,lat,lon,crime_type,ubigeo"]
        + [f"i{n},2024-05-{n % 28 + 1:02d} 10:00:00,-12.12,-77.03,robo,150122" for n in range(40)]
    )
    queued = admin.post(
        f"{deployment.a}/observatorio/importar/",
        data={"csrfmiddlewaretoken": _token(form.text)},
        files={"file": ("incidentes.csv", rows.encode(), "text/csv")},
    )
    assert queued.status_code == 302 and "/tareas/" in queued.headers["location"]

    # The worker: another process, reading the job and its file from the shared database
    # and storage, writing the store on the shared path.
    _sinasec(deployment.env, "worker", "--batch")

    job = admin.get(f"{deployment.b}{queued.headers['location']}").text
    assert "incidentes.csv" in job
    for base in (deployment.a, deployment.b):
        assert "40 incidentes" in _store_rows(admin, base), base
