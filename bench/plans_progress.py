"""Benchmark: the plan progress dashboard, against the obvious per-activity loop.

Runs on a throwaway SQLite database in a temporary folder (never the project's own):
migrates it (institutions and the committee registry come with the migrations), loads
the 2010 national plan, then generates with a seeded RNG (marked ``is_demo``) one 2010
plan for each of the first 1,858 committees of the registry: 5 strategies x 8 = 40
activities, one part each (responsible: Gobiernos Locales, goal 12, 1 programmed per
month), and a full year of approved monthly execution reports for every part of every
plan, national included (12 per part). Then times, as of 2010-12-31:

- ``plan_progress(plan, as_of)`` (what the progress page computes) for the national plan
  and 20 random committee plans (p50, p95);
- the whole page, ``GET /planes/<id>/avance/?fecha=2010-12-31``, through Django's test
  client, for the same plans;
- the naive loop, one ``aggregate(Sum)`` query per activity, for the national plan and
  3 committee plans, checked to give the same executed totals.

    python bench/plans_progress.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from common import QueryCounter, percentile, setup_django, timed

SEED = 20260102
YEAR = 2010
AS_OF = date(YEAR, 12, 31)
COMMITTEE_PLANS = 1_858
STRATEGIES = 5
ACTIVITIES_PER_STRATEGY = 8  # 40 activities per committee plan
GOAL = 12
TIMED_COMMITTEE_PLANS = 20
REPEATS = 3  # each timed committee plan is measured this many times
NAIVE_COMMITTEE_PLANS = 3
BATCH = 5_000
GOAL_MS = 300.0


def in_batches(model: Any, rows: list[Any]) -> list[Any]:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def generate_committee_plans() -> int:
    """One 2010 plan per committee (the first 1,858 of the registry by id): strategies,
    activities, one part each with GL responsible. Returns the number of plans."""
    from sinasec.committees.models import Committee, CommitteeLevel
    from sinasec.institutions.models import Institution
    from sinasec.plans import reference_2010
    from sinasec.plans.models import Activity, ActivityPart, Plan, PlanStatus, Strategy
    from sinasec.plans.services import COMMITTEE_TITLES

    gl = Institution.objects.get(acronym="GL")
    committees = list(Committee.objects.order_by("id")[:COMMITTEE_PLANS])
    plans = in_batches(
        Plan,
        [
            Plan(
                year=YEAR,
                committee=c,
                title=COMMITTEE_TITLES[CommitteeLevel(c.level)].format(year=YEAR, name=c.name)[
                    :200
                ],
                status=PlanStatus.SUBMITTED,
                source="bench/plans_progress.py (generated)",
                is_demo=True,
            )
            for c in committees
        ],
    )
    names = [s.name for s in reference_2010.STRATEGIES][:STRATEGIES]
    strategies = in_batches(
        Strategy,
        [
            Strategy(plan=p, number=n, name=names[n - 1])
            for p in plans
            for n in range(1, STRATEGIES + 1)
        ],
    )
    activities = in_batches(
        Activity,
        [
            Activity(
                strategy=s,
                number=n,
                description=f"Actividad {s.number}.{n} del plan del comité (generada)",
                unit="acciones",
            )
            for s in strategies
            for n in range(1, ACTIVITIES_PER_STRATEGY + 1)
        ],
    )
    parts = in_batches(
        ActivityPart,
        [
            ActivityPart(
                activity=a,
                order=1,
                responsible_text="Gobiernos Locales",
                goal=GOAL,
                programmed=[GOAL // 12] * 12,
            )
            for a in activities
        ],
    )
    through = ActivityPart.institutions.through
    in_batches(through, [through(activitypart_id=p.pk, institution_id=gl.pk) for p in parts])
    return len(plans)


def generate_reports(rng: np.random.Generator) -> int:
    """Twelve approved monthly reports for every part of every plan, executed drawn per
    part around a rate of 0.4 to 1.2 a month (so every traffic light shows up)."""
    from sinasec.institutions.models import Institution
    from sinasec.plans.models import ActivityPart, ExecutionReport, ReportStatus

    gl = Institution.objects.get(acronym="GL").pk
    through = ActivityPart.institutions.through
    first_institution: dict[int, int] = {}
    for part_id, institution_id in through.objects.order_by("id").values_list(
        "activitypart_id", "institution_id"
    ):
        first_institution.setdefault(part_id, institution_id)
    part_ids = list(ActivityPart.objects.order_by("id").values_list("id", flat=True))
    rates = rng.uniform(0.4, 1.2, size=len(part_ids))
    executed = rng.poisson(rates[:, None], size=(len(part_ids), 12)).tolist()
    decided = [datetime(YEAR + (m == 12), m % 12 + 1, 5, 15, tzinfo=UTC) for m in range(1, 13)]
    batch: list[ExecutionReport] = []
    created = 0
    for part_id, months in zip(part_ids, executed, strict=True):
        institution_id = first_institution.get(part_id, gl)
        for month, value in enumerate(months, start=1):
            batch.append(
                ExecutionReport(
                    part_id=part_id,
                    institution_id=institution_id,
                    month=month,
                    executed=value,
                    status=ReportStatus.APPROVED,
                    submitted_at=decided[month - 1],
                    decided_at=decided[month - 1],
                )
            )
        if len(batch) >= 10 * BATCH:
            created += len(ExecutionReport.objects.bulk_create(batch, batch_size=BATCH))
            batch = []
    created += len(ExecutionReport.objects.bulk_create(batch, batch_size=BATCH))
    return created


def naive_executed(plan: Any) -> dict[str, int]:
    """The obvious alternative: one aggregate query per activity of the plan."""
    from django.db.models import Sum

    from sinasec.plans.models import Activity, ExecutionReport

    totals = {}
    for activity in Activity.objects.filter(strategy__plan=plan).select_related("strategy"):
        total = ExecutionReport.objects.filter(
            part__activity=activity, status="approved", month__lte=12
        ).aggregate(total=Sum("executed"))["total"]
        totals[activity.code] = total or 0
    return totals


def measure(plans: list[Any], function: Callable[[Any], object]) -> list[float]:
    """Each plan timed in turn, round after round: as many runs for the one national
    plan as for the committee plans together."""
    rounds = REPEATS * (TIMED_COMMITTEE_PLANS if len(plans) == 1 else 1)
    return [timed(partial(function, plan))[0] for _ in range(rounds) for plan in plans]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sinasec-bench-") as tmp:
        started = time.perf_counter()
        setup_django(Path(tmp))
        import django
        from django.db import connection, transaction
        from django.test import Client

        from sinasec.plans.models import Activity, ActivityPart, ExecutionReport, Plan
        from sinasec.plans.progress import plan_progress
        from sinasec.plans.services import load_national_plan_2010

        rng = np.random.default_rng(SEED)
        with transaction.atomic():
            national_ms, national = timed(load_national_plan_2010)
            plans_ms, created_plans = timed(generate_committee_plans)
            reports_ms, created_reports = timed(partial(generate_reports, rng))
        generation_s = (national_ms + plans_ms + reports_ms) / 1000
        assert created_plans == COMMITTEE_PLANS
        parts = ActivityPart.objects.count()
        reports = ExecutionReport.objects.count()
        activities = Activity.objects.count()
        assert reports == created_reports == 12 * parts

        committee_ids = list(
            Plan.objects.filter(committee__isnull=False).order_by("id").values_list("id", flat=True)
        )
        picked = rng.choice(committee_ids, size=TIMED_COMMITTEE_PLANS, replace=False)
        committee_plans = list(Plan.objects.filter(pk__in=[int(i) for i in picked]))
        client = Client()

        def page(plan: Plan) -> str:
            response = client.get(f"/planes/{plan.pk}/avance/?fecha={AS_OF.isoformat()}")
            assert response.status_code == 200, (plan.pk, response.status_code)
            return response.content.decode()

        def progress(plan: Plan) -> list:
            return plan_progress(plan, AS_OF)

        progress(national), page(national)  # warm up: connection, imports, templates
        results = {p.pk: progress(p) for p in [national, *committee_plans]}
        for plan in [national, *committee_plans]:
            html = page(plan)
            assert html.count("data-activity=") == len(results[plan.pk]), plan.pk
        query_counts: dict[bool, tuple[int, int]] = {}
        for plan in (national, committee_plans[0]):
            with QueryCounter() as in_progress:
                progress(plan)
            with QueryCounter() as in_page:
                page(plan)
            query_counts[plan is national] = (len(in_progress), len(in_page))

        fn_national = measure([national], progress)
        fn_committee = measure(committee_plans, progress)
        page_national = measure([national], page)
        page_committee = measure(committee_plans, page)

        naive_plans = committee_plans[:NAIVE_COMMITTEE_PLANS]
        naive_national: list[float] = []
        naive_committee: list[float] = []
        naive_queries: dict[bool, int] = {}
        for plan in [national, *naive_plans]:
            with QueryCounter() as captured:
                ms, totals = timed(partial(naive_executed, plan))
            (naive_national if plan is national else naive_committee).append(ms)
            naive_queries[plan is national] = len(captured)
            fast = {row.activity: row.executed_to_date for row in results[plan.pk]}
            assert totals == fast, plan.pk
        total_executed = sum(r.executed_to_date for r in results[national.pk])
        lights = {
            s: sum(r.status == s for plan_rows in results.values() for r in plan_rows)
            for s in ("green", "yellow", "red", "not_due")
        }

        n_national = len(results[national.pk])
        print("SINASEC benchmark: plan progress dashboard as of 2010-12-31")
        print(
            f"  Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} (throwaway), {os.cpu_count()} CPUs, seed {SEED}"
        )
        print(
            f"  data: national plan ({n_national} activities) + {created_plans:,} committee plans"
            f" x {STRATEGIES * ACTIVITIES_PER_STRATEGY} activities = {activities:,} activities,"
            f" {parts:,} parts, {reports:,} approved monthly reports,"
            f" generated in {generation_s:.1f} s"
            f" (national {national_ms / 1000:.1f} s, plans {plans_ms / 1000:.1f} s,"
            f" reports {reports_ms / 1000:.1f} s)"
        )
        print(
            f"  timed: the national plan and {len(committee_plans)} random committee plans,"
            f" {REPEATS} times each (the national plan {REPEATS * TIMED_COMMITTEE_PLANS} times);"
            f" naive loop on the national plan and {len(naive_plans)}"
            " committee plans, once each"
        )
        print()
        header = ("method", "plan", "runs", "queries", "p50 ms", "p95 ms")
        rows: list[tuple[object, ...]] = [header]
        for name, plan_kind, values, queries in (
            ("plan_progress", "national", fn_national, query_counts[True][0]),
            ("plan_progress", "committee", fn_committee, query_counts[False][0]),
            ("page GET /planes/<id>/avance/", "national", page_national, query_counts[True][1]),
            ("page GET /planes/<id>/avance/", "committee", page_committee, query_counts[False][1]),
            ("naive loop (Sum per activity)", "national", naive_national, naive_queries[True]),
            ("naive loop (Sum per activity)", "committee", naive_committee, naive_queries[False]),
        ):
            rows.append(
                (
                    name,
                    plan_kind,
                    len(values),
                    queries,
                    f"{statistics.median(values):.1f}",
                    f"{percentile(values, 95):.1f}",
                )
            )
        for name, *figures in rows:
            print(f"  {name:<31}{figures[0]:<10}" + "".join(f"{f!s:>9}" for f in figures[1:]))
        for kind, naive, fast in (
            ("national", naive_national, fn_national),
            ("committee", naive_committee, fn_committee),
        ):
            print(
                f"  naive / plan_progress (medians, {kind}):"
                f" {statistics.median(naive) / statistics.median(fast):,.1f}x"
            )
        worst_page = percentile(page_national + page_committee, 95)
        worst_fn = percentile(fn_national + fn_committee, 95)
        verdict = "met" if worst_page < GOAL_MS and worst_fn < GOAL_MS else "NOT met"
        print(
            f"  goal: < {GOAL_MS:.0f} ms per request -> page p95 {worst_page:.1f} ms,"
            f" plan_progress p95 {worst_fn:.1f} ms: {verdict}"
        )
        print(
            f"  check: naive sums = plan_progress executed_to_date on {1 + len(naive_plans)}"
            f" plans; national executed to date {total_executed:,};"
            " traffic lights over the timed plans: "
            + ", ".join(f"{s} {n}" for s, n in lights.items())
        )
        print(f"  total bench time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
