"""The observatory analyst imports the crime data (the page queues the file for the
worker) and, outside the observatory, only reads: no barrio is theirs to edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.conftest import login
from sinasec.jobs.models import Job

pytestmark = pytest.mark.django_db

CSV = "id,datetime,lat,lon,crime_type,ubigeo\n1,2024-05-01 10:00:00,-12.12,-77.03,robo,150122\n"


@pytest.fixture(autouse=True)
def folders(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INCIDENTS_DIR = tmp_path / "incidents"


def test_it_lets_the_observatory_analyst_queue_an_incident_import(
    client: Client, observatory_analyst: User
) -> None:
    login(client, observatory_analyst)
    assert 'href="/observatorio/importar/"' in client.get("/observatorio/").content.decode()
    assert client.get("/observatorio/importar/").status_code == 200
    upload = SimpleUploadedFile("incidentes.csv", CSV.encode(), content_type="text/csv")
    response = client.post("/observatorio/importar/", {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tareas/{job.pk}/"
    assert job.owner == observatory_analyst and job.status == Job.Status.QUEUED
    assert client.get(f"/tareas/{job.pk}/").status_code == 200


def test_it_refuses_the_observatory_analyst_any_barrio_edit(
    client: Client, observatory_analyst: User
) -> None:
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2026", status=BarrioStatus.TARGETED
    )
    login(client, observatory_analyst)
    assert client.get(f"/barrios/{barrio.pk}/").status_code == 200  # reads like the analyst
    data = {"version": str(barrio.version), "name": "Otro"}
    assert client.post(f"/barrios/{barrio.pk}/datos/", data).status_code == 403
    barrio.refresh_from_db()
    assert barrio.name == "Santa Cruz"


def test_it_still_refuses_the_import_to_the_national_analyst(client: Client, analyst: User) -> None:
    login(client, analyst)
    assert client.get("/observatorio/importar/").status_code == 403
