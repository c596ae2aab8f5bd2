"""An unknown rate says why (no population of that year: which years are loaded); the
nearest loaded population year is used only when asked for, and then said."""

from __future__ import annotations

import pytest
from django.test import Client

from sinasec.observatory.indicators import indicators
from sinasec.observatory.models import CrimeCount, Source
from sinasec.territories.models import Population

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts_2019() -> None:
    source = Source.objects.create(code="sidpol", name="SIDPOL")
    CrimeCount.objects.create(source=source, territory_id="150122", year=2019, count=50)
    Population.objects.create(territory_id="150122", year=2025, value=100_000, source="INEI")


@pytest.mark.usefixtures("counts_2019")
def test_it_leaves_the_rate_unknown_without_that_years_population() -> None:
    data = indicators(2019, "district")
    assert data["territories"][0]["rate_per_100k"] is None
    assert data["population_year"] is None and data["population_years"] == [2025]
    asked = indicators(2019, "district", nearest_population=True)
    assert asked["territories"][0]["rate_per_100k"] == 50.0
    assert asked["population_year"] == 2025 and asked["population_is_nearest"]


@pytest.mark.usefixtures("counts_2019")
def test_it_explains_the_unknown_rate_and_labels_the_nearest_year(client: Client) -> None:
    html = client.get("/observatorio/?anio=2019&nivel=district").content.decode()
    assert 'data-testid="rate-unknown"' in html and "2025" in html
    assert 'data-testid="rate-nearest"' not in html
    html = client.get(
        "/observatorio/?anio=2019&nivel=district&poblacion_cercana=true"
    ).content.decode()
    assert 'data-testid="rate-nearest"' in html and 'data-testid="rate-unknown"' not in html
