"""The request size limit (``SINASEC_MAX_UPLOAD_MB``): a bigger upload is refused with a
413 that states the limit, on a page and in the API, before anything reads it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from sinasec.committees.models import CommitteeEvent
from sinasec.conftest import login

pytestmark = pytest.mark.django_db

OVER_ONE_MB = b"ubigeo,level,event,date\n" + b"150122,district,installed,2020-01-01\n" * 40_000


@pytest.fixture(autouse=True)
def _one_megabyte(settings) -> None:
    settings.MAX_UPLOAD_MB = 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024


def test_it_refuses_an_upload_over_the_limit_on_a_page(client: Client, admin: User) -> None:
    login(client, admin)
    upload = SimpleUploadedFile("eventos.csv", OVER_ONE_MB, content_type="text/csv")
    with translation.override("en"):
        response = client.post(
            "/comites/importar/", {"file": upload}, headers={"accept-language": "en"}
        )
    assert response.status_code == 413
    assert "limit of 1 MB" in response.content.decode()
    assert CommitteeEvent.objects.count() == 0


def test_it_refuses_a_request_over_the_limit_in_the_api(client: Client, admin: User) -> None:
    login(client, admin)
    upload = SimpleUploadedFile("poblacion.csv", OVER_ONE_MB, content_type="text/csv")
    response = client.post("/api/v1/territories/imports/population", {"file": upload})
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]


def test_it_accepts_an_upload_under_the_limit(client: Client, admin: User) -> None:
    login(client, admin)
    small = SimpleUploadedFile("eventos.csv", OVER_ONE_MB[:2000], content_type="text/csv")
    assert client.post("/comites/importar/", {"file": small}).status_code != 413
