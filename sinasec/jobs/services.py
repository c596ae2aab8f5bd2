"""Every write to jobs: starting one (``enqueue_job``), running it in the worker
(``run_job``, what the queued task calls) and failing those whose worker was killed
(``fail_stale_jobs``). Each owns its transaction and is audited."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.errors import AccessDenied, EditConflict, ImportRejected
from sinasec.jobs.compat import task
from sinasec.jobs.models import Job
from sinasec.jobs.periodic import Every
from sinasec.jobs.runners import JobFailed, runner_for

logger = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.5  # the page polls every 2 s: more writes would only load the database
# A running job's heartbeat, besides its progress: a runner may compute for minutes
# between two progress calls. Far below SINASEC_JOB_STALE_MINUTES.
HEARTBEAT_EVERY_S = 30.0
MAX_PROBLEM_LINES = 200
# Failures whose message is for the user: shown as they are, not logged as crashes.
EXPECTED = (AccessDenied, EditConflict, JobFailed)


def runs_in_background(size: int) -> bool:
    """Whether an uploaded committee or plan file is big enough to go to the worker
    (over ``SINASEC_JOB_THRESHOLD_MB``); smaller ones are imported in the request."""
    return size > settings.JOB_THRESHOLD_MB * 1024 * 1024


def enqueue_job(user: AnyUser, kind: str, params: dict[str, Any], file: File | None = None) -> Job:
    """Record a job for ``user`` and queue it for the worker. ``file`` (an upload) is
    stored through Django's storage under ``jobs/``, so the worker reads it wherever it
    runs. The caller has checked that ``user`` may start this kind of work; the runner
    checks again, with the owner's permissions, when it runs."""
    if not isinstance(user, User):
        raise AccessDenied(_("Sign in to start a background job."))
    if kind not in Job.Kind.values:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job(
            kind=kind,
            owner=user,
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        if file is not None:
            job.file_name = Path(file.name or "archivo").name[:255]
            job.file.save(job.file_name, file, save=False)
        job.save()
        # The task row is written in this transaction: the worker sees the job and its
        # task together, or neither.
        queued = run_job_task.enqueue(job.pk)
        job.task_result_id = str(queued.id)
        job.save(update_fields=["task_result_id"])
        record_change(
            user,
            "jobs.enqueue",
            job,
            _("Background job queued: %(job)s") % {"job": job.get_kind_display()},
            after={"kind": kind, "params": params, "file": job.file_name},
            object_type="job",
        )
    return job


class _ProgressWriter:
    """``progress(done, total)`` that writes to the job at most every 0.5 s."""

    def __init__(self, job_id: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.clock = clock
        self.last = -PROGRESS_EVERY_S

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        Job.objects.filter(pk=self.job_id).update(
            done=max(done, 0), total=max(total, 0), heartbeat=timezone.now()
        )


def _beat(job_id: int) -> None:
    """The job's worker is alive: what the stale-job sweep looks at."""
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(heartbeat=timezone.now())


@contextmanager
def _local_input(job: Job) -> Iterator[Path | None]:
    """The job's file as a local path: the storage's own on a file system, else a
    temporary copy (object storage), removed afterwards."""
    name = job.file.name
    if not name:
        yield None
        return
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    folder = Path(tempfile.mkdtemp(prefix="sinasec-job-"))
    try:
        local = folder / job.file_name
        with default_storage.open(name, "rb") as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# Marked for translation here, translated when a job fails, in its owner's language.
STOPPED = gettext_noop("The process running the job stopped; nothing was saved. Submit it again.")


def _failure_message(exc: BaseException, job_id: int) -> str:
    if isinstance(exc, ImportRejected):
        lines = [str(p) for p in exc.problems[:MAX_PROBLEM_LINES]]
        return "\n".join([_("The file was rejected; nothing was saved."), *lines])
    if isinstance(exc, EXPECTED):
        return str(exc)
    return _(
        "The job stopped because of an unexpected error; nothing was saved. "
        "The administrators can find the details in the server log (job %(id)d)."
    ) % {"id": job_id}


def run_job(job_id: int) -> Job:
    """Run a queued job: mark it running, call its kind's runner with a progress
    callback, then mark it succeeded with the result or failed with the reason. Any
    exception fails the job; the runner's service is all or nothing, so a failed job
    has written nothing. A job that is not queued any more (run twice) is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started=now, heartbeat=now
    )
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            pulse = Every(HEARTBEAT_EVERY_S, partial(_beat, job.pk), f"job-{job.pk}-heartbeat")
            with pulse, _local_input(job) as path:
                outcome = runner_for(job.kind)(job.owner, job.params, path, _ProgressWriter(job.pk))
        except Exception as exc:
            if not isinstance(exc, (ImportRejected, *EXPECTED)):
                logger.exception("job %s (%s) failed", job.pk, job.kind)
            job = _finish(job, Job.Status.FAILED, error=_failure_message(exc, job.pk))
        else:
            job = _finish(job, Job.Status.SUCCEEDED, result=outcome.as_dict())
    _drop_upload(job)
    return job


def _drop_upload(job: Job) -> None:
    """The upload has served: its rows are in the store (or it was refused, or its
    job failed, and the user uploads it again). Only its name stays, on the job."""
    if job.file:
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")


def fail_stale_jobs() -> list[Job]:
    """Fail the running jobs whose worker was killed: no heartbeat for
    ``SINASEC_JOB_STALE_MINUTES``. Safe because every runner's service is all or
    nothing: a worker that died wrote nothing, so the job is failed, its upload deleted
    and the user told to submit it again. Run by ``sinasec worker`` when it starts and
    every minute; returns the jobs it failed."""
    cutoff = timezone.now() - timedelta(minutes=settings.JOB_STALE_MINUTES)
    # A job started before heartbeats existed has none: its start time stands in.
    stale = Q(status=Job.Status.RUNNING) & (
        Q(heartbeat__lt=cutoff) | Q(heartbeat__isnull=True, started__lt=cutoff)
    )
    failed = []
    for job_id in Job.objects.filter(stale).values_list("pk", flat=True):
        with transaction.atomic():
            # Again under the row's lock: it may have beaten or finished meanwhile.
            job = Job.objects.select_for_update().filter(stale, pk=job_id).first()
            if job is None:
                continue
            with translation.override(job.language):
                job = _finish(job, Job.Status.FAILED, error=_(STOPPED))
        logger.warning("job %s (%s) lost its worker: marked failed", job.pk, job.kind)
        _drop_upload(job)
        failed.append(job)
    return failed


def _finish(job: Job, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> Job:
    with transaction.atomic():
        job.status = status
        job.result = result
        job.error = error
        job.finished = timezone.now()
        if status == Job.Status.SUCCEEDED and job.total:
            job.done = job.total
        job.save(update_fields=["status", "result", "error", "finished", "done"])
        record_change(
            job.owner,
            "jobs.finish",
            job,
            _("Background job %(job)s: %(status)s")
            % {"job": job, "status": job.get_status_display()},
            after={"status": status, "result": result, "error": error[:2000]},
            object_type="job",
        )
    return job


@task(queue_name=settings.JOBS_QUEUE)
def run_job_task(job_id: int) -> None:
    """What the worker runs: the job, by id (its kind, file and progress are in its row)."""
    run_job(job_id)
