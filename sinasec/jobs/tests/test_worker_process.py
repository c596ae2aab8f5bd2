"""`sinasec worker` as its own process, as `sinasec serve --with-worker` or a service
manager starts it: it takes a job queued by the web process from the shared database and
storage, runs it, and the result is visible to the web process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sinasec.incidents import IncidentStore
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job

HEADER = "id,datetime,lat,lon,crime_type,ubigeo"


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.usefixtures("reference_data")
def test_it_runs_a_job_queued_by_the_web_in_a_separate_worker_process(
    admin, settings, tmp_path: Path
) -> None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and ("memory" in name):
        pytest.skip("an in-memory test database cannot be shared with another process")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INCIDENTS_DIR = tmp_path / "incidents"
    lines = [HEADER] + [f"{i},2024-05-01 10:00:00,-12.12,-77.03,robo,150122" for i in range(1, 21)]
    upload = SimpleUploadedFile("incidentes.csv", ("\n".join(lines) + "\n").encode())
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=upload)

    env = dict(
        os.environ,
        SINASEC_DATABASE_URL=database_url(),
        SINASEC_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(Path(__file__).resolve().parents[3]),
    )
    done = subprocess.run(
        [sys.executable, "-m", "sinasec.cli", "worker", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert IncidentStore(settings.INCIDENTS_DIR).count() == 20
