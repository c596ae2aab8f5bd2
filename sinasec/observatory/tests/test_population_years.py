"""Population by year: every rate uses the population of its own year, imported for any
year and level from CSV or XLSX."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import Workbook

from sinasec.conftest import login
from sinasec.observatory.indicators import indicators
from sinasec.observatory.services import load_seed_demo
from sinasec.observatory.types import IndicatorTable
from sinasec.territories import selectors
from sinasec.territories.services import import_population

pytestmark = pytest.mark.django_db

# Department estimates (INEI's historical projections are by department).
LIMA = {2007: 8_000_000, 2008: 8_500_000}
LAMBAYEQUE = {2007: 1_100_000, 2008: 1_150_000}


def departments_file() -> bytes:
    """An XLSX with an año column: two years in one file, the codes as numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["año", "ubigeo", "población"])
    for year in (2007, 2008):
        sheet.append([year, 15, LIMA[year]])
        sheet.append([year, 14, LAMBAYEQUE[year]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rate(table: IndicatorTable, ubigeo: str) -> tuple[float | None, int | None]:
    row = next(t for t in table["territories"] if t["ubigeo"] == ubigeo)
    return row["rate_per_100k"], row["population_year"]


def test_it_gives_each_year_the_rate_of_its_own_population(admin: User) -> None:
    load_seed_demo()
    result = import_population(admin, "proyecciones.xlsx", departments_file(), None)
    assert result.created == 4
    for year in (2007, 2008):
        table = indicators(year, "department")
        lima = next(t for t in table["territories"] if t["ubigeo"] == "15")
        assert rate(table, "15") == (round(lima["count"] * 100_000 / LIMA[year], 1), year)
        lambayeque = next(t for t in table["territories"] if t["ubigeo"] == "14")
        expected = round(lambayeque["count"] * 100_000 / LAMBAYEQUE[year], 1)
        assert rate(table, "14") == (expected, year)
    # A department's own estimate is its population; the country is their sum.
    assert selectors.population_total(2008, "15") == LIMA[2008]
    assert selectors.population_total(2008) == LIMA[2008] + LAMBAYEQUE[2008]


def test_it_shows_2008_rates_on_the_observatory_when_2008_is_loaded(
    client: Client, admin: User
) -> None:
    load_seed_demo()
    login(client, admin)
    before = client.get("/observatorio/", {"anio": "2008", "nivel": "department"})
    assert before.status_code == 200
    import_population(admin, "proyecciones.xlsx", departments_file(), None)
    page = client.get("/observatorio/", {"anio": "2008", "nivel": "department"})
    table = indicators(2008, "department")
    lima_rate, _year = rate(table, "15")
    assert lima_rate is not None
    text = page.content.decode()
    assert f"{lima_rate} (2008)".replace(".", ",") in text
    assert " (2008)" not in before.content.decode()


def test_it_refuses_a_file_without_a_year(admin: User) -> None:
    from sinasec.core.errors import ImportRejected

    data = "ubigeo;población\n15;8500000\n".encode()
    with pytest.raises(ImportRejected) as info:
        import_population(admin, "sin_anio.csv", data, None)
    assert "año" in str(info.value.problems[0])
    result = import_population(admin, "lima_2008.csv", data, 2008)
    assert result.created == 1 and selectors.population_total(2008, "15") == 8_500_000
