"""A worker killed mid-job (issue 11): the job's heartbeat stops, and the next worker
marks it failed (in Spanish, its upload deleted) instead of leaving it "running"."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from sinasec.audit.models import AuditEvent
from sinasec.jobs import services
from sinasec.jobs.models import Job
from sinasec.jobs.periodic import Every
from sinasec.jobs.services import enqueue_job, fail_stale_jobs, run_job
from sinasec.jobs.tests.support import run_worker
from sinasec.jobs.tests.test_jobs import HEADER, csv_upload, incident_lines

pytestmark = pytest.mark.django_db
STOPPED_ES = "El proceso que ejecutaba la tarea se detuvo; no se guardó nada. Vuelva a enviarla."


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INCIDENTS_DIR = tmp_path / "incidents"


def running(owner, minutes_ago: float | None, *, started_minutes_ago: float = 60) -> Job:
    """A job a worker claimed, whose last heartbeat was ``minutes_ago`` (None: none)."""
    job = enqueue_job(owner, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="a.csv"))
    now = timezone.now()
    beat = None if minutes_ago is None else now - timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        started=now - timedelta(minutes=started_minutes_ago),
        heartbeat=beat,
    )
    return Job.objects.get(pk=job.pk)


def test_it_fails_a_job_whose_heartbeat_stopped_in_spanish_and_deletes_its_upload(
    admin,
) -> None:
    dead, silent_old = running(admin, 11), running(admin, None)
    alive, new = running(admin, 1), running(admin, None, started_minutes_ago=2)
    queued = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="b"))
    upload = str(dead.file.name)
    assert default_storage.exists(upload)
    failed = fail_stale_jobs()
    assert sorted(j.pk for j in failed) == sorted([dead.pk, silent_old.pk])
    dead.refresh_from_db()
    assert (dead.status, dead.error, dead.file.name) == (Job.Status.FAILED, STOPPED_ES, "")
    assert dead.finished is not None and not default_storage.exists(upload)
    statuses = Job.objects.filter(pk__in=[alive.pk, new.pk, queued.pk]).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == ["queued", "running", "running"]
    audit = AuditEvent.objects.filter(action="jobs.finish", object_id=str(dead.pk)).get()
    assert (audit.after or {})["status"] == "failed"
    assert fail_stale_jobs() == []  # once


def test_it_waits_sinasec_job_stale_minutes(admin, settings) -> None:
    settings.JOB_STALE_MINUTES = 30
    job = running(admin, 11)
    assert fail_stale_jobs() == []
    settings.JOB_STALE_MINUTES = 10
    assert [j.pk for j in fail_stale_jobs()] == [job.pk]


def test_the_worker_fails_stale_jobs_when_it_starts_then_runs_the_queue(admin) -> None:
    dead = running(admin, 30)
    queued = enqueue_job(
        admin, Job.Kind.INCIDENTS_IMPORT, {}, file=csv_upload("a.csv", [HEADER, *incident_lines(3)])
    )
    run_worker()
    assert Job.objects.get(pk=dead.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=queued.pk).status == Job.Status.SUCCEEDED


def test_it_records_a_heartbeat_when_claimed_and_with_progress(admin, monkeypatch) -> None:
    from sinasec.jobs import runners

    beats = []

    def runner(owner, params, path, progress):
        beats.append(Job.objects.get(pk=job.pk).heartbeat)
        Job.objects.filter(pk=job.pk).update(heartbeat=None)
        progress(1, 2)
        beats.append(Job.objects.get(pk=job.pk).heartbeat)
        return runners.Outcome("ok")

    monkeypatch.setitem(runners._RUNNERS, Job.Kind.INCIDENTS_IMPORT, runner)
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {})
    assert run_job(job.pk).status == Job.Status.SUCCEEDED
    assert all(beats) and len(beats) == 2
    services._beat(job.pk)  # a finished job's heartbeat is not touched any more
    assert Job.objects.get(pk=job.pk).heartbeat == beats[1]


def test_every_repeats_its_call_until_the_block_ends() -> None:
    calls: list[int] = []
    three = threading.Event()

    def call() -> None:
        calls.append(1)
        if len(calls) == 3:
            three.set()
        if len(calls) == 2:
            raise RuntimeError("a busy database")  # logged; the next call still comes

    with Every(0.01, call, "test-every"):
        assert three.wait(5)
    count = len(calls)
    threading.Event().wait(0.05)
    assert len(calls) == count  # stopped with the block
