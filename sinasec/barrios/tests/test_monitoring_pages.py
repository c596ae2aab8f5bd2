"""Who may read a barrio's monitoring, its page and CSV, and the command line."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client

from sinasec.barrios.access import get_barrio_for_user
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.barrios.tests import monitoring_data as data
from sinasec.core.errors import AccessDenied

pytestmark = pytest.mark.django_db
PAGE_MAX_QUERIES = 12


@pytest.fixture
def scenario(settings, tmp_path: Path) -> tuple[Barrio, Barrio]:
    """The hand-placed incidents of ``monitoring_data`` in the store the app reads."""
    data.district_with_population()
    treated = data.barrio(
        "Barrio bajo estudio", 0.0, launched_on=data.LAUNCH, population=data.BARRIO_POPULATION
    )
    control = data.barrio("Barrio de comparación", data.COMPARISON_DX)
    store = data.write_store(tmp_path, data.scenario_incidents())
    settings.INCIDENTS_DIR = store.root
    return treated, control


def test_the_monitoring_follows_the_barrio_read_rule(
    admin: User,
    analyst: User,
    secretary: User,
    regional_secretary: User,
    focal_point: User,
) -> None:
    miraflores = Barrio.objects.create(
        district_id="150122", cohort="2024", status=BarrioStatus.PLANNED
    )
    callao = Barrio.objects.create(district_id="070101", cohort="2024", status=BarrioStatus.PLANNED)
    nowhere = Barrio.objects.create(cohort="2018", status=BarrioStatus.PLANNED)  # district lost

    # The same getter as the barrio's page: national staff and focal points (who report
    # deliveries to any barrio) read every barrio, a secretary their territory's.
    for user in (admin, analyst, focal_point):
        for barrio in (miraflores, callao, nowhere):
            assert get_barrio_for_user(user, barrio.pk) == barrio
    assert get_barrio_for_user(secretary, miraflores.pk) == miraflores
    assert get_barrio_for_user(regional_secretary, callao.pk) == callao
    refused: list[tuple[User | AnonymousUser | None, Barrio]] = [
        (secretary, callao),
        (secretary, nowhere),
        (regional_secretary, miraflores),
        (AnonymousUser(), miraflores),
        (None, miraflores),
    ]
    for reader, barrio in refused:
        with pytest.raises(AccessDenied):
            get_barrio_for_user(reader, barrio.pk)
    with pytest.raises(Http404):
        get_barrio_for_user(admin, 999_999)


def cells(html: str, month: str) -> dict[str, str]:
    """{area: count shown} in the row of ``month``."""
    row = re.search(rf'<tr data-month="{month}"[^>]*>(.*?)</tr>', html, flags=re.S)
    assert row, month
    found = re.findall(r'data-area="(\w+)" data-testid="count">([^<]*)<', row.group(1))
    return dict(found)


def test_the_page_shows_the_series_the_chart_and_the_wdd_in_bounded_queries(
    client: Client, secretary: User, scenario, django_assert_max_num_queries
) -> None:
    treated, control = scenario
    client.force_login(secretary)
    url = f"/barrios/{treated.pk}/monitoreo/"
    query = {"desde": "2024-01", "hasta": "2024-12", "buffer": "400", "comparacion": control.pk}

    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        response = client.get(url, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert cells(html, "2024-01") == {
        "barrio": "3",
        "buffer": "1",
        "district": "12",
        "comparison": "2",
        "comparison_buffer": "1",
    }
    assert cells(html, "2024-07")["barrio"] == "1"
    assert 'data-month="2024-07" data-launch="true"' in html
    assert 'data-testid="chart"' in html and 'data-testid="launch-line"' in html
    assert re.search(r'data-testid="wdd-value">-6<', html)
    assert 'data-reading="no_detectable_change"' in html
    assert f'<option value="{control.pk}" selected>' in html
    # 3 incidents among 8,000 people, in either language's decimal mark
    assert len(re.findall(r'data-area="barrio" data-testid="rate">37[.,]50<', html)) == 6

    spanish = client.get(f"/barrios/{treated.pk}/monitoreo/series.csv", query)
    header = spanish.content.decode("utf-8-sig").splitlines()[0]
    assert (
        header == "barrio,mes,área,delitos,tasa por 100 000 habitantes,población,año de población"
    )
    exported = client.get(
        f"/barrios/{treated.pk}/monitoreo/series.csv", {**query, "columnas": "codigos"}
    )
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 12 * 5
    first = {r["area"]: r for r in rows if r["month"] == "2024-01"}
    assert first["barrio"]["count"] == "3" and first["barrio"]["rate_per_100k"] == "37.5"
    assert first["buffer"]["rate_per_100k"] == "" and first["district"]["population"] == "100000"
    assert [int(r["count"]) for r in rows if r["area"] == "district"] == data.EXPECTED["district"]


def test_the_page_defaults_to_the_stores_last_24_months_and_explains_gaps(
    client: Client, admin: User, scenario, settings, tmp_path: Path
) -> None:
    treated, _control = scenario
    client.force_login(admin)

    html = client.get(f"/barrios/{treated.pk}/monitoreo/").content.decode()
    assert 'value="2023-01"' in html and 'value="2024-12"' in html
    assert len(re.findall(r'<tr data-month="', html)) == 24
    assert cells(html, "2023-06")["barrio"] == "0"  # an empty month is 0 incidents ...
    assert cells(html, "2023-06")["comparison"] == "0"
    # ... while what cannot be counted says so.
    no_boundary = data.barrio("Sin límite", None)
    html = client.get(f"/barrios/{no_boundary.pk}/monitoreo/").content.decode()
    assert 'data-testid="unavailable" data-reason="no_boundary"' in html
    bad = client.get(f"/barrios/{treated.pk}/monitoreo/?desde=2024-13&hasta=2024-12")
    assert b'data-testid="monitoring-error"' in bad.content

    settings.INCIDENTS_DIR = tmp_path / "empty"
    html = client.get(f"/barrios/{treated.pk}/monitoreo/").content.decode()
    assert 'data-testid="empty-store"' in html and "<tr data-month" not in html
    assert "sinasec observatory" not in html  # a web user is not told to use a shell ...
    assert 'href="/observatorio/importar/" data-testid="import-link"' in html  # ... but where
    assert client.get(f"/barrios/{treated.pk}/monitoreo/series.csv").status_code == 400


def test_the_page_refuses_other_roles(
    client: Client, focal_point: User, regional_secretary: User, scenario
) -> None:
    treated, _control = scenario
    url = f"/barrios/{treated.pk}/monitoreo/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(regional_secretary)  # Callao's: the barrio is in Miraflores
    assert client.get(url).status_code == 403
    assert client.get(url + "series.csv").status_code == 403
    client.force_login(focal_point)  # reads every barrio, as on the barrio's page
    assert client.get(url).status_code == 200


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_line_prints_the_monitoring_and_the_did(scenario) -> None:
    treated, control = scenario
    window = ["--from", "2024-01", "--to", "2024-12"]

    data_out = json.loads(
        run(
            "barrios",
            "monitor",
            str(treated.pk),
            *window,
            "--buffer-m",
            "400",
            "--compare",
            str(control.pk),
            "--format",
            "json",
        )
    )
    for area, expected in data.EXPECTED.items():
        assert data_out["areas"][area]["count"] == expected
    assert data_out["wdd"]["wdd"] == -6

    table = run("barrios", "monitor", str(treated.pk), *window, "--compare", str(control.pk))
    assert "2024-07" in table and "-6" in table
    default = json.loads(run("barrios", "monitor", str(treated.pk), "--format", "json"))
    assert default["window"] == {"start": "2023-01", "end": "2024-12", "months": 24}

    did = json.loads(
        run("barrios", "did", *window, "--leads", "3", "--lags", "3", "--format", "json")
    )
    assert {b["id"] for b in did["barrios"]} == {treated.pk, control.pk}
    assert did["treated"] == 1 and did["controls"] == 1
    assert (
        next(b["count"] for b in did["barrios"] if b["id"] == treated.pk)
        == (data.EXPECTED["barrio"])
    )
    run("barrios", "did", *window)  # the table prints too

    with pytest.raises(CommandError):
        run("barrios", "monitor", "999999", *window)
    with pytest.raises(CommandError):
        run("barrios", "monitor", str(treated.pk), "--from", "2024-1x", "--to", "2024-12")
    with pytest.raises(CommandError):
        run("barrios", "monitor", str(treated.pk), *window, "--compare", "a,b")


def test_the_api_answers_the_series_and_the_wdd_the_page_shows(
    client: Client, secretary: User, scenario
) -> None:
    treated, control = scenario
    client.force_login(secretary)
    query = {"from": "2024-01", "to": "2024-12", "buffer_m": "400", "compare": control.pk}
    series = client.get(f"/api/v1/barrios/{treated.pk}/monitoring", query)
    assert series.status_code == 200
    result = series.json()
    assert result["available"] and len(result["months"]) == 12
    assert result["areas"]["district"]["count"] == data.EXPECTED["district"]
    evaluation = client.get(f"/api/v1/barrios/{treated.pk}/evaluation", query).json()
    assert evaluation["wdd"]["wdd"] == -6 and evaluation["wdd"] == result["wdd"]
