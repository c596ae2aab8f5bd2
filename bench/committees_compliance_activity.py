"""Benchmark: compliance WITH the activity indicators (sessions, consultations, agreements,
juntas vecinales, trainings, plan execution) as of a date, against the obvious
per-committee loop.

Runs on a throwaway SQLite database in a temporary folder (never the project's own), or
on ``$SINASEC_BENCH_DATABASE_URL`` (an EMPTY PostgreSQL database: it is migrated and
filled). Generates, with a seeded RNG and marked demo where the model has the flag:

- the milestones of ``committees_compliance.py`` (15 years of events);
- 15 years (2011-2025) of 12 sessions a year for each of the 1,918 committees (~345,000:
  ordinary, one extraordinary, one to four public consultations), three attendance rows
  and two agreements each (done on time, but a lax 30 % of committees close one in five
  late and leave one in twenty of the last two years' undone);
- juntas vecinales for two districts in three (some made inactive), ~4,000 trainings;
- a 2025 programme for every committee: 10 activity parts x 12 months, every month
  reported and approved (230,160 approved reports);

then times ``compliance_as_of`` (every registered indicator, pending details included)
on 30 random dates of July-December 2025 (every indicator has data then), and the
naive loop (a query or three per committee and indicator) on 2 dates, checked to give
the same totals.

    python bench/committees_compliance_activity.py
"""

from __future__ import annotations

import datetime as dt
import gc
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
from committees_compliance import generate_events
from common import QueryCounter, percentile, setup_django, timed

SEED = 20261203
FIRST_YEAR, LAST_YEAR = 2011, 2025
DATES, NAIVE_DATES = 30, 2
GOAL_MS = 100.0
NEW = ("sessions", "consultations", "agreements", "juntas", "trainings", "execution")
BATCH = 5000
# Committees slow to close their agreements (the others close every one on time).
LAX_SHARE = 0.3


def _done_on(rng: np.random.Generator, held_on: date, deadline: date, lax: bool) -> date | None:
    """When an agreement was done (None: never). Most are done within their deadline;
    a lax committee's are done late one time in five and, in the last two years, left
    undone one time in twenty: those are the overdue minority."""
    if lax and held_on.year >= LAST_YEAR - 1 and rng.random() < 0.05:
        return None
    if lax and rng.random() < 0.2:
        return deadline + timedelta(days=int(rng.integers(1, 60)))
    return max(held_on, deadline - timedelta(days=int(rng.integers(0, 30))))


def generate_sessions(rng: np.random.Generator, user_id: int, owners: list[int]) -> int:
    """12 sessions a year per committee, each with 3 attendance rows and 2 agreements."""
    from sinasec.committees.models import Committee
    from sinasec.meetings.models import Agreement, Attendance, Session

    total = 0
    committees = list(Committee.objects.values_list("id", flat=True))
    lax_committees = {c for c in committees if rng.random() < LAX_SHARE}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        sessions: list[Session] = []
        for cid in committees:
            consultations = int(rng.integers(1, 5))
            for month in range(1, 13):
                kind = "ordinary"
                if month == 5:
                    kind = "extraordinary"
                elif month % 3 == 0 and consultations > 0 and rng.random() < 0.8:
                    kind, consultations = "consultation", consultations - 1
                day = date(year, month, int(rng.integers(1, 29)))
                sessions.append(
                    Session(
                        body="committee",
                        kind=kind,
                        committee_id=cid,
                        held_on=day,
                        is_demo=True,
                        recorded_by_id=user_id,
                    )
                )
        created = Session.objects.bulk_create(sessions, batch_size=BATCH)
        attendance, agreements = [], []
        for session in created:
            for owner in owners[:3]:
                attendance.append(Attendance(session=session, institution_id=owner, attendees=2))
            lax = session.committee_id in lax_committees
            for n in range(2):
                deadline = session.held_on + timedelta(days=int(rng.integers(15, 120)))
                done_on = _done_on(rng, session.held_on, deadline, lax)
                agreements.append(
                    Agreement(
                        session=session,
                        text=f"Acuerdo {n + 1}",
                        owner_id=owners[n],
                        deadline=deadline,
                        status="done" if done_on else "pending",
                        done_on=done_on,
                    )
                )
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        Agreement.objects.bulk_create(agreements, batch_size=BATCH)
        total += len(created)
    return total


def generate_community(rng: np.random.Generator, user_id: int, owners: list[int]) -> int:
    from sinasec.committees.models import Committee
    from sinasec.community.models import Junta, JuntaStatus, Participation, Training

    districts = list(Committee.objects.filter(level="district").values_list("ubigeo", flat=True))
    juntas = [
        Junta(
            district_id=ubigeo,
            name=f"JV {ubigeo} {n}",
            members=int(rng.integers(5, 40)),
            recognised_by="pnp",
            recognised_on=date(int(rng.integers(FIRST_YEAR, LAST_YEAR + 1)), 3, 1),
            is_demo=True,
            recorded_by_id=user_id,
        )
        for ubigeo in districts
        if rng.random() < 0.66
        for n in range(int(rng.integers(1, 4)))
    ]
    Junta.objects.bulk_create(juntas, batch_size=BATCH)
    JuntaStatus.objects.bulk_create(
        [
            JuntaStatus(junta=j, status="inactive", since=j.recognised_on + timedelta(days=400))
            for j in juntas
            if rng.random() < 0.3
        ],
        batch_size=BATCH,
    )
    committees = list(Committee.objects.values_list("id", flat=True))
    trainings = [
        Training(
            event=f"Taller {n}",
            topic="Seguridad ciudadana",
            organiser_id=owners[0],
            held_on=date(year, int(rng.integers(1, 13)), 10),
            is_demo=True,
            recorded_by_id=user_id,
        )
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for n in range(270)
    ]
    Training.objects.bulk_create(trainings, batch_size=BATCH)
    Participation.objects.bulk_create(
        [
            Participation(training=t, committee_id=int(c), people=3)
            for t in trainings
            for c in rng.choice(committees, size=3, replace=False)
        ],
        batch_size=BATCH,
    )
    return len(trainings)


def generate_plans(rng: np.random.Generator, user_id: int, owners: list[int]) -> int:
    """A 2025 programme per committee, 10 parts x 12 months, every month approved in the
    month after it (some executing less than programmed)."""
    from django.utils import timezone

    from sinasec.committees.models import Committee
    from sinasec.plans.models import Activity, ActivityPart, ExecutionReport, Plan, Strategy

    year = LAST_YEAR
    committees = list(Committee.objects.values_list("id", flat=True))
    plans = Plan.objects.bulk_create(
        [
            Plan(year=year, start_year=year, end_year=year, committee_id=c, title=f"Plan {c}")
            for c in committees
        ],
        batch_size=BATCH,
    )
    strategies = Strategy.objects.bulk_create(
        [Strategy(plan=p, number=1, name="Estrategia") for p in plans], batch_size=BATCH
    )
    activities = Activity.objects.bulk_create(
        [
            Activity(strategy=s, number=n, description=f"Actividad {n}")
            for s in strategies
            for n in range(1, 11)
        ],
        batch_size=BATCH,
    )
    parts = ActivityPart.objects.bulk_create(
        [ActivityPart(activity=a, programmed=[10] * 12) for a in activities], batch_size=BATCH
    )
    reports = []
    for part in parts:
        effort = rng.uniform(0.5, 1.1)  # some committees execute less than the threshold
        for month in range(1, 13):
            decided = dt.datetime(year + (month == 12), month % 12 + 1, 5, 12)
            reports.append(
                ExecutionReport(
                    part=part,
                    institution_id=owners[0],
                    month=month,
                    executed=int(min(10, round(10 * effort))),
                    status="approved",
                    decided_at=timezone.make_aware(decided),
                    decided_by_id=user_id,
                )
            )
    ExecutionReport.objects.bulk_create(reports, batch_size=BATCH)
    return len(reports)


def joined_rates(as_of: date, year: int, semester: int) -> dict[int, tuple[int, int]]:
    """The execution rates' sums as they were computed before the summary: the
    programme's JSON months summed in SQL and the approved reports through four joins."""
    from django.db.models import IntegerField, Sum, Value
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast, Coalesce
    from django.utils import timezone

    from sinasec.plans.models import ActivityPart, ExecutionReport
    from sinasec.plans.multiyear.rates import SEMESTER, Period

    months = Period(year, SEMESTER, semester).months_due(as_of)
    total = Value(0)
    for month in months:
        total = total + Coalesce(Cast(KT(f"programmed__{month - 1}"), IntegerField()), Value(0))
    scope = {"activity__strategy__plan__year": year}
    scope["activity__strategy__plan__committee__isnull"] = False
    planned = dict(
        ActivityPart.objects.filter(**scope)
        .values_list("activity__strategy__plan__committee_id")
        .annotate(total=Sum(total))
        .order_by()
    )
    end = timezone.make_aware(dt.datetime.combine(as_of + timedelta(days=1), dt.time.min))
    executed = dict(
        ExecutionReport.objects.filter(
            **{f"part__{k}": v for k, v in scope.items()},
            status="approved",
            decided_at__lt=end,
            month__in=months,
        )
        .values_list("part__activity__strategy__plan__committee_id")
        .annotate(total=Sum("executed"))
        .order_by()
    )
    return {c: (n or 0, executed.get(c) or 0) for c, n in planned.items()}


def naive_totals(as_of: date) -> dict[str, tuple[int, int]]:
    """The obvious alternative: for each committee, ask the database about it, one
    indicator at a time (the same rules, written per committee)."""
    from django.conf import settings
    from django.db.models import Q

    from sinasec.committees.compliance import levels_of
    from sinasec.committees.models import Committee
    from sinasec.community.models import Junta, Participation
    from sinasec.community.selectors import active_juntas
    from sinasec.meetings.indicators import consultations_expected, last_quarter, sessions_expected
    from sinasec.meetings.models import Agreement, Session
    from sinasec.plans.multiyear.indicators import last_semester
    from sinasec.plans.multiyear.rates import Period, execution_rates

    committees = list(
        Committee.objects.filter(Q(established_on__isnull=True) | Q(established_on__lte=as_of))
    )
    year, quarter = last_quarter(as_of)
    q_first = date(year, 3 * quarter - 2, 1)
    q_last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    s_year, semester = last_semester(as_of)
    done = dict.fromkeys(NEW, 0)
    totals = dict.fromkeys(NEW, 0)
    for c in committees:
        sessions = Session.objects.filter(
            committee=c,
            held_on__range=(date(as_of.year, 1, 1), as_of),
            kind__in=["ordinary", "extraordinary"],
        ).count()
        consultations = Session.objects.filter(
            committee=c, kind="consultation", held_on__gte=q_first, held_on__lt=q_last
        ).count()
        overdue = (
            Agreement.objects.filter(
                session__committee=c, session__held_on__lte=as_of, deadline__lt=as_of
            )
            .exclude(Q(status="done") & (Q(done_on__isnull=True) | Q(done_on__lte=as_of)))
            .exists()
        )
        junta = active_juntas(as_of, Junta.objects.filter(district_id=c.ubigeo)).exists()
        trained = Participation.objects.filter(
            committee=c, training__held_on__range=(date(as_of.year, 1, 1), as_of)
        ).exists()
        rate = execution_rates(Period(s_year, "semester", semester), as_of, committees=[c.pk])
        executed = c.pk in rate and (rate[c.pk].rate or -1) >= settings.EXECUTION_THRESHOLD_PCT
        meets = {
            "sessions": sessions >= sessions_expected(as_of),
            "consultations": consultations >= consultations_expected(),
            "agreements": not overdue,
            "juntas": junta,
            "trainings": trained,
            "execution": executed,
        }
        for code, ok in meets.items():
            if c.level in levels_of(code):
                totals[code] += 1
                done[code] += int(ok)
    return {code: (done[code], totals[code]) for code in NEW}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sinasec-bench-") as tmp:
        started = time.perf_counter()
        setup_django(Path(tmp), os.environ.get("SINASEC_BENCH_DATABASE_URL"))
        import django
        from django.contrib.auth.models import User
        from django.db import connection

        from sinasec.committees.compliance import compliance_as_of
        from sinasec.committees.models import Committee
        from sinasec.institutions.models import Institution
        from sinasec.meetings.models import Agreement, Attendance, Session
        from sinasec.plans.models import ExecutionMonth, ExecutionReport
        from sinasec.plans.multiyear import summary
        from sinasec.plans.multiyear.indicators import last_semester
        from sinasec.plans.multiyear.rates import semester_rates

        rng = np.random.default_rng(SEED)
        user = User.objects.create(username="bench")
        owners = list(Institution.objects.order_by("pk").values_list("pk", flat=True)[:3])
        setup_ms = 0.0
        for step in (generate_sessions, generate_community, generate_plans):
            ms, _n = timed(partial(step, rng, user.pk, owners))
            setup_ms += ms
        ms, _events = timed(partial(generate_events, rng))
        setup_ms += ms
        rebuild_ms, _years = timed(summary.rebuild)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts = {
            "committees": Committee.objects.count(),
            "sessions": Session.objects.count(),
            "attendance rows": Attendance.objects.count(),
            "agreements": Agreement.objects.count(),
            "approved reports": ExecutionReport.objects.count(),
            "execution summary rows": ExecutionMonth.objects.count(),
        }

        span = (date(LAST_YEAR, 12, 31) - date(LAST_YEAR, 7, 1)).days
        dates = [
            date(LAST_YEAR, 7, 1) + timedelta(days=int(d))
            for d in rng.integers(0, span + 1, size=DATES)
        ]
        compliance_as_of(dates[0])  # warm up: connection, imports
        # As a server worker does after loading the app (sinasec/wsgi.py): what is loaded
        # so far (here also the generated data's leftovers) goes to the collector's
        # permanent generation, so full collections do not walk it on every timed call.
        gc.collect()
        gc.freeze()
        fast: list[float] = []
        cpu: list[float] = []  # this process's CPU time (SQLite runs in it): no waiting
        reports = {}
        for day in dates:
            started_cpu = time.process_time()
            ms, report = timed(partial(compliance_as_of, day))
            cpu.append((time.process_time() - started_cpu) * 1000)
            fast.append(ms)
            reports[day] = report.counts  # only the figures: 30 whole reports kept alive
            # would make each garbage collection slower, a cost of the bench, not of a request
        with QueryCounter() as fast_queries:
            compliance_as_of(dates[0])
        per_indicator = {}
        for code in NEW:
            per_indicator[code] = statistics.median(
                timed(partial(compliance_as_of, dates[0], only=[code]))[0] for _ in range(3)
            )

        # The execution rates: the summary against the joins it replaced, same sums.
        summary_ms, joined_ms = [], []
        for day in dates[:10]:
            year, semester = last_semester(day)
            ms, rates = timed(partial(semester_rates, day, year, semester))
            summary_ms.append(ms)
            ms, joined = timed(partial(joined_rates, day, year, semester))
            joined_ms.append(ms)
            assert {c: (r.programmed, r.executed) for c, r in rates.items()} == joined, day

        slow: list[float] = []
        slow_queries = 0
        for day in dates[:NAIVE_DATES]:
            with QueryCounter() as captured:
                ms, totals = timed(partial(naive_totals, day))
            slow.append(ms)
            slow_queries = max(slow_queries, len(captured))
            figures = reports[day]
            expected = {c: (figures[c]["total"]["done"], figures[c]["total"]["total"]) for c in NEW}
            assert totals == expected, (day, totals, expected)

        fast_p50, fast_p95 = statistics.median(fast), percentile(fast, 95)
        slow_p50 = statistics.median(slow)
        verdict = "met" if fast_p95 < GOAL_MS else "NOT met"
        print("SINASEC benchmark: compliance with the activity indicators as of a date")
        print(
            f"  Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} (throwaway), {os.cpu_count()} CPUs, seed {SEED}"
        )
        print(
            "  data: "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f"; generated in {setup_ms / 1000:.1f} s"
        )
        print()
        rows = [
            ("method", "dates", "queries", "p50 ms", "p95 ms"),
            ("compliance_as_of (all indicators)", len(fast), len(fast_queries), fast_p50, fast_p95),
            ("naive loop (queries per committee)", len(slow), slow_queries, slow_p50, None),
        ]
        for name, *figures in rows:
            cells = [
                f if isinstance(f, (int, str)) else "-" if f is None else f"{f:.1f}"
                for f in figures
            ]
            print(f"  {name:<40}" + "".join(f"{c!s:>10}" for c in cells))
        print(f"  naive / compliance_as_of (medians): {slow_p50 / fast_p50:,.0f}x")
        print(f"  goal: p95 < {GOAL_MS:.0f} ms -> p95 {fast_p95:.1f} ms: {verdict}")
        print(
            f"  CPU time of compliance_as_of (excludes waiting for a core on a shared machine):"
            f" p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 95):.1f} ms"
        )
        print(
            "  one indicator alone (with the universe), median ms: "
            + ", ".join(f"{c} {ms:.1f}" for c, ms in per_indicator.items())
        )
        rates_p50, joins_p50 = statistics.median(summary_ms), statistics.median(joined_ms)
        print(
            f"  semester_rates from the summary p50 {rates_p50:.1f} ms vs the four-join query"
            f" p50 {joins_p50:.1f} ms ({joins_p50 / rates_p50:,.1f}x), same sums on"
            f" {len(summary_ms)} dates; summary rebuilt from scratch in {rebuild_ms / 1000:.1f} s"
        )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"  load average during the run: {load:.1f}")
        last = reports[dates[0]]
        print(f"  at {dates[0]}: " + ", ".join(f"{c} {last[c]['total']['pct']} %" for c in NEW))
        print(f"  total bench time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
