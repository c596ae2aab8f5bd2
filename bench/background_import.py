"""Benchmark: a 10-million-row incident file imported from the web page by the
background worker, while the site keeps answering.

In a temporary folder (``SINASEC_VAR_DIR``, SQLite database, media, incident store):
generates 10 million synthetic incidents (``incidents.synthetic``, the generator of
``bench/incidents_store.py``) as a CSV, starts the production server (granian on
loopback, 2 workers) and ``sinasec worker``, signs in as a national administrator,
and measures:

- the latency of two pages (``/observatorio/`` and a job page) with nothing running:
  p50 and p95 over a fixed number of sequential requests;
- the same pages while the big file is uploaded through ``/observatorio/importar/`` and
  the worker imports it, polled until the job ends; printed beside the first as a ratio;
- the import's rows per second in the worker (the job's start to its end) and end to
  end (upload started to job finished), beside the same file imported directly in this
  process afterwards, with the servers idle.

    python bench/background_import.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from common import PROJECT, percentile, setup_django

ROWS = 10_000_000
SEED = 20
START, END = date(2015, 1, 1), date(2024, 12, 31)
BASELINE_REQUESTS = 60  # per page
PAUSE_S = 0.1  # between two measured requests: a person clicking, not a load test
PASSWORD = "Bench-SINASEC-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(PROJECT),
        DJANGO_SETTINGS_MODULE="sinasec.settings",
        SINASEC_VAR_DIR=str(folder / "var"),
        SINASEC_DATABASE_URL=os.environ["SINASEC_DATABASE_URL"],
        # The file is ~0.6 GB: the upload limit raised for it, as an operator importing
        # national files from the page would.
        SINASEC_MAX_UPLOAD_MB="4096",
        # The production server refuses the built-in key with DEBUG off.
        SINASEC_SECRET_KEY="bench-background-import-" + "k" * 40,
    )
    return env


def start(folder: Path, port: int) -> list[subprocess.Popen[bytes]]:
    bin_dir = Path(sys.executable).parent
    env = child_env(folder)
    logs = folder / "logs"
    logs.mkdir()
    # The hashed static files the production server needs, then the server as deployed.
    subprocess.run(
        [str(bin_dir / "sinasec"), "collectstatic", "--no-input", "-v", "0", "--ignore", "ninja"],
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(bin_dir / "sinasec"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-access-log",
        ],
        env=env,
        stdout=(logs / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "sinasec"), "worker", "--interval", "0.5"],
        env=env,
        stdout=(logs / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    return [server, worker]


def wait_up(base: str) -> None:
    import httpx

    for _ in range(300):
        try:
            if httpx.get(base + "/cuentas/ingresar/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start (see logs)")


def signed_in(base: str) -> Any:
    import httpx

    client = httpx.Client(base_url=base, timeout=600)
    client.get("/cuentas/ingresar/")
    response = client.post(
        "/cuentas/ingresar/",
        data={
            "username": "admin.bench",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
        headers={"Referer": base + "/cuentas/ingresar/"},
    )
    assert response.status_code == 302, response.status_code
    return client


def upload(client: Any, path: Path) -> int:
    """Post the file to the import page; the job id from the redirect."""
    with path.open("rb") as handle:
        response = client.post(
            "/observatorio/importar/",
            data={"csrfmiddlewaretoken": client.cookies["csrftoken"]},
            files={"file": (path.name, handle, "text/csv")},
            headers={"Referer": str(client.base_url) + "/observatorio/importar/"},
        )
    assert response.status_code == 302, (response.status_code, response.text[:500])
    return int(response.headers["location"].rstrip("/").split("/")[-1])


def job_state(client: Any, job_id: int) -> dict[str, Any]:
    return client.get(f"/api/v1/jobs/{job_id}").json()


def wait_job(client: Any, job_id: int, limit_s: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        state = job_state(client, job_id)
        if state["finished"]:
            return state
        time.sleep(0.5)
    raise SystemExit(f"job {job_id} did not finish in {limit_s:.0f} s")


def measure(client: Any, urls: list[str], rounds: int) -> dict[str, Any]:
    """Sequential GETs of ``urls`` in turn, ``rounds`` times, with nothing running."""
    times: dict[str, list[float]] = {url: [] for url in urls}
    errors = 0
    for _ in range(rounds):
        for url in urls:
            started = time.perf_counter()
            status = client.get(url).status_code
            times[url].append((time.perf_counter() - started) * 1000)
            errors += status != 200
            time.sleep(PAUSE_S)
    return {"times": times, "errors": errors}


def p(values: list[float], q: float) -> float:
    return percentile(values, q) if values else float("nan")


def make_admin() -> None:
    from sinasec.accounts.models import Role
    from sinasec.people.services import ensure_user_with_role

    ensure_user_with_role(None, "admin.bench", Role.NATIONAL_ADMIN, password=PASSWORD)


def make_files(folder: Path, rows: int) -> tuple[Path, Path, float]:
    from django.conf import settings

    from sinasec.incidents import synthetic
    from sinasec.observatory.synthetic import shipped_districts

    districts = shipped_districts(Path(settings.SHARED_DATA_DIR) / "ubigeo_inei_2025.csv")
    started = time.perf_counter()
    table = synthetic.generate(rows, SEED, START, END, districts=districts)
    big = folder / "incidentes-10m.csv"
    synthetic.write_csv(table, big)
    small = folder / "incidentes-pequeno.csv"
    synthetic.write_csv(synthetic.generate(1_000, SEED + 1, START, END, districts=districts), small)
    del table
    return big, small, time.perf_counter() - started


def direct_import(path: Path) -> float:
    """Seconds to import ``path`` into a fresh store in this process, as the worker's
    service does (the same ubigeo check), with nothing else running: the comparison."""
    from django.conf import settings

    from sinasec.incidents import IncidentStore
    from sinasec.observatory.selectors import district_codes

    store = IncidentStore(Path(settings.VAR_DIR) / "direct-store")
    started = time.perf_counter()
    store.import_file(path, known_districts=district_codes())
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="incidents in the big file")
    args = parser.parse_args()
    bench_started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sinasec-bench-jobs-") as tmp:
        folder = Path(tmp)
        os.environ["SINASEC_VAR_DIR"] = str(folder / "var")
        setup_django(folder)
        make_admin()
        big, small, made_s = make_files(folder, args.rows)
        size_mb = big.stat().st_size / 1e6
        print(
            f"file: {args.rows:,} rows, {size_mb:,.0f} MB CSV (made in {made_s:.1f} s, not counted)"
        )
        port = free_port()
        processes = start(folder, port)
        try:
            return run(f"http://127.0.0.1:{port}", big, small, args.rows, bench_started)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def run(base: str, big: Path, small: Path, rows: int, bench_started: float) -> int:
    wait_up(base)
    client = signed_in(base)
    # A small import first, so a finished job page exists to measure with nothing running.
    small_state = wait_job(client, upload(client, small))
    assert small_state["status"] == "succeeded", small_state
    idle = measure(client, ["/observatorio/", f"/tareas/{small_state['id']}/"], BASELINE_REQUESTS)

    stop = threading.Event()
    busy: dict[str, Any] = {}
    holder: dict[str, int] = {}

    def measure_while_busy() -> None:
        # The job page of the big job once it exists; until then the small one's.
        measured = signed_in(base)
        result: dict[str, Any] = {"times": {"/observatorio/": [], "job": []}, "errors": 0}
        while not stop.is_set():
            job_url = f"/tareas/{holder.get('id', small_state['id'])}/"
            for key, url in (("/observatorio/", "/observatorio/"), ("job", job_url)):
                started = time.perf_counter()
                status = measured.get(url).status_code
                result["times"][key].append((time.perf_counter() - started) * 1000)
                result["errors"] += status != 200
                time.sleep(PAUSE_S)
        busy.update(result)

    thread = threading.Thread(target=measure_while_busy)
    thread.start()
    upload_started = time.monotonic()
    try:
        holder["id"] = upload(client, big)
        uploaded_s = time.monotonic() - upload_started
        state = wait_job(client, holder["id"])
    finally:
        stop.set()
        thread.join()
    total_s = time.monotonic() - upload_started
    assert state["status"] == "succeeded", state["error"]
    counts = state["result"]["counts"]
    assert counts["rows"] == rows, counts
    from datetime import datetime

    worker_s = (
        datetime.fromisoformat(state["finished_at"]) - datetime.fromisoformat(state["started"])
    ).total_seconds()

    direct_s = direct_import(big)
    print(
        f"upload through /observatorio/importar/: {uploaded_s:.1f} s; "
        f"import in the worker: {worker_s:.1f} s = {rows / worker_s:,.0f} rows/s; "
        f"upload + queue + import: {total_s:.1f} s = {rows / total_s:,.0f} rows/s; "
        f"the same file imported directly afterwards (no server, no requests): "
        f"{direct_s:.1f} s = {rows / direct_s:,.0f} rows/s"
    )
    idle_times = idle["times"]
    pairs = [
        ("/observatorio/", idle_times["/observatorio/"], busy["times"]["/observatorio/"]),
        ("job page", idle_times[f"/tareas/{small_state['id']}/"], busy["times"]["job"]),
    ]
    print(
        f"{'page':<16}{'idle p50':>10}{'p95':>9}{'busy p50':>11}{'p95':>9}{'p95 ratio':>11}{'n busy':>8}"
    )
    for name, quiet, loaded in pairs:
        ratio = p(loaded, 95) / p(quiet, 95)
        print(
            f"{name:<16}{p(quiet, 50):>8.1f}ms{p(quiet, 95):>7.1f}ms"
            f"{p(loaded, 50):>9.1f}ms{p(loaded, 95):>7.1f}ms{ratio:>10.2f}x{len(loaded):>8}"
        )
    print(
        f"errors: idle {idle['errors']}, during the import {busy['errors']}; "
        f"load average {os.getloadavg()[0]:.1f}; bench {time.perf_counter() - bench_started:.0f} s"
    )
    return 0 if busy["errors"] == 0 and idle["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
