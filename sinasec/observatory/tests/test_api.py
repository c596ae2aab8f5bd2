"""The observatory API: every answer has its declared schema, lists are paginated and
filtered with the dashboard's own filter, and asking for figures there are not is 404."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client

from sinasec.core.filters import from_query
from sinasec.observatory.filters import CrimeFigureFilter
from sinasec.observatory.services import load_seed_demo

pytestmark = pytest.mark.django_db
API = "/api/v1/observatory"


@pytest.fixture
def seeded(db: None) -> None:
    load_seed_demo()


def test_the_page_and_the_api_read_one_filter() -> None:
    page = from_query(
        CrimeFigureFilter,
        QueryDict("anio=2008&nivel=province&categoria=robo&territorio=15&medida=rate"),
    )
    api = CrimeFigureFilter.model_validate(
        {"year": 2008, "level": "province", "category": "robo", "territory": "15", "metric": "rate"}
    )
    assert page == api
    # A stale or edited link still shows a page: the bad value falls back to its default.
    stale = from_query(CrimeFigureFilter, QueryDict("anio=x&nivel=barrio&territorio=1501"))
    assert (stale.year, stale.level, stale.territory) == (None, "department", None)


def test_counts_are_paginated_and_filtered(client: Client, seeded: None) -> None:
    page = client.get(f"{API}/counts", {"year": "2008", "territory": "15", "limit": "5"}).json()
    assert page["count"] == 1 and len(page["items"]) == 1
    [lima] = page["items"]
    assert (lima["source"], lima["territory"], lima["year"]) == ("poi-2010", "15", 2008)
    national = client.get(f"{API}/counts", {"year": "2008", "limit": "100"}).json()
    assert national["count"] == len(national["items"]) > 1
    assert any(r["territory"] is None and r["scope"] == "PE" for r in national["items"])


def test_indicators_take_the_filter_and_404_without_figures(client: Client, seeded: None) -> None:
    data = client.get(f"{API}/indicators", {"year": "2008", "territory": "15"}).json()
    assert [t["ubigeo"] for t in data["territories"]] == ["15"]
    latest = client.get(f"{API}/indicators").json()
    assert latest["year"] == 2008 and latest["national_total"] == 151_560
    assert client.get(f"{API}/indicators", {"year": 1990}).status_code == 404
    assert client.get(f"{API}/indicators", {"year": "2008", "category": "nada"}).status_code == 404
    assert client.get(f"{API}/indicators", {"level": "barrio"}).status_code == 422


def test_keyword_keys_keep_their_names(client: Client, seeded: None) -> None:
    survey = client.get(f"{API}/surveys/victimizacion").json()
    assert {"from", "to", "significant"} <= set(survey["changes"][0])
    spots = client.get(f"{API}/hotspots", {"year": 2008}).json()
    assert spots["year"] == 2008 and isinstance(spots["units"], list)
    assert client.get(f"{API}/surveys/nada").json()["detail"]
