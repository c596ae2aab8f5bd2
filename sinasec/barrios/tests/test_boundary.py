"""A barrio's boundary from a GeoJSON file: one valid polygon in Peru, or a clear
reason naming the file, and nothing changed."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.barrios.registry.services import set_barrio_boundary
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied, ImportRejected

pytestmark = pytest.mark.django_db

# A block of Miraflores (Lima), longitude first.
SQUARE = [[-77.03, -12.12], [-77.02, -12.12], [-77.02, -12.11], [-77.03, -12.11], [-77.03, -12.12]]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}
BOWTIE = [[-77.03, -12.12], [-77.02, -12.11], [-77.02, -12.12], [-77.03, -12.11], [-77.03, -12.12]]


def encoded(document: object) -> bytes:
    return json.dumps(document).encode()


@pytest.fixture
def barrio() -> Barrio:
    return Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2026", status=BarrioStatus.TARGETED
    )


@pytest.mark.parametrize(
    "document",
    [
        POLYGON,
        {"type": "Feature", "properties": {}, "geometry": POLYGON},
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": POLYGON}],
        },
        {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
    ],
)
def test_it_stores_one_polygon_audited_with_the_file_s_sha256(
    admin: User, barrio: Barrio, document: object
) -> None:
    data = encoded(document)
    set_barrio_boundary(admin, barrio.pk, data, "santa-cruz.geojson")
    barrio.refresh_from_db()
    assert json.loads(barrio.boundary)["type"] in ("Polygon", "MultiPolygon")
    after = AuditEvent.objects.get(action="barrios.set_boundary").after or {}
    assert after["sha256"] == hashlib.sha256(data).hexdigest()
    assert after["file"] == "santa-cruz.geojson"
    assert after["bounds"] == [-77.03, -12.12, -77.02, -12.11]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "JSON"),
        (b"", None),
        (encoded({"type": "Point", "coordinates": [-77.03, -12.12]}), "Point"),
        (
            encoded(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": POLYGON},
                        {"type": "Feature", "geometry": POLYGON},
                    ],
                }
            ),
            "2",
        ),
        (encoded({"type": "Feature", "geometry": None}), None),
        (encoded({"type": "Polygon", "coordinates": [BOWTIE]}), "Self-intersection"),
        (
            # latitude and longitude swapped: far outside Peru
            encoded({"type": "Polygon", "coordinates": [[[y, x] for x, y in SQUARE]]}),
            "-12.1200",
        ),
        (encoded({"type": "Polygon", "coordinates": [[[-77.03, -12.12], [-77.02]]]}), None),
    ],
)
def test_it_rejects_a_bad_file_naming_it_with_the_reason_and_changes_nothing(
    admin: User, barrio: Barrio, data: bytes, reason: str | None
) -> None:
    set_barrio_boundary(admin, barrio.pk, encoded(POLYGON), "first.geojson")
    before = Barrio.objects.get(pk=barrio.pk).boundary
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        set_barrio_boundary(admin, barrio.pk, data, "limite-malo.geojson")
    message = str(rejected.value)
    assert message.startswith("limite-malo.geojson")
    if reason:
        assert reason in message
    assert Barrio.objects.get(pk=barrio.pk).boundary == before
    assert AuditEvent.objects.count() == events


def test_it_shows_the_reason_on_the_page_and_only_admins_upload(
    client: Client, admin: User, analyst: User, barrio: Barrio
) -> None:
    url = f"/barrios/{barrio.pk}/"
    bowtie = encoded({"type": "Polygon", "coordinates": [BOWTIE]})
    login(client, admin)
    response = client.post(
        url + "limite/",
        {"file": SimpleUploadedFile("lazo.geojson", bowtie)},
        follow=True,
    )
    html = response.content.decode()
    assert "lazo.geojson" in html and "Self-intersection" in html
    assert 'data-testid="no-boundary"' in html
    barrio.refresh_from_db()
    assert barrio.boundary == ""

    client.post(url + "limite/", {"file": SimpleUploadedFile("ok.geojson", encoded(POLYGON))})
    html = client.get(url).content.decode()
    assert 'id="barrio-boundary"' in html and 'data-testid="barrio-map"' in html

    login(client, analyst)
    forged = client.post(url + "limite/", {"file": SimpleUploadedFile("x.geojson", b"{}")})
    assert forged.status_code == 403
    with pytest.raises(AccessDenied):
        set_barrio_boundary(analyst, barrio.pk, encoded(POLYGON), "x.geojson")
