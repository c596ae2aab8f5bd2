"""Committees through HTTP: the API and the pages, each with its access check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.committees.models import Committee, CommitteeEvent
from sinasec.conftest import login
from sinasec.core.tests.chart_html import chart_json

pytestmark = pytest.mark.django_db


def test_it_serves_compliance_publicly_as_aggregates(client: Client) -> None:
    data = client.get("/api/v1/committees/compliance", {"as_of": "2020-01-01"}).json()
    assert data["indicators"]["installed"]["total"] == {
        "done": 0,
        "total": 26 + 195 + 1697,
        "pct": 0.0,
    }
    assert client.get("/comites/cumplimiento/", {"fecha": "2020-01-01"}).status_code == 200
    csv = client.get("/comites/cumplimiento.csv", {"fecha": "2020-01-01"}).content.decode()
    assert csv.splitlines()[:2] == [
        "fecha,indicador,nivel,cumplidos,total,porcentaje",
        "2020-01-01,instalado,regional,0,26,0.0",
    ]
    assert "2020-01-01,instalado,distrital,0,1697,0.0" in csv.splitlines()
    query = {"fecha": "2020-01-01", "columnas": "codigos"}
    codes = client.get("/comites/cumplimiento.csv", query).content.decode().splitlines()
    assert codes[:2] == [
        "date,indicator,level,done,total,percent",
        "2020-01-01,installed,regional,0,26,0.0",
    ]
    assert any(r.startswith("installed,district,") and r.endswith(",False,") for r in codes)


def test_it_records_events_through_the_api_within_scope(
    client: Client, secretary: User, focal_point: User
) -> None:
    own = Committee.objects.get(level="district", ubigeo="150122")
    other = Committee.objects.get(level="district", ubigeo="150120")
    payload = {
        "kind": "sworn",
        "date": "2026-01-10",
        "members": [{"name": "Ana Pérez", "institution": "PNP"}],
    }
    assert (
        client.post(
            f"/api/v1/committees/{own.pk}/events", payload, content_type="application/json"
        ).status_code
        == 401
    )
    login(client, secretary)
    response = client.post(
        f"/api/v1/committees/{own.pk}/events", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["members"] == [{"name": "Ana Pérez", "institution": "PNP", "role": ""}]
    assert (
        client.post(
            f"/api/v1/committees/{other.pk}/events", payload, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/committees/{other.pk}").status_code == 403
    assert client.get(f"/api/v1/committees/{own.pk}").json()["events"][0]["kind"] == "sworn"
    bad = {"kind": "plan", "date": "2026-01-10"}
    assert (
        client.post(
            f"/api/v1/committees/{own.pk}/events", bad, content_type="application/json"
        ).status_code
        == 422
    )
    login(client, focal_point)
    assert client.get(f"/api/v1/committees/{own.pk}").status_code == 403
    assert CommitteeEvent.objects.count() == 1


def test_it_shows_each_user_only_the_committees_in_scope(
    client: Client, secretary: User, regional_secretary: User, analyst: User
) -> None:
    login(client, secretary)
    page = client.get("/comites/").content.decode()
    assert "CODISEC Miraflores" in page and "CODISEC Magdalena" not in page
    login(client, regional_secretary)
    page = client.get("/comites/", {"q": "Bellavista"}).content.decode()
    assert "CODISEC Bellavista" in page  # 070102, inside Callao
    login(client, analyst)
    own = Committee.objects.get(level="district", ubigeo="150122")
    page = client.get(f"/comites/{own.pk}/").content.decode()
    assert "CODISEC Miraflores" in page and 'data-testid="event-form"' not in page


def test_it_keeps_the_compliance_page_at_a_constant_number_of_queries(
    client: Client,
    django_assert_max_num_queries,
) -> None:
    from sinasec.committees.compliance import indicators

    # universe, plan dates, regions, provinces, session, two for the monthly series and
    # the page cache's generations (read on a miss), and per registered indicator at
    # most two (its committees, its pending details): none per committee or per month
    with django_assert_max_num_queries(8 + 2 * len(indicators())):
        client.get("/comites/cumplimiento/", {"fecha": "2020-01-01", "region": "07"})


def test_it_downloads_the_compliance_tables_as_a_workbook(client: Client) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get("/comites/cumplimiento.xlsx", {"fecha": "2020-01-01"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    rows = list(book["cumplimiento"].iter_rows(values_only=True))
    assert rows[1][1:] == ("instalado", "regional", 0, 26, 0.0)
    assert book["pendientes instalación"].max_row == 1 + 26 + 195 + 1697
    assert book["pendientes instalación"]["D2"].value == "no"
    query = {"fecha": "2020-01-01", "columnas": "codigos"}
    book = load_workbook(BytesIO(client.get("/comites/cumplimiento.xlsx", query).content))
    assert book.sheetnames[:2] == ["cumplimiento", "pendientes_installed"]


def test_it_shows_every_problem_of_a_rejected_upload_and_saves_nothing(
    client: Client, secretary: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, secretary)
    upload = SimpleUploadedFile(
        "eventos.csv", b"ubigeo,level,event,date\n150122,district,installed,2030-01-01\n"
    )
    response = client.post("/comites/importar/", {"file": upload})
    assert response.status_code == 200
    assert 'data-testid="problems"' in response.content.decode()
    assert CommitteeEvent.objects.count() == 0


def test_it_lays_out_the_four_tables_in_a_pdf(client: Client, shared_data: Path) -> None:
    import subprocess

    from sinasec.committees.demo import load_committee_demo

    load_committee_demo(shared_data / "peru_distrital_simple.geojson")
    response = client.get("/comites/cumplimiento.pdf", {"fecha": "2009-12-11"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for number in (5, 6, 7, 8):
        assert f"{number}:" in text
    assert "505 (27,2%)" in text or "505 (27.2%)" in text  # table 6, total sworn in
    assert "1353 (72,8%)" in text or "1353 (72.8%)" in text  # ... and to be sworn in
    # Then the registered indicators beyond the four milestones, from the same report.
    from sinasec.committees.compliance import compliance_as_of

    report = compliance_as_of(date(2009, 12, 11))
    juntas = report.counts["juntas"]
    assert juntas["regional"] is None  # district committees only
    line = next(t for t in text.splitlines() if "vecinal" in t and "no aplica" in t)
    assert line.count("no aplica") == 2
    assert f"{juntas['total']['done']} / {juntas['total']['total']}" in line


def test_it_serves_the_monthly_series(client: Client, shared_data: Path) -> None:
    from sinasec.committees.demo import load_committee_demo

    load_committee_demo(shared_data / "peru_distrital_simple.geojson")
    rows = client.get(
        "/api/v1/committees/compliance/series", {"start": "2009-01-01", "end": "2009-12-31"}
    ).json()["months"]
    assert [r["date"] for r in rows][:2] == ["2009-01-31", "2009-02-28"] and len(rows) == 12
    assert rows[-1]["sworn"] == {"done": 505, "total": 1858, "pct": 27.2}
    page = client.get("/comites/cumplimiento/", {"fecha": "2009-12-11"}).content.decode()
    chart = chart_json(page, "compliance-series-data")
    assert [s["key"] for s in chart["series"]] == ["installed", "sworn", "plan", "secretary"]
    # The last month end before 11 Dec 2009 is 30 Nov, the API's November figure.
    assert chart["categories"][-1] == "2009-11"
    assert chart["series"][1]["values"][-1] == rows[-2]["sworn"]["pct"]


def test_it_shows_every_registered_indicator_with_its_levels_and_rule(client: Client) -> None:
    from sinasec.committees.compliance import indicators

    html = client.get("/comites/cumplimiento/", {"fecha": "2010-12-31"}).content.decode()
    for item in indicators():
        assert f'data-indicator="{item.code}"' in html
    juntas = html.split('data-indicator="juntas"')[1].split("</tr>")[0]
    assert juntas.count("no aplica") == 2  # regional and provincial committees
    assert 'data-testid="indicator-notes"' in html and "SINASEC_SESSIONS_PER_YEAR" in html
    page = client.get("/comites/cumplimiento/", {"fecha": "2010-12-31", "indicador": "juntas"})
    pending = page.content.decode().split('data-testid="pending"')[1]
    assert "CODISEC" in pending and "CORESEC" not in pending
    csv = client.get("/comites/cumplimiento.csv", {"fecha": "2010-12-31", "columnas": "codigos"})
    lines = csv.content.decode().splitlines()
    assert "2010-12-31,juntas,regional,,," in lines
    assert any(line.startswith("2010-12-31,sessions,district,0,") for line in lines)


def test_it_looks_a_secretarys_own_committee_up_once_per_request(
    secretary: User, admin: User, django_assert_num_queries
) -> None:
    from sinasec.accounts.models import Profile
    from sinasec.committees.access import own_committee_for_user

    own = own_committee_for_user(secretary)
    assert own is not None and own.ubigeo == "150122"
    with django_assert_num_queries(0):  # the start page asks again: no query
        assert own_committee_for_user(secretary) == own
    # Another request reads the user again: a changed scope is seen at once.
    other = Committee.objects.filter(level="district").exclude(pk=own.pk).first()
    assert other is not None
    Profile.objects.filter(user=secretary).update(territory_id=other.territory_id)
    again = User.objects.get(pk=secretary.pk)
    assert own_committee_for_user(again) == other
    assert own_committee_for_user(admin) is None
