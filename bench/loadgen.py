"""A bounded load generator for ``bench/web_load.py``: a fixed number of simulated users
(coroutines, each with its own cookies) loop over their script against a server for a
fixed time, and every request's latency and outcome is recorded by kind.

Closed loop, no think time: the figures are the server's throughput at that concurrency,
with the latency each request saw (its queueing included)."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
from common import percentile
from yarl import URL

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGN_IN = "/cuentas/ingresar/"
# A request not answered by then counts as an error (TimeoutError), and the user goes on.
TIMEOUT_S = 10


@dataclass
class Recorder:
    """Latencies (ms) and errors per kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, ms: float, error: str | None) -> None:
        self.latencies[kind].append(ms)
        if error:
            self.errors[kind][error] += 1

    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def error_count(self) -> int:
        return sum(sum(c.values()) for c in self.errors.values())

    def all_latencies(self) -> list[float]:
        return [ms for values in self.latencies.values() for ms in values]


@dataclass
class Reply:
    status: int
    text: str
    location: str


class User(Protocol):
    async def step(self, client: Client) -> None: ...


class Client:
    """One simulated user's HTTP session: its own cookie jar, no redirects followed."""

    def __init__(self, base: str, recorder: Recorder, cookies: dict[str, str] | None = None):
        self.base = base
        self.recorder = recorder
        jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
        if cookies:
            jar.update_cookies(cookies, URL(base))
        self.session = aiohttp.ClientSession(
            cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)
        )

    async def request(
        self, kind: str, method: str, path: str, expect: Iterable[int] = (200,), **kw: Any
    ) -> Reply | None:
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, self.base + path, allow_redirects=False, **kw
            ) as response:
                text = await response.text(errors="replace")
                ms = (time.perf_counter() - started) * 1000
                location = response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.recorder.add(kind, (time.perf_counter() - started) * 1000, type(exc).__name__)
            return None
        if response.status not in tuple(expect):
            self.recorder.add(kind, ms, f"HTTP {response.status}")
            return None
        if SIGN_IN in location:
            self.recorder.add(kind, ms, "sent to the sign-in page")
            return None
        self.recorder.add(kind, ms, None)
        return Reply(response.status, text, location)

    async def close(self) -> None:
        await self.session.close()


def csrf_token(page: str) -> str | None:
    found = CSRF_FIELD.search(page)
    return found.group(1) if found else None


async def run_phase(
    base: str, users: Sequence[tuple[User, dict[str, str] | None]], seconds: float
) -> tuple[Recorder, float]:
    """Every user loops over its script until the time is up; the recorder and the
    seconds it really took (the last requests finish after the deadline)."""
    recorder = Recorder()
    deadline = time.perf_counter() + seconds
    clients = [Client(base, recorder, cookies) for _user, cookies in users]

    async def loop(user: User, client: Client) -> None:
        while time.perf_counter() < deadline:
            await user.step(client)

    started = time.perf_counter()
    await asyncio.gather(*(loop(u, c) for (u, _), c in zip(users, clients, strict=True)))
    elapsed = time.perf_counter() - started
    await asyncio.gather(*(c.close() for c in clients))
    return recorder, elapsed


Row = tuple[str, int, float, float, float, float, str]


def summary_rows(recorder: Recorder, elapsed: float) -> list[Row]:
    """One row per kind of request, then "SIGNED-IN" (every kind but the anonymous
    visitors' "public ..." pages, when the phase mixes both: the cached pages are most of
    the requests and would hide the signed-in tail) and "ALL" last."""
    rows = []
    for kind in sorted(recorder.latencies):
        errors = ", ".join(f"{n} {what}" for what, n in recorder.errors[kind].most_common())
        rows.append(_row(kind, recorder.latencies[kind], elapsed, errors or "0"))
    signed_in = [k for k in recorder.latencies if not k.startswith("public")]
    if signed_in and len(signed_in) < len(recorder.latencies):
        values = [ms for k in signed_in for ms in recorder.latencies[k]]
        failed = sum(sum(recorder.errors[k].values()) for k in signed_in)
        rows.append(_row("SIGNED-IN", values, elapsed, str(failed)))
    everything = recorder.all_latencies()
    if everything:
        rows.append(_row("ALL", everything, elapsed, str(recorder.error_count())))
    return rows


def _row(kind: str, values: list[float], elapsed: float, errors: str) -> Row:
    return (
        kind,
        len(values),
        len(values) / elapsed,
        percentile(values, 50),
        percentile(values, 95),
        percentile(values, 99),
        errors,
    )


def print_summary(title: str, recorder: Recorder, elapsed: float) -> None:
    print(f"\n  {title} ({elapsed:.1f} s)")
    print(f"    {'request':<28}{'n':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  errors")
    for kind, n, rate, p50, p95, p99, errors in summary_rows(recorder, elapsed):
        print(f"    {kind:<28}{n:>7}{rate:>9.1f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}  {errors}")
