"""The services catalogue of the 2010 plan: data, pages and API."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client

from sinasec.catalog.models import Moment, Origin, Provision, Service, ServiceType
from sinasec.institutions.models import Institution

MaxQueries = Callable[[int], AbstractContextManager[object]]

TYPE_PROVIDERS = {
    "A": {"PNP", "MP", "MIMDES", "GR", "GL", "MINSA", "JV", "RC"},
    "B": {"MIMDES", "MINSA", "MINJUS", "PNP", "MP"},
    "C": {"INPE"},
    "D": {"PNP", "GL", "CO"},
    "E": {"SAJ"},
}
# The catalogue page, whatever the number of services: measured 4 (types, their
# providers, services, provisions with institutions), plus a little slack.
CATALOGUE_MAX_QUERIES = 6


@pytest.mark.django_db
def test_it_has_five_types_placed_before_during_or_after() -> None:
    moments = dict(ServiceType.objects.values_list("code", "moment"))
    assert moments == {
        "A": Moment.BEFORE,
        "B": Moment.AFTER,
        "C": Moment.AFTER,
        "D": Moment.DURING,
        "E": Moment.AFTER,
    }
    targets = dict(ServiceType.objects.values_list("code", "target"))
    assert targets == {
        "A": "population",
        "B": "victim",
        "C": "offender",
        "D": "victim_offender",
        "E": "population",
    }


@pytest.mark.django_db
def test_it_names_the_providers_of_each_type() -> None:
    for service_type in ServiceType.objects.prefetch_related("providers"):
        got = {i.acronym for i in service_type.providers.all()}
        assert got == TYPE_PROVIDERS[service_type.code], service_type.code


@pytest.mark.django_db
def test_it_numbers_eighteen_services_one_to_eighteen() -> None:
    numbers = list(Service.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 19))
    per_type = {t.code: t.services.count() for t in ServiceType.objects.all()}
    assert per_type == {"A": 11, "B": 2, "C": 1, "D": 3, "E": 1}
    first = Service.objects.get(number=1)
    assert first.name == "Servicio de Patrullaje a pie y motorizado de la PNP"
    assert first.type.code == "A"
    assert Service.objects.get(number=18).name == "Servicios de justicia"


@pytest.mark.django_db
def test_it_records_the_providers_the_plan_names_per_service() -> None:
    first = Service.objects.get(number=1)
    assert "PNP" in {i.acronym for i in first.providers.all()}
    provisions = {
        (p.service.number, p.institution.acronym)
        for p in Provision.objects.select_related("service", "institution")
    }
    assert provisions == {
        (1, "PNP"),
        (2, "GL"),
        (3, "PNP"),
        (3, "GL"),
        (4, "JV"),
        (4, "RC"),
        (9, "PNP"),
        (12, "MIMDES"),
        (16, "PNP"),
    }
    assert set(Provision.objects.values_list("origin", flat=True)) == {Origin.PLAN_2010}


@pytest.mark.django_db
def test_it_renders_the_three_moments_in_spanish(client: Client) -> None:
    response = client.get("/servicios/")
    assert response.status_code == 200
    assert response["Content-Language"] == "es-pe"
    html = response.content.decode()
    assert '<html lang="es-pe">' in html
    assert re.findall(r'data-moment="(\w+)"', html) == ["before", "during", "after"]
    assert re.findall(r'data-type="(\w)"', html) == ["A", "D", "B", "C", "E"]
    for service in Service.objects.all():
        assert f'<li value="{service.number}"><a href="/servicios/{service.number}/">' in html
        assert service.name in html
    before = html.split('data-moment="during"')[0]
    assert "Servicio de Patrullaje a pie y motorizado de la PNP" in before
    assert "Servicios de justicia" not in before


@pytest.mark.django_db
def test_it_renders_the_catalogue_in_bounded_queries(
    client: Client, django_assert_max_num_queries: MaxQueries
) -> None:
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES):
        assert client.get("/servicios/").status_code == 200
    # Twice as many providers per service: still the same number of queries.
    pnp = Institution.objects.get(acronym="PNP")
    for service in Service.objects.exclude(provisions__institution=pnp):
        Provision.objects.create(service=service, institution=pnp, origin=Origin.DECLARED)
    with django_assert_max_num_queries(CATALOGUE_MAX_QUERIES):
        html = client.get("/servicios/").content.decode()
    per_service = re.findall(r'<span class="providers">\(([^)]*)\)</span>', html)
    assert len(per_service) == 18
    assert all("PNP" in providers.split(", ") for providers in per_service)


@pytest.mark.django_db
def test_it_shows_one_service_with_its_providers(client: Client) -> None:
    response = client.get("/servicios/12/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/instituciones/MIMDES/"' in html
    assert Service.objects.get(number=12).diagnosis in html
    assert client.get("/servicios/99/").status_code == 404


@pytest.mark.django_db
def test_it_returns_the_types_with_their_services_through_the_api(client: Client) -> None:
    response = client.get("/api/v1/services/types")
    assert response.status_code == 200
    types = response.json()["items"]  # paginated, as every API list
    assert [t["code"] for t in types] == ["A", "B", "C", "D", "E"]
    assert sum(len(t["services"]) for t in types) == 18
    numbers = sorted(s["number"] for t in types for s in t["services"])
    assert numbers == list(range(1, 19))
    assert {t["code"]: set(t["providers"]) for t in types} == TYPE_PROVIDERS
    first = types[0]["services"][0]
    assert first["number"] == 1
    assert first["type"] == "A"
    assert first["providers"] == [
        {"acronym": "PNP", "name": "Policía Nacional del Perú", "origin": "plan_2010"}
    ]


@pytest.mark.django_db
def test_it_returns_one_service_or_404_through_the_api(client: Client) -> None:
    response = client.get("/api/v1/services/16")
    assert response.status_code == 200
    assert response.json()["name"] == "Servicios de Atención de Emergencias."
    assert [p["acronym"] for p in response.json()["providers"]] == ["PNP"]
    missing = client.get("/api/v1/services/99")
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail"}
