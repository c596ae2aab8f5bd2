"""Benchmark: committee compliance as of a date, against the obvious per-committee loop.

Runs on a throwaway SQLite database in a temporary folder (never the project's own):
migrates it (the registry of ~1,900 committees comes with the migrations), generates 15
years (2011-2025) of events for every committee with a seeded RNG (marked ``is_demo``),
then times:

- ``compliance_as_of(date)`` on 50 random dates (p50, p95);
- the naive loop, one ``exists()`` query per committee and milestone, on 3 dates (it is
  slow), checked to give the same totals;
- ``monthly_series`` over the 180 month ends of 2011-2025.

    python bench/committees_compliance.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import numpy as np
from common import QueryCounter, percentile, setup_django, timed

SEED = 20260101
FIRST_YEAR, LAST_YEAR = 2011, 2025
COMPLIANCE_DATES = 50
NAIVE_DATES = 3
SERIES_RUNS = 5
GOAL_MS = 50.0


def random_day(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))


def generate_events(rng: np.random.Generator) -> int:
    """Installation once; each year a swearing-in (70 %) and that year's plan (60 %);
    a secretary accredited every ~2 years. Every date after the installation."""
    from sinasec.committees.models import Committee, CommitteeEvent, EventKind

    events: list[CommitteeEvent] = []
    last = date(LAST_YEAR, 12, 31)
    for committee_id in Committee.objects.order_by("id").values_list("id", flat=True):

        def event(kind: str, day: date, year: int | None = None, cid: int = committee_id):
            events.append(
                CommitteeEvent(committee_id=cid, kind=kind, date=day, year=year, is_demo=True)
            )

        installed = random_day(rng, date(FIRST_YEAR, 1, 1), date(FIRST_YEAR + 1, 6, 30))
        event(EventKind.INSTALLED, installed)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            start = max(installed, date(year, 1, 1))
            if start.year != year:
                continue
            if rng.random() < 0.7:
                event(EventKind.SWORN, random_day(rng, start, date(year, 12, 31)))
            if rng.random() < 0.6:  # some after the 31 March deadline
                plan_end = max(start, date(year, 7, 31))
                event(EventKind.PLAN, random_day(rng, start, plan_end), year=year)
        accredited = installed + timedelta(days=int(rng.integers(0, 365)))
        while accredited <= last:
            event(EventKind.SECRETARY, accredited)
            accredited += timedelta(days=int(rng.normal(730, 120)))
    CommitteeEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def naive_totals(as_of: date) -> dict[str, tuple[int, int]]:
    """The obvious alternative: for each committee in the universe, ask the database
    whether it has each kind of event by the date (the plan of that date's year)."""
    from django.db.models import Q

    from sinasec.committees.compliance import INDICATORS
    from sinasec.committees.models import Committee, CommitteeEvent, EventKind

    committees = list(
        Committee.objects.filter(Q(established_on__isnull=True) | Q(established_on__lte=as_of))
    )
    done = dict.fromkeys(INDICATORS, 0)
    for committee in committees:
        for name, kind in INDICATORS.items():
            events = CommitteeEvent.objects.filter(committee=committee, kind=kind, date__lte=as_of)
            if kind == EventKind.PLAN:
                events = events.filter(year=as_of.year)
            if events.exists():
                done[name] += 1
    return {name: (d, len(committees)) for name, d in done.items()}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sinasec-bench-") as tmp:
        started = time.perf_counter()
        setup_django(Path(tmp))
        import django
        from django.db import connection

        from sinasec.committees.compliance import INDICATORS, compliance_as_of
        from sinasec.committees.models import Committee, CommitteeEvent
        from sinasec.committees.series import monthly_series

        rng = np.random.default_rng(SEED)
        setup_ms, created = timed(partial(generate_events, rng))
        committees = Committee.objects.count()
        events = CommitteeEvent.objects.count()
        assert created == events

        span = (date(LAST_YEAR, 12, 31) - date(FIRST_YEAR, 1, 1)).days
        dates = [
            date(FIRST_YEAR, 1, 1) + timedelta(days=int(d))
            for d in rng.integers(0, span + 1, size=COMPLIANCE_DATES)
        ]
        compliance_as_of(dates[0])  # warm up: connection, imports
        fast: list[float] = []
        reports = {}
        for day in dates:
            ms, report = timed(partial(compliance_as_of, day))
            fast.append(ms)
            reports[day] = report

        with QueryCounter() as fast_queries:
            compliance_as_of(dates[0])
        slow: list[float] = []
        slow_queries = 0
        for day in dates[:NAIVE_DATES]:
            with QueryCounter() as captured:
                ms, totals = timed(partial(naive_totals, day))
            slow.append(ms)
            slow_queries = max(slow_queries, len(captured))
            counts = reports[day].counts
            expected = {
                n: (counts[n]["total"]["done"], counts[n]["total"]["total"]) for n in INDICATORS
            }
            assert totals == expected, (day, totals, expected)

        months_start, months_end = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
        series_ms: list[float] = []
        for _ in range(SERIES_RUNS):
            with QueryCounter() as series_queries:
                ms, series = timed(partial(monthly_series, months_start, months_end))
            series_ms.append(ms)
        for row in (series[0], series[len(series) // 2], series[-1]):
            counts = compliance_as_of(row["date"]).counts
            assert all(row[n] == counts[n]["total"] for n in INDICATORS), row["date"]

        fast_p50, fast_p95 = statistics.median(fast), percentile(fast, 95)
        slow_p50 = statistics.median(slow)
        series_p50 = statistics.median(series_ms)
        verdict = "met" if fast_p95 < GOAL_MS else "NOT met"
        last = series[-1]
        print("SINASEC benchmark: committee compliance as of a date")
        print(
            f"  Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} (throwaway), {os.cpu_count()} CPUs, seed {SEED}"
        )
        print(
            f"  data: {committees:,} committees, {events:,} events ({FIRST_YEAR}-{LAST_YEAR}),"
            f" generated in {setup_ms / 1000:.1f} s"
        )
        print()
        rows = [
            ("method", "dates", "queries", "p50 ms", "p95 ms"),
            (
                "compliance_as_of",
                len(fast),
                len(fast_queries),
                f"{fast_p50:.1f}",
                f"{fast_p95:.1f}",
            ),
            (
                "naive loop (exists() per committee, kind)",
                len(slow),
                slow_queries,
                f"{slow_p50:.1f}",
                "-",
            ),
        ]
        for name, *figures in rows:
            print(f"  {name:<42}" + "".join(f"{f!s:>10}" for f in figures))
        print(f"  naive / compliance_as_of (medians): {slow_p50 / fast_p50:,.0f}x")
        print(f"  goal: < {GOAL_MS:.0f} ms per request -> p95 {fast_p95:.1f} ms: {verdict}")
        print()
        print(
            f"  monthly_series, {len(series)} months ({series[0]['date']} .. {last['date']}),"
            f" {len(series_queries)} queries: p50 {series_p50:.1f} ms over {SERIES_RUNS} runs"
            f" ({series_p50 / len(series):.2f} ms per month;"
            f" {len(series)} x compliance_as_of p50 would be {len(series) * fast_p50:,.0f} ms)"
        )
        print(
            f"  at {last['date']}: "
            + ", ".join(
                f"{n} {last[n]['pct']} % ({last[n]['done']}/{last[n]['total']})" for n in INDICATORS
            )
        )
        print(f"  total bench time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
