"""Committee-event and plan files above SINASEC_JOB_THRESHOLD_MB go to the background
worker; smaller ones are still imported in the request. All or nothing either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinasec.committees.models import CommitteeEvent
from sinasec.committees.tests.test_import import HEADER, INSTALLED, PLAN
from sinasec.conftest import login
from sinasec.jobs.models import Job
from sinasec.jobs.tests.support import run_worker
from sinasec.plans.models import Plan
from sinasec.plans.tests.template_support import to_csv
from sinasec.plans.tests.test_template import COMMITTEE_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def events_file(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("eventos.csv", (HEADER + "".join(rows)).encode())


def test_it_imports_a_small_events_file_in_the_request(admin: User) -> None:
    response = login(Client(), admin).post("/comites/importar/", {"file": events_file(INSTALLED)})
    assert response.status_code == 302 and response["Location"] == "/comites/importar/"
    assert CommitteeEvent.objects.count() == 1 and not Job.objects.exists()


def test_it_queues_an_events_file_above_the_threshold_and_the_worker_imports_it(
    admin: User, settings
) -> None:
    settings.JOB_THRESHOLD_MB = 0  # every file is "big"
    client = login(Client(), admin)
    response = client.post("/comites/importar/", {"file": events_file(INSTALLED, PLAN)})
    job = Job.objects.get()
    assert response["Location"] == f"/tareas/{job.pk}/" and job.kind == "committee_events_import"
    assert CommitteeEvent.objects.count() == 0

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert CommitteeEvent.objects.count() == 2
    assert (job.result or {})["counts"]["created"] == 2
    assert "eventos.csv" in (job.result or {})["summary"]


def test_a_refused_big_events_file_fails_the_job_and_writes_nothing(admin: User, settings) -> None:
    settings.JOB_THRESHOLD_MB = 0
    bad = "150122;distrital;instalación;2030-01-01;;;\n"  # a date in the future
    login(Client(), admin).post("/comites/importar/", {"file": events_file(INSTALLED, bad)})

    run_worker()

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("El archivo fue rechazado; no se guardó nada.")
    assert "eventos.csv, fila 3" in job.error
    assert CommitteeEvent.objects.count() == 0


def test_it_refuses_a_big_events_file_to_who_may_not_import(focal_point: User, settings) -> None:
    settings.JOB_THRESHOLD_MB = 0
    response = login(Client(), focal_point).post(
        "/comites/importar/", {"file": events_file(INSTALLED)}
    )
    assert response.status_code == 403 and not Job.objects.exists()


def test_it_queues_a_plan_file_above_the_threshold_and_links_to_the_plan(
    secretary: User, settings
) -> None:
    settings.JOB_THRESHOLD_MB = 0
    client = login(Client(), secretary)
    upload = SimpleUploadedFile("plan_miraflores.csv", to_csv(COMMITTEE_PLAN))
    response = client.post("/planes/importar/", {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == f"/tareas/{job.pk}/" and not Plan.objects.exists()

    run_worker()

    job.refresh_from_db()
    plan = Plan.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.result or {})["url"] == f"/planes/{plan.pk}/"
    assert plan.committee is not None and plan.committee.ubigeo == "150122"
    page = client.get(f"/tareas/{job.pk}/").content.decode()
    assert f'href="/planes/{plan.pk}/"' in page


def test_a_refused_big_plan_file_fails_the_job_and_writes_nothing(
    regional_secretary: User, settings
) -> None:
    settings.JOB_THRESHOLD_MB = 0
    upload = SimpleUploadedFile("plan.csv", to_csv(COMMITTEE_PLAN))  # not their committee
    login(Client(), regional_secretary).post("/planes/importar/", {"file": upload})

    run_worker()

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error
    assert not Plan.objects.exists()
