"""The demo shows every module working: its synthetic incidents are seeded and labelled,
and after `sinasec demo` the observatory, district and grid targeting, a barrio's
monitoring page and the difference in differences have results, marked as demo data."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from sinasec.barrios.models import Barrio
from sinasec.conftest import login
from sinasec.jobs.models import Job
from sinasec.jobs.services import run_job
from sinasec.observatory.demo import DEMO_END, DEMO_REGIONS, DEMO_START, demo_incidents
from sinasec.observatory.models import CrimeCount
from sinasec.observatory.synthetic import shipped_districts


def test_it_generates_the_same_labelled_incidents_every_time() -> None:
    districts = shipped_districts()
    first, second = demo_incidents(districts), demo_incidents(districts)
    assert first.equals(second)  # seeded: the demo is the same on every machine
    assert first.num_rows == sum(n for _region, n in DEMO_REGIONS)
    assert all(i.startswith("demo-") for i in first["id"].to_pylist())  # each says demo
    assert {u[:2] for u in first["ubigeo"].to_pylist()} == {"15", "07", "11"}
    when = first["datetime"].to_pylist()
    assert min(when).year == DEMO_START.year and max(when).date() <= DEMO_END


def _text(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no {testid}"
    return found.group(1)


@pytest.mark.django_db
def test_it_shows_results_in_every_module_after_the_demo(
    client: Client, admin: User, settings, tmp_path: Path
) -> None:
    settings.INCIDENTS_DIR = tmp_path / "incidents"
    call_command("demo", stdout=io.StringIO())
    login(client, admin)

    # The observatory: district counts of the demo source, badged, with the reason the
    # rates are unknown (no population of that year), and the nearest year on request.
    # The default page (departments): the demo's three regions, one bordering the two
    # others, once made Gi* divide 0 by 0 and the page answer 500.
    assert client.get("/observatorio/").status_code == 200
    html = client.get("/observatorio/?anio=2019&nivel=district").content.decode()
    assert html.count("<tr data-ubigeo=") > 100
    assert 'data-testid="demo"' in html
    assert "2025" in _text(html, "rate-unknown")
    nearest = client.get("/observatorio/?anio=2019&nivel=district&poblacion_cercana=true")
    assert b'data-testid="rate-nearest"' in nearest.content
    csv = client.get("/observatorio/datos.csv?anio=2019&nivel=district")
    assert "DEMO" in csv["Content-Disposition"]
    assert (
        CrimeCount.objects.filter(source__code="demo-incidentes-sinteticos")
        .exclude(is_demo=True)
        .count()
        == 0
    )

    # District targeting ranks the listed districts by all crimes, as demo data.
    response = client.post(
        "/barrios/focalizacion/",
        {"year": "2019", "unit": "district", "method": "minmax", "q": "0.05"}
        | {"indicator-0": "total", "weight-0": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(response["Location"]).content.decode()
    assert "demo" in html.split("</h1>")[0]
    scores = re.findall(r'<td class="num">(\d+[.,]\d+)</td>', html)[:5]
    assert scores and any(s.strip("0.,") for s in scores)  # not every index is 0

    # Grid targeting over Callao, run by the worker.
    response = client.post(
        "/barrios/focalizacion/",
        {"year": "2019", "unit": "grid", "method": "minmax", "q": "0.05", "area": "07"}
        | {"cell_size_m": "500", "indicator-0": "total", "weight-0": "1"},
    )
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    job = run_job(job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result is not None
    html = client.get(job.result["url"]).content.decode()
    assert "demo" in html.split("</h1>")[0]
    assert re.search(r"[1-9][\d.,]* incident", _text(html, "grid-facts"))

    # A named barrio's monitoring page, with its boundary drawn for the demo.
    barrio = Barrio.objects.get(name="San Clemente")
    assert "dibujado para la demo" in barrio.note and barrio.boundary
    html = client.get(f"/barrios/{barrio.pk}/monitoreo/").content.decode()
    assert 'data-testid="demo-incidents"' in html
    months = re.findall(r'<tr data-month="([^"]+)"', html)
    assert len(months) == 24
    assert 'data-testid="wdd"' in html

    # The difference in differences over the demo barrios.
    html = client.get("/barrios/evaluacion/").content.decode()
    assert 'data-testid="demo-incidents"' in html
    assert 'data-testid="did-result"' in html and 'data-testid="att"' in html
    assert 'data-testid="event-table"' in html
