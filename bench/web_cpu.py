"""Benchmark: the CPU each request of the mixed signed-in workload costs inside the app,
this tree against an earlier one (default: the commit before the signed-in speed work).

Absolute requests per second on a shared machine say more about the other work on it
than about the app; the CPU time a request takes in-process, and its SQL queries, do
not. This builds one PostgreSQL database on loopback with the demo and the cast of
``bench/web_load.py`` (secretaries, focal points, approvers, their sessions in the
session table), then, for each tree, measures in a fresh copy of it (``CREATE DATABASE
... TEMPLATE``), in a process of its own running that tree's code with DEBUG off: the
requests of ``web_load.py``'s mixed workload made through Django's test client with the
users' session cookies and CSRF tokens, a round of warm-up first, then REPEAT rounds.
Per kind of request it prints the median CPU time of the app process
(``time.process_time``: user + system, PostgreSQL's own work is another process), the
median wall time, the queries, and before/after ratios.

    python bench/web_cpu.py                  # this tree against BASELINE
    python bench/web_cpu.py --against REF    # against another commit
    python bench/web_cpu.py --profile KIND   # this tree only: cProfile of one kind
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from common import PROJECT, QueryCounter, setup_django

BASELINE = "6be6f47"  # main before the signed-in speed work (issue 11, mixed workload goal)
PG = os.environ.get("SINASEC_BENCH_PG", "postgres://sinasec:sinasec@127.0.0.1:5432/")
# Its own name per run that shares a PostgreSQL with another (SINASEC_BENCH_WEBCPU_DB).
TEMPLATE_DB = os.environ.get("SINASEC_BENCH_WEBCPU_DB", "sinasec_bench_webcpu")
REPEAT = int(os.environ.get("SINASEC_BENCH_REPEAT", "40"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KINDS = (
    "signed-in light page",
    "signed-in start page",
    "secretary: committee page",
    "secretary: record event",
    "focal point: report page",
    "focal point: submit month",
    "approver: review queue",
    "approver: approve",
    "public compliance (cached)",
)


# --- in the measuring process (one tree's code) ----------------------------------------


class Meter:
    """CPU ms, wall ms and queries of each request, by kind."""

    def __init__(self) -> None:
        self.samples: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        self.on = False

    def request(self, kind: str, call: Any, *args: Any) -> Any:
        with QueryCounter() as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            response = call(*args)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if self.on:
            self.samples[kind].append((cpu * 1000, wall * 1000, queries.count))
        return response


_clients: dict[str, Any] = {}


def client_for(session: str) -> Any:
    """One client per user, kept: a new one would load the middleware again (whitenoise
    scans the static files then), which a server does once per process."""
    from django.conf import settings
    from django.test import Client

    if session not in _clients:
        client = _clients[session] = Client(enforce_csrf_checks=True)
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
    return _clients[session]


def token(response: Any) -> str:
    found = CSRF.search(response.content.decode())
    assert response.status_code == 200 and found, response.status_code
    return found.group(1)


def expect_redirect(response: Any, kind: str) -> None:
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/cuentas/ingresar/" in location:
        errors = re.findall(r'field-error"[^>]*>([^<]+)<', response.content.decode())
        raise SystemExit(f"{kind}: {response.status_code} {location} {errors}")


def one_round(cast: dict[str, Any], n: int, meter: Meter) -> None:
    """Each user of the cast once: what ``web_load.py``'s users do in one step."""
    for name, committee, session in cast["secretaries"]:
        client = client_for(session)
        # The fixed cost every signed-in page pays (middleware, session, user, context
        # processors, base.html): a page whose own view is one small query.
        meter.request("signed-in light page", client.get, "/cuentas/yo/")
        meter.request("signed-in start page", client.get, "/")
        page = meter.request("secretary: committee page", client.get, f"/comites/{committee}/")
        form = {"csrfmiddlewaretoken": token(page), "date": date.today().isoformat()}
        form["document"] = f"cpu-{name}-{n}"
        if n % 4:
            form |= {"kind": "sworn", "member-0-name": f"M {n}", "member-0-institution": "PNP"}
        else:
            form |= {"kind": "secretary", "person": f"Secretaria {n}"}
        path = f"/comites/{committee}/registrar/"
        response = meter.request("secretary: record event", client.post, path, form)
        expect_redirect(response, "record event")
    plan = cast["plan"]
    for _name, session, slots in cast["focal_points"]:
        client = client_for(session)
        page = meter.request("focal point: report page", client.get, f"/planes/{plan}/reportar/")
        part, institution, month = slots.pop()
        form = {
            "csrfmiddlewaretoken": token(page),
            "part": part,
            "institution": institution,
            "month": month,
            "executed": month % 7 + 1,
            "comment": "carga de prueba",
            "submit": "1",
        }
        path = f"/planes/{plan}/reportar/guardar/"
        response = meter.request("focal point: submit month", client.post, path, form)
        expect_redirect(response, "submit month")
    for session in cast["approvers"]:
        approve_one(client_for(session), plan, meter)
    public = client_for("")
    meter.request("public compliance (cached)", public.get, "/comites/cumplimiento/")


def approve_one(client: Any, plan: int, meter: Meter) -> None:
    page = meter.request("approver: review queue", client.get, f"/planes/{plan}/revision/")
    text = page.content.decode()
    pending = re.findall(r'data-report="(\d+)"', text)
    if not pending:
        return
    path = f"/planes/{plan}/revision/{pending[0]}/"
    seen = re.search(rf'action="{re.escape(path)}">.*?name="version" value="(\d+)"', text, re.S)
    assert seen, "no version field on the review queue"
    form = {"csrfmiddlewaretoken": token(page), "action": "approve", "version": seen.group(1)}
    response = meter.request("approver: approve", client.post, path, form)
    expect_redirect(response, "approve")


def measure(cast: dict[str, Any], repeat: int, profile: str | None) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    # Hashed static files, as a node serves them (this tree's own).
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["ninja"])
    meter = Meter()
    one_round(cast, 0, meter)  # warm-up: imports, template compilation, first queries
    meter.on = True
    if profile:
        return profiled(cast, repeat, profile, meter)
    for n in range(1, repeat + 1):
        one_round(cast, n, meter)
    return {
        kind: {
            "cpu": statistics.median(s[0] for s in samples),
            "wall": statistics.median(s[1] for s in samples),
            "queries": statistics.median(s[2] for s in samples),
            "n": len(samples),
        }
        for kind, samples in meter.samples.items()
    }


def profiled(cast: dict[str, Any], repeat: int, kind: str, meter: Meter) -> dict[str, Any]:
    """cProfile of one kind of request only (the others run unprofiled)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for PostgreSQL
    plain = meter.request

    def request(this_kind: str, call: Any, *args: Any) -> Any:
        if this_kind != kind:
            return plain(this_kind, call, *args)
        profiler.enable()
        try:
            return call(*args)
        finally:
            profiler.disable()

    meter.request = request  # type: ignore[method-assign]
    for n in range(1, repeat + 1):
        one_round(cast, n, meter)
    out = Path(os.environ["SINASEC_VAR_DIR"]).parent / "profile.txt"
    with open(out, "w") as stream:
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
    return {"profile": out.read_text()}


# --- in the driving process -------------------------------------------------------------


def settings_env(database_url: str, var_dir: Path, tree: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DJANGO_SETTINGS_MODULE": "sinasec.settings",
        "SINASEC_DATABASE_URL": database_url,
        "SINASEC_VAR_DIR": str(var_dir),
        "SINASEC_DEBUG": "0",
        "SINASEC_SECRET_KEY": "bench-" + "k" * 58,
        "SINASEC_ALLOWED_HOSTS": "testserver",
    }


def pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        connection.execute(sql)


def build_template(folder: Path, reuse: bool) -> dict[str, Any]:
    """The demo and web_load's cast in a database the measured copies are made from
    (kept, with the cast beside this file's folder, with --reuse)."""
    from web_load import create_cast

    kept = PROJECT / "var" / f"{TEMPLATE_DB}.json"
    if reuse and kept.exists():
        return json.loads(kept.read_text())  # type: ignore[no-any-return]
    pg(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
    pg(f"CREATE DATABASE {TEMPLATE_DB}")
    os.environ.update(settings_env(PG + TEMPLATE_DB, folder / "var", PROJECT))
    setup_django(folder, PG + TEMPLATE_DB)
    from django.core.management import call_command
    from django.db import connections

    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)
    cast = create_cast()
    connections.close_all()
    found = {
        "plan": cast.plan,
        "secretaries": cast.secretaries,
        "focal_points": cast.focal_points,
        "approvers": cast.approvers,
    }
    if reuse:
        kept.parent.mkdir(exist_ok=True)
        kept.write_text(json.dumps(found))
    return found


def checkout(ref: str, folder: Path) -> Path:
    """The code of ``ref`` (git archive: no worktree left behind)."""
    tree = folder / f"tree-{ref}"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "archive", ref, "sinasec"], cwd=PROJECT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run_tree(tree: Path, name: str, cast: dict[str, Any], folder: Path, profile: str | None):  # type: ignore[no-untyped-def]
    copy = f"{TEMPLATE_DB}_{name}"
    pg(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
    pg(f"CREATE DATABASE {copy} TEMPLATE {TEMPLATE_DB}")
    try:
        (folder / "cast.json").write_text(json.dumps(cast))
        command = [sys.executable, __file__, "--measure", str(folder / "cast.json")]
        if profile:
            command += ["--profile", profile]
        env = settings_env(PG + copy, folder / f"var-{name}", tree)
        # The request log (one line a request, as deployed) goes to a file.
        with open(folder / f"{name}.log", "wb") as log:
            done = subprocess.run(command, env=env, cwd=tree, stdout=subprocess.PIPE, stderr=log)
        if done.returncode:
            raise SystemExit((folder / f"{name}.log").read_text()[-3000:])
        return json.loads(done.stdout.decode().strip().splitlines()[-1])
    finally:
        pg(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")


def report(before: dict[str, Any], after: dict[str, Any], ref: str) -> None:
    print(f"\n  median per request, {REPEAT} rounds; before = {ref}, after = this tree")
    print(
        f"  {'request':30} {'CPU ms before':>13} {'after':>7} {'ratio':>6}"
        f" {'queries before':>15} {'after':>6}  {'wall ms after':>13}"
    )
    cpu_before = cpu_after = 0.0
    for kind in KINDS:
        if kind not in after or kind not in before:
            continue
        b, a = before[kind], after[kind]
        if not kind.startswith("public"):
            cpu_before += b["cpu"]
            cpu_after += a["cpu"]
        print(
            f"  {kind:30} {b['cpu']:13.1f} {a['cpu']:7.1f} {b['cpu'] / a['cpu']:5.1f}x"
            f" {b['queries']:15.0f} {a['queries']:6.0f}  {a['wall']:13.1f}"
        )
    print(
        f"  signed-in mix, one of each: {cpu_before:.1f} -> {cpu_after:.1f} ms CPU "
        f"({cpu_before / cpu_after:.1f}x); 2 cores at that rate: "
        f"{2 * 7000 / cpu_before:.0f} -> {2 * 7000 / cpu_after:.0f} signed-in req/s "
        "(app process only)"
    )


def load_average() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--profile", choices=KINDS, help="cProfile one kind (this tree)")
    parser.add_argument("--reuse", action="store_true", help="keep the demo database")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        cast = json.loads(Path(options.measure).read_text())
        print(json.dumps(measure(cast, REPEAT, options.profile)))
        return
    print(
        f"  {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {load_average()} at the start"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            cast = build_template(folder, options.reuse)
            print(f"  demo and cast in {TEMPLATE_DB} ({time.perf_counter() - started:.0f} s)")
            if options.profile:
                print(run_tree(PROJECT, "after", cast, folder, options.profile)["profile"])
                return
            before = run_tree(checkout(options.against, folder), "before", cast, folder, None)
            after = run_tree(PROJECT, "after", cast, folder, None)
        finally:
            if not options.reuse:
                from django.db import connections

                connections.close_all()
                pg(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)")
    report(before, after, options.against)
    print(f"  whole bench {time.perf_counter() - started:.0f} s; {load_average()} at the end")


if __name__ == "__main__":
    main()
