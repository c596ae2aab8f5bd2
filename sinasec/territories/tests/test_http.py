"""Territories through HTTP: the API, the browser pages and the import form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from sinasec.conftest import login
from sinasec.territories.models import Population, Region, Territory
from sinasec.territories.reference import region_code_for

pytestmark = pytest.mark.django_db


def test_it_loads_the_inei_hierarchy_and_26_regions_on_migrate() -> None:
    assert Territory.objects.filter(level="department").count() == 25
    assert Territory.objects.filter(level="province").count() == 196
    assert Territory.objects.filter(level="district").count() == 1893
    assert Region.objects.count() == 26
    assert set(Region.objects.filter(department_id="15").values_list("name", flat=True)) == {
        "Lima Metropolitana",
        "Lima Provincias",
    }


@pytest.mark.parametrize(
    ("ubigeo", "region"),
    [
        ("150122", "1501"),
        ("1501", "1501"),
        ("150501", "15"),
        ("1505", "15"),
        ("070101", "07"),
        ("15", None),
        ("080101", "08"),
    ],
)
def test_it_derives_the_regional_government(ubigeo: str, region: str | None) -> None:
    assert region_code_for(ubigeo) == region
    assert Territory.objects.get(ubigeo=ubigeo).region_id == (
        region if len(ubigeo) > 2 or ubigeo != "15" else None
    )


def test_it_serves_the_summary(client: Client, population_2025: None) -> None:
    data = client.get("/api/v1/territories/summary").json()
    assert (data["departments"], data["provinces"], data["districts"], data["regions"]) == (
        25,
        196,
        1893,
        26,
    )
    assert data["population"]["total"] == 34_350_244


def test_it_serves_a_district_with_its_population(client: Client, population_2025: None) -> None:
    data = client.get("/api/v1/territories/150122").json()
    assert data["territory"]["name"] == "Miraflores"
    assert data["territory"]["region"] == "1501"
    expected = Population.objects.get(territory_id="150122", year=2025).value
    assert data["population"] == expected and data["population_year"] == 2025


def test_it_sums_a_province_from_its_districts(client: Client, population_2025: None) -> None:
    data = client.get("/api/v1/territories/1501").json()
    assert len(data["children"]) == 43
    assert data["population"] == sum(c["population"] for c in data["children"])


def test_it_splits_lima_into_its_two_regions(client: Client, population_2025: None) -> None:
    regions = {
        r["code"]: r["population"]
        for r in client.get("/api/v1/territories/regions").json()["items"]
    }
    assert len(regions) == 26
    assert sum(regions.values()) == 34_350_244
    lima = client.get("/api/v1/territories/15").json()["population"]
    assert regions["1501"] + regions["15"] == lima
    assert client.get("/api/v1/territories/regions/1501").json()["provinces"][0]["code"] == "1501"


def test_it_filters_the_list_with_the_same_filter_as_the_search_page(client: Client) -> None:
    api = client.get("/api/v1/territories", {"q": "miraflores", "level": "district"}).json()
    expected = Territory.objects.filter(name__icontains="miraflores", level="district")
    assert api["count"] == expected.count() >= 2
    assert {t["ubigeo"] for t in api["items"]} == {t.ubigeo for t in expected}
    page = client.get("/territorios/buscar/", {"q": "miraflores", "level": "district"})
    for item in api["items"]:
        assert item["ubigeo"] in page.content.decode()


def test_it_returns_404_for_an_unknown_ubigeo(client: Client) -> None:
    assert client.get("/api/v1/territories/999999").status_code == 404
    assert client.get("/territorios/999999/").status_code == 404


def test_it_serves_map_features_with_capital_points_before_boundaries(
    client: Client, population_2025: None
) -> None:
    data = client.get("/api/v1/territories/1501/geojson").json()
    assert len(data["features"]) == 44  # the province and its 43 districts
    assert {f["geometry"]["type"] for f in data["features"]} == {"Point"}


def test_it_draws_polygons_once_boundaries_are_imported(
    client: Client, admin: User, shared_data
) -> None:
    login(client, admin)
    with (shared_data / "peru_departamental_simple.geojson").open("rb") as fh:
        response = client.post(
            "/api/v1/territories/imports/boundaries", {"level": "department", "file": fh}
        )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 25
    features = client.get("/api/v1/territories/national/geojson").json()["features"]
    assert len(features) == 25 and all(f["geometry"]["type"] != "Point" for f in features)


def test_it_refuses_imports_through_the_api_outside_scope(client: Client, secretary: User) -> None:
    upload = SimpleUploadedFile("p.csv", b"ubigeo;poblacion\n150122;1\n")
    assert (
        client.post(
            "/api/v1/territories/imports/population", {"year": 2025, "file": upload}
        ).status_code
        == 401
    )
    login(client, secretary)
    upload.seek(0)
    response = client.post("/api/v1/territories/imports/population", {"year": 2025, "file": upload})
    assert response.status_code == 403
    assert Population.objects.count() == 0


def test_it_lists_every_problem_of_a_rejected_upload(client: Client, admin: User) -> None:
    login(client, admin)
    upload = SimpleUploadedFile("p.csv", b"ubigeo;poblacion\n150122;1\n999999;2\n150122;3\n")
    response = client.post("/api/v1/territories/imports/population", {"year": 2025, "file": upload})
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "ubigeo"), (4, "ubigeo")]
    assert Population.objects.count() == 0


def test_it_renders_the_browser_pages(client: Client, population_2025: None) -> None:
    for url in (
        "/",
        "/territorios/",
        "/territorios/region/1501/",
        "/territorios/15/",
        "/territorios/1501/",
        "/territorios/150122/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/territorios/150122/").content.decode()
    value = Population.objects.get(territory_id="150122", year=2025).value
    with translation.override("es-pe"):
        shown = intcomma(value)
    assert shown in page and str(value) not in page.replace(shown, "")


def test_it_keeps_page_queries_constant(client: Client, population_2025: None) -> None:
    """No N+1: a province of 43 districts costs the same queries as one of 7."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for url in (
        "/territorios/1501/",
        "/territorios/0101/",
        "/territorios/",
        "/territorios/region/15/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10
    assert max(counts[2:]) <= 14


def test_it_shows_the_import_page_only_to_administrators(
    client: Client, admin: User, analyst: User
) -> None:
    assert client.get("/territorios/importar/").status_code == 302  # to the login page
    login(client, analyst)
    assert client.get("/territorios/importar/").status_code == 403
    login(client, admin)
    assert client.get("/territorios/importar/").status_code == 200


def test_it_shows_the_rejected_rows_on_the_import_page(client: Client, admin: User) -> None:
    login(client, admin)
    upload = SimpleUploadedFile("p.csv", b"ubigeo;poblacion\n150122;muchos\n")
    response = client.post("/territorios/importar/", {"pop-year": 2025, "pop-file": upload})
    assert response.status_code == 200
    assert "muchos" in response.content.decode()
    assert Population.objects.count() == 0


def test_only_the_admin_sees_the_import_link(client: Client, admin: User, analyst: User) -> None:
    assert "/territorios/importar/" not in client.get("/territorios/").content.decode()
    client.force_login(analyst)
    assert "/territorios/importar/" not in client.get("/territorios/").content.decode()
    client.force_login(admin)
    assert "/territorios/importar/" in client.get("/territorios/").content.decode()
