"""``sinasec worker``: the background worker, Django's database task worker
(``django_tasks_db``'s ``db_worker``) on SINASEC's queue with production defaults."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from sinasec.jobs.periodic import Every
from sinasec.jobs.services import fail_stale_jobs

SWEEP_EVERY_S = 60.0  # a stale job is failed at most a minute after it turns stale

HELP = """Run the background worker: large imports (incident files, committee and plan
files above SINASEC_JOB_THRESHOLD_MB), grid targeting runs and backtests started from
the web pages. Jobs wait in the database (no broker to run); start one worker or more
beside the app servers, on any machine that reaches the same database and storage.

Examples:

    sinasec worker                      # run until stopped (Ctrl+C: finish the job, then exit)
    sinasec worker --batch              # run every queued job, then exit (tests, cron)
    sinasec worker --max-tasks 100      # exit after 100 jobs (a supervisor restarts it)

When it starts, and every minute while it runs, the worker marks failed the jobs left
"running" by a worker that was killed: no heartbeat for SINASEC_JOB_STALE_MINUTES
(default 10). Nothing of theirs was saved; their owners submit them again.

Old task results are pruned by a daily timer running
`sinasec prune_db_task_results --queue-name sinasec --min-age-days 14`; the jobs' own
records (/tareas/) stay.
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run the queued jobs, then exit instead of waiting for more",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="how long to wait between looks at an empty queue (default: 1)",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            metavar="N",
            help="exit after running N jobs (default: no limit)",
        )
        parser.add_argument(
            "--worker-id",
            default=None,
            metavar="ID",
            help="a name unique across the workers (default: a random one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra: dict[str, Any] = {}
        if options["worker_id"]:
            extra["worker_id"] = options["worker_id"]
        if options["max_tasks"] is not None:
            extra["max_tasks"] = options["max_tasks"]
        for job in fail_stale_jobs():
            self.stderr.write(f"Job {job.pk} ({job.kind}) lost its worker: marked failed.")
        with Every(SWEEP_EVERY_S, fail_stale_jobs, "stale-job-sweep"):
            self._work(options, extra)

    def _work(self, options: dict[str, Any], extra: dict[str, Any]) -> None:
        call_command(
            "db_worker",
            queue_name=settings.JOBS_QUEUE,
            interval=options["interval"],
            batch=options["batch"],
            # Never reload in production; a batch run (tests) starts at once.
            reload=False,
            startup_delay=not options["batch"],
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
            **extra,
        )
