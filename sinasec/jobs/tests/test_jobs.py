"""Background jobs: queued from a page, run by the real database worker, their progress
and result shown to their owner only; a refused file fails the job and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.incidents import IncidentStore
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job, run_job
from sinasec.jobs.tests.support import run_worker

HEADER = "id,datetime,lat,lon,crime_type,ubigeo"


def incident_lines(n: int) -> list[str]:
    return [f"{i},2024-05-0{i % 9 + 1} 10:00:00,-12.12,-77.03,robo,150122" for i in range(1, n + 1)]


def csv_upload(name: str, lines: list[str]):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def folders(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INCIDENTS_DIR = tmp_path / "incidents"


def store() -> IncidentStore:
    from django.conf import settings

    return IncidentStore(settings.INCIDENTS_DIR)


def test_it_imports_incidents_uploaded_on_the_page_in_the_worker(admin, settings) -> None:
    client = login(Client(), admin)
    response = client.post(
        "/observatorio/importar/",
        {"file": csv_upload("incidentes.csv", [HEADER, *incident_lines(40)])},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tareas/{job.pk}/"
    assert job.status == Job.Status.QUEUED and job.task_result_id
    assert str(job.file.name).startswith("jobs/") and job.file_name == "incidentes.csv"
    assert store().count() == 0  # nothing imported in the request

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert store().count() == 40
    result = job.result or {}
    assert result["counts"]["rows"] == 40
    assert result["url"] == "/observatorio/"
    assert job.started and job.finished
    assert not job.file and not list((Path(settings.MEDIA_ROOT) / "jobs").rglob("*.csv"))
    page = client.get(f"/tareas/{job.pk}/").content.decode()
    assert 'href="/observatorio/"' in page and "incidentes.csv" in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"jobs.enqueue", "observatory.import_incidents", "jobs.finish"} <= actions


def test_it_fails_a_refused_file_with_the_spanish_problems_and_writes_nothing(admin) -> None:
    enqueue_job(
        admin,
        Job.Kind.INCIDENTS_IMPORT,
        {},
        file=csv_upload("buenos.csv", [HEADER, *incident_lines(5)]),
    )
    run_worker()
    before = (store().current_version(), sorted(str(p) for p in store().files()), store().count())
    bad = [HEADER, *incident_lines(3), "4,2024-05-01 10:00:00,12.1,-77.03,robo,150122"]
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=csv_upload("malos.csv", bad))

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "El archivo fue rechazado; no se guardó nada." in job.error
    assert "malos.csv, fila 5, columna “lat”" in job.error
    assert "Traceback" not in job.error
    assert (
        store().current_version(),
        sorted(str(p) for p in store().files()),
        store().count(),
    ) == before
    page = login(Client(), admin).get(f"/tareas/{job.pk}/").content.decode()
    assert "fila 5" in page and 'data-testid="job-error"' in page


def test_it_fails_with_a_plain_message_when_the_runner_crashes(admin, monkeypatch) -> None:
    from sinasec.jobs import runners, services

    logged: list[str] = []
    monkeypatch.setattr(services.logger, "exception", lambda *a: logged.append(a[0] % a[1:]))

    def crash(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(runners._RUNNERS, Job.Kind.INCIDENTS_IMPORT, crash)
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="a.csv"))
    job = run_job(job.pk)
    assert job.status == Job.Status.FAILED
    assert "error inesperado" in job.error and "disk on fire" not in job.error
    assert logged == [f"job {job.pk} (incidents_import) failed"]  # with the traceback


def test_it_refuses_the_import_page_to_who_may_not_import(analyst, secretary) -> None:
    for user in (analyst, secretary):
        client = login(Client(), user)
        assert client.get("/observatorio/importar/").status_code == 403
        response = client.post("/observatorio/importar/", {"file": csv_upload("x.csv", [HEADER])})
        assert response.status_code == 403
    assert not Job.objects.exists()


def test_it_runs_a_job_once_even_if_the_task_is_delivered_twice(admin) -> None:
    job = enqueue_job(
        admin, Job.Kind.INCIDENTS_IMPORT, {}, file=csv_upload("a.csv", [HEADER, *incident_lines(3)])
    )
    assert run_job(job.pk).status == Job.Status.SUCCEEDED
    finished = Job.objects.get(pk=job.pk).finished
    assert run_job(job.pk).finished == finished


def test_another_user_cannot_read_a_job(admin, secretary, analyst) -> None:
    job = enqueue_job(
        secretary, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="a.csv")
    )
    other = login(Client(), analyst)
    assert other.get(f"/tareas/{job.pk}/").status_code == 403
    assert other.get(f"/tareas/{job.pk}/estado.json").status_code == 403
    assert other.get(f"/api/v1/jobs/{job.pk}").status_code == 403
    assert Client().get(f"/api/v1/jobs/{job.pk}").status_code == 401
    assert f"/tareas/{job.pk}/" not in other.get("/tareas/").content.decode()
    # Its owner and a national administrator can.
    assert login(Client(), secretary).get(f"/api/v1/jobs/{job.pk}").json()["status"] == "queued"
    assert login(Client(), admin).get(f"/tareas/{job.pk}/").status_code == 200


def test_the_job_page_shows_progress_and_polls_its_state(admin) -> None:
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="a.csv"))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=250, total=1000)
    client = login(Client(), admin)
    page = client.get(f"/tareas/{job.pk}/").content.decode()
    assert '<progress data-testid="job-progress" max="100" value="25">' in page
    assert f'data-job-state="/tareas/{job.pk}/estado.json"' in page
    assert "sinasec/job.js" in page and "<script>" not in page
    state = client.get(f"/tareas/{job.pk}/estado.json").json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == (
        "running",
        250,
        1000,
        25,
    )
    assert f"/tareas/{job.pk}/" in client.get("/tareas/").content.decode()


def test_it_writes_progress_at_most_every_half_second(admin) -> None:
    from sinasec.jobs import services

    clock = iter([10.0, 10.1, 10.2, 10.7])
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="a.csv"))
    writer = services._ProgressWriter(job.pk, clock=lambda: next(clock))
    seen = []
    for done in (1, 2, 3, 4):
        writer(done, 10)
        seen.append(Job.objects.get(pk=job.pk).done)
    assert seen == [1, 1, 1, 4]
