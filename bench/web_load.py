"""Benchmark: the web app under load, ``sinasec serve`` (granian) against ``runserver``,
on PostgreSQL.

Creates a throwaway PostgreSQL database on loopback (``SINASEC_BENCH_PG``, default
``postgres://sinasec:sinasec@127.0.0.1:5432/``; the role needs CREATEDB), migrates it,
loads the demo (``sinasec demo``), creates signed-in users (committee secretaries, focal
points, approvers: their sessions written straight to the session table, so no password
hashing is timed), then for each server, ``sinasec serve`` as deployed (granian: one
worker process per core, SINASEC_WEB_THREADS threads each) and ``sinasec runserver``
(threaded, --noreload), with DEBUG off and the same settings:

(a) anonymous visitors on the public observatory and compliance pages, with the filters
    people use (cached pages; each server is warmed up first, not measured: every page
    visited a few times one at a time, then 3 s of the same load);
(b) the mixed workload: secretaries opening their committee and recording a swearing-in
    or a secretary's accreditation, focal points opening their report page and
    submitting a month, approvers opening the review queue and approving, and
    anonymous visitors browsing the same public pages (after 3 s of warm-up).

Prints per kind of request the rate, p50/p95/p99 and errors, the serve/runserver
ratio, /readyz latency (when the endpoint exists), and the lost writes: every write the
server acknowledged (a 302 back to its page) looked up in the database afterwards.

    python bench/web_load.py
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from common import PROJECT, percentile, setup_django
from loadgen import Client, Recorder, csrf_token, print_summary, run_phase, summary_rows

PG = os.environ.get("SINASEC_BENCH_PG", "postgres://sinasec:sinasec@127.0.0.1:5432/")
DATABASE = "sinasec_bench_web"
SECONDS = float(os.environ.get("SINASEC_BENCH_SECONDS", "20"))
WARM_UP = 3.0
BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 1
SERVER = "granian"
PUBLIC_USERS = 32
SECRETARIES, FOCAL_POINTS, APPROVERS, VISITORS = 10, 4, 2, 8
GOALS = {"public": (1000.0, 100.0), "mixed": (200.0, 300.0)}  # req/s at least, p99 ms under

PUBLIC_PATHS = [
    "/",
    "/observatorio/",
    *(f"/observatorio/?anio={y}&nivel=department" for y in (2005, 2006, 2007, 2008)),
    "/observatorio/?anio=2008&nivel=department&medida=rate",
    "/observatorio/?anio=2008&nivel=province&territorio=15",
    "/observatorio/?anio=2008&nivel=district&territorio=15&medida=rate",
    "/comites/cumplimiento/",
    "/comites/cumplimiento/?fecha=2009-12-11",
    "/comites/cumplimiento/?fecha=2009-12-11&indicador=sworn",
    "/comites/cumplimiento/?fecha=2009-12-11&indicador=plan&anio_plan=2009",
    *(f"/comites/cumplimiento/?fecha=2009-12-11&region={r}" for r in ("15", "07", "04", "13")),
    "/comites/cumplimiento/?region=15&indicador=secretary",
]


def public_kind(path: str) -> str:
    if path == "/":
        return "public start page"
    return "public observatory" if path.startswith("/observatorio") else "public compliance"


# --- the users ------------------------------------------------------------------------


@dataclass
class Acknowledged:
    """Writes the server acknowledged, to look up in the database after the run."""

    documents: set[str] = field(default_factory=set)
    months: set[tuple[int, int, int]] = field(default_factory=set)
    approvals: set[int] = field(default_factory=set)


class Visitor:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    async def step(self, client: Client) -> None:
        path = self.random.choice(PUBLIC_PATHS)
        await client.request(public_kind(path), "GET", path)


class Secretary:
    def __init__(self, name: str, committee_id: int, acks: Acknowledged, tag: str) -> None:
        self.name, self.committee, self.acks, self.tag, self.n = name, committee_id, acks, tag, 0

    async def step(self, client: Client) -> None:
        page = await client.request(
            "secretary: committee page", "GET", f"/comites/{self.committee}/"
        )
        token = page and csrf_token(page.text)
        if not token:
            return
        self.n += 1
        document = f"bench-{self.tag}-{self.name}-{self.n}"
        form = {
            "csrfmiddlewaretoken": token,
            "date": date.today().isoformat(),
            "document": document,
        }
        if self.n % 4:
            form |= {
                "kind": "sworn",
                "member-0-name": f"Miembro {self.n}",
                "member-0-institution": "PNP",
            }
        else:
            form |= {"kind": "secretary", "person": f"Secretaria {self.n}"}
        path = f"/comites/{self.committee}/registrar/"
        if await client.request("secretary: record event", "POST", path, (302,), data=form):
            self.acks.documents.add(document)


class FocalPoint:
    def __init__(self, plan: int, slots: list[tuple[int, int, int]], acks: Acknowledged) -> None:
        self.plan, self.slots, self.acks = plan, slots, acks

    async def step(self, client: Client) -> None:
        page = await client.request(
            "focal point: report page", "GET", f"/planes/{self.plan}/reportar/"
        )
        token = page and csrf_token(page.text)
        if not token or not self.slots:
            return
        part, institution, month = slot = self.slots.pop()
        form = {
            "csrfmiddlewaretoken": token,
            "part": part,
            "institution": institution,
            "month": month,
            "executed": month % 7 + 1,
            "comment": "carga de prueba",
            "submit": "1",
        }
        path = f"/planes/{self.plan}/reportar/guardar/"
        if await client.request("focal point: submit month", "POST", path, (302,), data=form):
            self.acks.months.add(slot)


class Approver:
    def __init__(self, plan: int, share: int, of: int, acks: Acknowledged) -> None:
        self.plan, self.share, self.of, self.acks = plan, share, of, acks

    async def step(self, client: Client) -> None:
        page = await client.request(
            "approver: review queue", "GET", f"/planes/{self.plan}/revision/"
        )
        token = page and csrf_token(page.text)
        if not token:
            return
        mine = [
            int(pk)
            for pk in re.findall(r'data-report="(\d+)"', page.text)  # type: ignore[union-attr]
            if int(pk) % self.of == self.share and int(pk) not in self.acks.approvals
        ]
        if not mine:
            await asyncio.sleep(0.05)
            return
        path = f"/planes/{self.plan}/revision/{mine[0]}/"
        # The decision carries the version the approver saw (a stale one is refused).
        seen = re.search(
            rf'action="{re.escape(path)}">.*?name="version" value="(\d+)"',
            page.text,  # type: ignore[union-attr]
        )
        if not seen:
            return
        form = {"csrfmiddlewaretoken": token, "action": "approve", "version": seen.group(1)}
        if await client.request("approver: approve", "POST", path, (302,), data=form):
            self.acks.approvals.add(mine[0])


# --- set-up ---------------------------------------------------------------------------


def create_database() -> str:
    import psycopg

    try:
        psycopg.connect(PG + "postgres").close()
    except psycopg.OperationalError:
        subprocess.run([str(PROJECT / "scripts" / "ensure-postgres")], check=True)
    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return PG + DATABASE


def drop_database() -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def session_for(user: object) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    assert session.session_key
    return session.session_key


@dataclass
class Cast:
    plan: int
    secretaries: list[tuple[str, int, str]]  # username, committee, session
    focal_points: list[tuple[str, str, list[tuple[int, int, int]]]]  # username, session, slots
    approvers: list[str]  # sessions


def create_cast() -> Cast:
    from sinasec.accounts.models import Role
    from sinasec.committees.models import Committee
    from sinasec.people.services import ensure_user_with_role
    from sinasec.plans.models import ActivityPart, Plan

    plan = Plan.objects.get(committee__isnull=True, year=2010)
    secretaries = []
    for committee in Committee.objects.filter(level="district", ubigeo__startswith="1501").order_by(
        "ubigeo"
    )[:SECRETARIES]:
        user, _ = ensure_user_with_role(
            None,
            f"bench.sec.{committee.ubigeo}",
            Role.COMMITTEE_SECRETARY,
            territory=committee.ubigeo,
        )
        secretaries.append((user.username, committee.pk, session_for(user)))
    slots: dict[int, list[tuple[int, int, int]]] = {}
    through = ActivityPart.institutions.through.objects.filter(
        activitypart__activity__strategy__plan=plan
    )
    for part, institution in through.values_list("activitypart_id", "institution_id"):
        slots.setdefault(institution, []).extend((part, institution, m) for m in range(1, 13))
    focal_points = []
    for institution in sorted(slots, key=lambda i: -len(slots[i]))[:FOCAL_POINTS]:
        user, _ = ensure_user_with_role(
            None, f"bench.enlace.{institution}", Role.FOCAL_POINT, institution_id=institution
        )
        random.Random(institution).shuffle(slots[institution])
        focal_points.append((user.username, session_for(user), slots[institution]))
    approvers = []
    for n in range(APPROVERS):
        user, _ = ensure_user_with_role(None, f"bench.aprobador.{n}", Role.NATIONAL_ADMIN)
        approvers.append(session_for(user))
    return Cast(plan.pk, secretaries, focal_points, approvers)


# --- servers --------------------------------------------------------------------------


def server_settings(var_dir: Path) -> dict[str, str]:
    """The servers' settings, and this process's (the sessions it writes are signed with
    the same key)."""
    return {
        "PYTHONPATH": str(PROJECT),
        "SINASEC_VAR_DIR": str(var_dir),
        "SINASEC_DEBUG": "0",
        "SINASEC_SECRET_KEY": "bench-" + "k" * 58,
        "SINASEC_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def start(name: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    if name == SERVER:
        # What is deployed: `sinasec serve` with its default workers and threads.
        command = [str(BIN / "sinasec"), "serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"]
    else:
        command = [str(BIN / "sinasec"), "runserver", "--noreload", f"127.0.0.1:{port}"]
    # runserver writes a line per request to stderr: into a file, never an unread pipe
    # (a full pipe blocks every thread of the server).
    log = Path(env["SINASEC_VAR_DIR"]).parent / f"{name}.log"
    with open(log, "ab") as output:
        server = subprocess.Popen(command, env=env, cwd=PROJECT, stdout=output, stderr=output)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"{name} did not answer: {log.read_text(errors='replace')[-2000:]}")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants (`sinasec serve` ->
    granian's master -> its workers), from /proc: how much of the machine the server
    really got. Each process counts its own time plus that of its children already
    reaped (cutime, cstime), so a worker replaced during the phase still counts once."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        process = int(stat.parent.name)
        parents[process] = int(fields[1])
        times[process] = sum(int(value) for value in fields[11:15]) / ticks
    tree, grown = {pid}, True
    while grown:
        found = {child for child, parent in parents.items() if parent in tree} - tree
        grown = bool(found)
        tree |= found
    return sum(times.get(process, 0.0) for process in tree)


def timed_phase(
    base: str, server: subprocess.Popen[bytes], users: list, seconds: float
) -> tuple[Recorder, float, str]:
    """A measured phase, and a line on the CPU the server and this client used in it."""
    server_before, client_before = cpu_seconds(server.pid), time.process_time()
    recorder, elapsed = asyncio.run(run_phase(base, users, seconds))
    server_cpu = cpu_seconds(server.pid) - server_before
    client_cpu = time.process_time() - client_before
    note = (
        f"server CPU {server_cpu:.1f} s ({server_cpu / elapsed:.2f} cores), client "
        f"{client_cpu:.1f} s: {recorder.total() / max(server_cpu, 1e-9):,.0f} requests "
        "per server CPU-second"
    )
    return recorder, elapsed, note


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def warm_up(base: str, rounds: int) -> None:
    """Each worker's first requests import and render everything (seconds each): visit
    every public page a few times, one at a time, before anything is measured."""
    with httpx.Client(timeout=120) as client:
        for _ in range(rounds):
            for path in PUBLIC_PATHS:
                client.get(base + path)


def readyz(base: str) -> str:
    try:
        missing = httpx.get(base + "/readyz", timeout=30).status_code == 404
    except httpx.HTTPError as exc:
        return f"/readyz: {type(exc).__name__}"
    if missing:
        return "/readyz: not on this branch (skipped)"
    times = []
    with httpx.Client() as client:
        for _ in range(200):
            started = time.perf_counter()
            client.get(base + "/readyz")
            times.append((time.perf_counter() - started) * 1000)
    return f"/readyz p50 {percentile(times, 50):.1f} ms, p99 {percentile(times, 99):.1f} ms (goal < 20 ms)"


def measure(
    name: str, port: int, env: dict[str, str], cast: Cast, acks: Acknowledged
) -> dict[str, tuple[float, float, int, float | None]]:
    base = f"http://127.0.0.1:{port}"
    server = start(name, port, env)
    results = {}
    try:
        warm_up(base, 2 * CORES + 1 if name == SERVER else 1)
        visitors = [(Visitor(i), None) for i in range(PUBLIC_USERS)]
        asyncio.run(run_phase(base, visitors, WARM_UP))
        recorder, elapsed, cpu = timed_phase(base, server, visitors, SECONDS)
        print_summary(f"{name}: (a) anonymous visitors, {PUBLIC_USERS} at once", recorder, elapsed)
        print(f"    {cpu}")
        results["public"] = _total(recorder, elapsed)
        mixed: list[tuple[object, dict[str, str] | None]] = [
            (Secretary(user, committee, acks, name), {"sessionid": key})
            for user, committee, key in cast.secretaries
        ]
        mixed += [
            (FocalPoint(cast.plan, slots, acks), {"sessionid": key})
            for _u, key, slots in cast.focal_points
        ]
        mixed += [
            (Approver(cast.plan, n, len(cast.approvers), acks), {"sessionid": key})
            for n, key in enumerate(cast.approvers)
        ]
        mixed += [(Visitor(100 + i), None) for i in range(VISITORS)]
        asyncio.run(run_phase(base, mixed, WARM_UP))  # type: ignore[arg-type]
        recorder, elapsed, cpu = timed_phase(base, server, mixed, SECONDS)
        print_summary(f"{name}: (b) mixed, {len(mixed)} users at once", recorder, elapsed)
        print(f"    {cpu}")
        results["mixed"] = _total(recorder, elapsed)
        print(f"    {readyz(base)}")
    finally:
        stop(server)
    return results


def _total(recorder: object, elapsed: float) -> tuple[float, float, int, float | None]:
    """Rate, p99 and errors of the whole phase, and the p99 of its signed-in requests
    alone (None: a phase of visitors only)."""
    rows = summary_rows(recorder, elapsed)  # type: ignore[arg-type]
    signed_in = [row[5] for row in rows if row[0] == "SIGNED-IN"]
    return rows[-1][2], rows[-1][5], int(rows[-1][6]), signed_in[0] if signed_in else None


def lost_writes(acks: Acknowledged) -> dict[str, tuple[int, int]]:
    from sinasec.committees.models import CommitteeEvent
    from sinasec.plans.models import ExecutionReport

    events = CommitteeEvent.objects.filter(document__in=acks.documents).count()
    stored = set(
        ExecutionReport.objects.filter(status__in=("submitted", "approved")).values_list(
            "part_id", "institution_id", "month"
        )
    )
    approved = ExecutionReport.objects.filter(pk__in=acks.approvals, status="approved").count()
    return {
        "committee events": (len(acks.documents), events),
        "execution months submitted": (len(acks.months), len(acks.months & stored)),
        "approvals": (len(acks.approvals), approved),
    }


def settings_text() -> str:
    from django.conf import settings

    return f"{settings.WEB_WORKERS} workers x {settings.WEB_THREADS} threads"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def load_average() -> str:
    """Other work on the machine takes its share of the cores: say how much there was."""
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    print(
        f"  {platform.processor() or platform.machine()}, {CORES} cores, "
        f"Python {platform.python_version()}, {load_average()} at the start"
    )
    database_url = create_database()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run(database_url, Path(tmp))
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()


def run(database_url: str, folder: Path) -> None:
    started = time.perf_counter()
    settings = server_settings(folder / "var")
    os.environ.update(settings)
    setup_django(folder, database_url)
    from django.core.management import call_command
    from django.db import connections

    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)
        # The production server serves hashed static files: collect them, as a node does.
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["ninja"])
    cast = create_cast()
    connections.close_all()
    print(
        f"  database {DATABASE} migrated, demo loaded, {len(cast.secretaries)} secretaries, {len(cast.focal_points)} focal points, {len(cast.approvers)} approvers ({time.perf_counter() - started:.0f} s)"
    )
    print(
        f"  {SERVER}: `sinasec serve` defaults ({settings_text()}); runserver: threaded; DEBUG off; {SECONDS:.0f} s per phase"
    )
    env = {**os.environ, **settings, "SINASEC_DATABASE_URL": database_url}
    acks = Acknowledged()
    ours = measure(SERVER, 8781, env, cast, acks)
    theirs = measure("runserver", 8782, env, cast, acks)
    print(f"\n  {SERVER} / runserver (requests per second):")
    for phase in ("public", "mixed"):
        print(
            f"    {phase}: {ours[phase][0]:.0f} / {theirs[phase][0]:.0f} req/s = {ours[phase][0] / max(theirs[phase][0], 1e-9):.1f}x"
        )
    print("\n  lost writes (acknowledged with a redirect, then looked up in the database):")
    lost = 0
    for what, (acknowledged, found) in lost_writes(acks).items():
        lost += acknowledged - found
        print(
            f"    {what}: {acknowledged} acknowledged, {found} stored, {acknowledged - found} lost"
        )
    print(f"\n  goals ({SERVER}):")
    for phase, (rate_goal, p99_goal) in GOALS.items():
        rate, p99, errors, signed_in = ours[phase]
        print(
            f"    {phase}: {rate:,.0f} req/s (goal >= {rate_goal:,.0f}: {verdict(rate >= rate_goal)}), p99 {p99:.0f} ms (goal < {p99_goal:.0f}: {verdict(p99 < p99_goal)}), {errors} errors (goal 0: {verdict(errors == 0)})"
        )
        if signed_in is not None:
            print(
                f"      its signed-in requests alone: p99 {signed_in:.0f} ms (< {p99_goal:.0f}: {verdict(signed_in < p99_goal)})"
            )
    print(f"    lost writes: {lost} (goal 0: {verdict(lost == 0)})")
    print(f"  whole bench {time.perf_counter() - started:.0f} s; {load_average()} at the end")


if __name__ == "__main__":
    main()
