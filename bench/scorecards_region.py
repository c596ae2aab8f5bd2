"""Benchmark: a region's scorecards in one PDF (Lima Metropolitana, 43 committees),
against the obvious alternative, one WeasyPrint render per committee merged after.

Runs on a throwaway SQLite database in a temporary folder (never the project's own):
migrates it (the committee registry comes with the migrations), then generates with a
seeded RNG (marked ``is_demo``) for each of Lima Metropolitana's 43 committees (its
CORESEC and 42 CODISEC): the four milestones, a swearing-in of 12 members, 12 sessions a
year for 2022-2025 (one in four a public consultation) with 8 attendance rows and 2
agreements each (a fifth never done), 10 juntas vecinales, 6 trainings in 2025, and a
2025 plan of 20 activities with approved execution reports to October. Then, as of
2025-11-30, times (3 runs each, medians):

- what the button does, as a national analyst: ``GET /comites/fichas.pdf?region=1501``
  queues the job, the worker's ``run_job`` makes the PDF (the scorecards read for the 43
  committees at once, one HTML document, one layout), then the download (the wait for a
  worker to pick the job up is not counted);
- the same scorecards rendered one WeasyPrint document per committee, their pages
  merged into one PDF (``Document.copy``);
- the reads alone (``scorecards(...)``) and the per-committee reads (one call each).

    python bench/scorecards_region.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from common import QueryCounter, setup_django, timed

SEED = 20261203
AS_OF = date(2025, 11, 30)
REGION = "1501"
YEARS = range(2022, 2026)
SESSIONS_PER_YEAR = 12
ATTENDANCE_ROWS = 8
AGREEMENTS_PER_SESSION = 2
JUNTAS = 10
TRAININGS = 6
ACTIVITIES = 20
REPEATS = 3
GOAL_S = 10.0


def region_committees() -> list:
    from sinasec.committees.models import Committee
    from sinasec.core.peru import region_code_for

    found = Committee.objects.filter(ubigeo__startswith=REGION[:2])
    return [c for c in found if (c.region_id or region_code_for(c.ubigeo)) == REGION]


def generate(rng: np.random.Generator, committees: list, user) -> dict[str, int]:
    from sinasec.committees.models import CommitteeEvent, EventKind, Member
    from sinasec.community.models import Junta, Participation, Training
    from sinasec.institutions.models import Institution
    from sinasec.meetings.models import Agreement, AgreementStatus, Attendance, Body, Session

    institutions = list(Institution.objects.order_by("id")[:12])
    counts = dict.fromkeys(("sessions", "attendance", "agreements", "juntas", "trainings"), 0)
    for c in committees:
        for kind, day, year in (
            (EventKind.INSTALLED, date(2015, 3, 1), None),
            (EventKind.SECRETARY, date(2015, 4, 1), None),
            (EventKind.PLAN, date(2025, 2, 20), 2025),
        ):
            CommitteeEvent.objects.create(committee=c, kind=kind, date=day, year=year, is_demo=True)
        sworn = CommitteeEvent.objects.create(
            committee=c, kind=EventKind.SWORN, date=date(2021, 12, 15), is_demo=True
        )
        members = Member.objects.bulk_create(
            Member(event=sworn, name=f"Miembro {i + 1}", institution=institutions[i])
            for i in range(12)
        )
        sessions = Session.objects.bulk_create(
            Session(
                body=Body.COMMITTEE,
                kind="consultation" if month % 4 == 0 else "ordinary",
                committee=c,
                held_on=date(year, month, 10),
                place="Municipalidad",
                agenda="Seguimiento del plan local",
                public_attendance=50 if month % 4 == 0 else None,
                is_demo=True,
                recorded_by=user,
            )
            for year in YEARS
            for month in range(1, SESSIONS_PER_YEAR + 1)
            if date(year, month, 10) <= AS_OF
        )
        Attendance.objects.bulk_create(
            Attendance(session=s, member=members[i])
            for s in sessions
            for i in range(ATTENDANCE_ROWS)
        )
        agreements = []
        for s in sessions:
            for n in range(AGREEMENTS_PER_SESSION):
                deadline = s.held_on + timedelta(days=int(rng.integers(20, 90)))
                done = rng.random() > 0.2 and deadline < AS_OF
                agreements.append(
                    Agreement(
                        session=s,
                        text=f"Acuerdo {n + 1} de la sesión del {s.held_on.isoformat()}",
                        owner=institutions[int(rng.integers(0, 12))],
                        deadline=deadline,
                        status=AgreementStatus.DONE if done else AgreementStatus.PENDING,
                        done_on=deadline - timedelta(days=3) if done else None,
                    )
                )
        Agreement.objects.bulk_create(agreements)
        district = c.ubigeo if len(c.ubigeo) == 6 else "150101"
        juntas = Junta.objects.bulk_create(
            Junta(
                district_id=district,
                name=f"Junta vecinal {c.ubigeo}-{j + 1}",
                sector=f"Sector {j + 1}",
                members=int(rng.integers(10, 40)),
                recognised_by="pnp",
                recognised_on=date(2020, 1, 1) + timedelta(days=int(rng.integers(0, 1500))),
                is_demo=True,
            )
            for j in range(JUNTAS)
        )
        for t in range(TRAININGS):
            training = Training.objects.create(
                event=f"Capacitación {c.ubigeo}-{t + 1}",
                topic="Gestión de la seguridad ciudadana",
                organiser=institutions[t],
                held_on=date(2025, 1 + t, 15),
                committee=c,
                is_demo=True,
            )
            Participation.objects.create(training=training, committee=c, people=5)
            Participation.objects.create(training=training, junta=juntas[t], people=3)
        counts["sessions"] += len(sessions)
        counts["attendance"] += len(sessions) * ATTENDANCE_ROWS
        counts["agreements"] += len(agreements)
        counts["juntas"] += len(juntas)
        counts["trainings"] += TRAININGS
    counts["reports"] = generate_plans(rng, committees, institutions[0])
    return counts


def generate_plans(rng: np.random.Generator, committees: list, institution) -> int:
    """A 2025 plan per committee: one strategy, ACTIVITIES activities of one part each,
    2 programmed a month, approved reports January to October."""
    from sinasec.plans.models import (
        Activity,
        ActivityPart,
        ExecutionReport,
        Plan,
        PlanStatus,
        ReportStatus,
        Strategy,
    )

    reports = []
    for c in committees:
        plan = Plan.objects.create(
            year=2025,
            committee=c,
            title=f"Plan 2025 {c.name}",
            status=PlanStatus.SUBMITTED,
            is_demo=True,
        )
        strategy = Strategy.objects.create(plan=plan, number=1, name="Estrategia 1")
        rate = rng.uniform(0.4, 1.1)
        for n in range(1, ACTIVITIES + 1):
            activity = Activity.objects.create(
                strategy=strategy, number=n, description=f"Actividad {n}", unit="acciones"
            )
            part = ActivityPart.objects.create(
                activity=activity,
                order=1,
                responsible_text="Gobiernos Locales",
                goal=24,
                programmed=[2] * 12,
            )
            reports += [
                ExecutionReport(
                    part=part,
                    institution=institution,
                    month=m,
                    executed=int(rng.poisson(2 * rate)),
                    status=ReportStatus.APPROVED,
                    decided_at=datetime(2025, m + 1, 5, 15, tzinfo=UTC),
                )
                for m in range(1, 11)
            ]
    ExecutionReport.objects.bulk_create(reports, batch_size=5000)
    return len(reports)


def per_committee_merged(committees: list) -> bytes:
    """The obvious alternative: one document per committee, the pages merged."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from sinasec.scorecards.selectors import scorecard

    documents = []
    for c in committees:
        html = render_to_string(
            "scorecards/scorecards_pdf.html",
            {"cards": [scorecard(c, AS_OF)], "title": c.name, "pdf": True},
        )
        documents.append(HTML(string=html).render())
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def pages_of(pdf: bytes) -> int:
    import subprocess

    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    line = next(x for x in info.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sinasec-bench-") as tmp:
        setup_django(Path(tmp))
        import django
        from django.db import connection
        from django.test import Client

        from sinasec.accounts.models import Role
        from sinasec.jobs.models import Job
        from sinasec.jobs.services import run_job
        from sinasec.people.services import ensure_user_with_role
        from sinasec.scorecards.selectors import scorecard, scorecards

        committees = region_committees()
        rng = np.random.default_rng(SEED)
        analyst, _ = ensure_user_with_role(None, "bench.analista", Role.NATIONAL_ANALYST)
        generation_ms, counts = timed(lambda: generate(rng, committees, analyst))
        client = Client()
        client.force_login(analyst)

        def one_document() -> bytes:
            response = client.get("/comites/fichas.pdf", {"region": REGION, "al": AS_OF})
            assert response.status_code == 302, response.status_code
            job = run_job(int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
            assert job.status == Job.Status.SUCCEEDED and job.result, job.error
            download = client.get(job.result["url"])
            return b"".join(download.streaming_content)

        one_document()  # warm up: imports, fonts, templates
        runs: dict[str, list[float]] = {"one": [], "merged": [], "reads": [], "reads_each": []}
        cpu: dict[str, list[float]] = {"one": [], "merged": []}
        pdfs: dict[str, bytes] = {}
        for _ in range(REPEATS):
            before = time.process_time()
            ms, pdfs["one"] = timed(one_document)
            cpu["one"].append(time.process_time() - before)
            runs["one"].append(ms)
            before = time.process_time()
            ms, pdfs["merged"] = timed(lambda: per_committee_merged(committees))
            cpu["merged"].append(time.process_time() - before)
            runs["merged"].append(ms)
            runs["reads"].append(timed(lambda: scorecards(committees, AS_OF))[0])
            runs["reads_each"].append(timed(lambda: [scorecard(c, AS_OF) for c in committees])[0])
        with QueryCounter() as together:
            cards = scorecards(committees, AS_OF)
        with QueryCounter() as each:
            [scorecard(c, AS_OF) for c in committees]
        median = {k: statistics.median(v) for k, v in runs.items()}

        print("SINASEC benchmark: a region's scorecards in one PDF (Lima Metropolitana)")
        print(
            f"  Python {platform.python_version()}, Django {django.get_version()},"
            f" {connection.vendor} (throwaway), {os.cpu_count()} CPUs, seed {SEED}"
        )
        print(
            f"  data: {len(committees)} committees, {counts['sessions']:,} sessions,"
            f" {counts['attendance']:,} attendance rows, {counts['agreements']:,} agreements,"
            f" {counts['juntas']} juntas, {counts['trainings']} trainings,"
            f" {counts['reports']:,} approved reports; generated in {generation_ms / 1000:.1f} s"
        )
        print(f"  as of {AS_OF}, {REPEATS} runs each, medians")
        print()
        cpu_s = {k: f"{statistics.median(v):.2f}" for k, v in cpu.items()}
        rows = (
            (
                "button: queue, run_job, download",
                median["one"],
                cpu_s["one"],
                pages_of(pdfs["one"]),
                "-",
            ),
            (
                "one render per committee, merged",
                median["merged"],
                cpu_s["merged"],
                pages_of(pdfs["merged"]),
                "-",
            ),
            ("reads: scorecards(43 at once)", median["reads"], "-", "-", len(together)),
            ("reads: scorecard() per committee", median["reads_each"], "-", "-", len(each)),
        )
        print(f"  {'method':<38}{'median s':>10}{'CPU s':>8}{'pages':>7}{'queries':>9}")
        for name, ms, cpu_text, pages, queries in rows:
            print(f"  {name:<38}{ms / 1000:>10.2f}{cpu_text:>8}{pages!s:>7}{queries!s:>9}")
        print(f"  merged / one document: {median['merged'] / median['one']:.2f}x")
        print(f"  reads per committee / at once: {median['reads_each'] / median['reads']:.2f}x")
        verdict = "met" if max(runs["one"]) < GOAL_S * 1000 else "NOT met"
        print(
            f"  goal: the region's PDF < {GOAL_S:.0f} s -> worst of {REPEATS}"
            f" {max(runs['one']) / 1000:.2f} s: {verdict}"
            f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: the CPU"
            " column is this process's own time)"
        )
        missing = sum(len(c.missing) for c in cards)
        print(
            f"  check: {len(cards)} scorecards, {missing} missing indicators in all,"
            f" {sum(c.agreement_counts.get('overdue', 0) for c in cards):,} overdue agreements"
        )
        print(f"  total bench time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
