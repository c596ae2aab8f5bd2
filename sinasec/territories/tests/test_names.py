"""Names are searched without regard to accents or case and sorted in Spanish order,
the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client

from sinasec.territories.models import Region, Territory
from sinasec.territories.selectors import by_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "found"),
    [("ancash", "Áncash"), ("ÁNCASH", "Áncash"), ("huanuco", "Huánuco"), ("HUÁNUCO", "Huánuco")],
)
def test_it_finds_a_territory_whatever_its_accents_and_case(
    client: Client, typed: str, found: str
) -> None:
    api = client.get("/api/v1/territories", {"q": typed, "level": "department"}).json()
    assert [t["name"] for t in api["items"]] == [found]
    page = client.get("/territorios/buscar/", {"q": typed, "level": "department"})
    assert found in page.content.decode()


def test_it_sorts_names_with_accents_among_their_letters() -> None:
    departments = list(
        by_name(Territory.objects.filter(level="department")).values_list("name", flat=True)
    )
    assert departments[:3] == ["Amazonas", "Áncash", "Apurímac"]
    regions = [r.name for r in Region.objects.all()]
    assert regions.index("Áncash") == regions.index("Amazonas") + 1


def test_it_keeps_the_search_name_when_a_name_is_saved() -> None:
    place = Territory.objects.get(ubigeo="02")
    place.name = "ÁNCASH  Norte"
    place.save()
    assert Territory.objects.get(ubigeo="02").search_name == "ancash norte"
