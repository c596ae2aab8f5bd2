"""The API under the bad parameters of issue 16's probe: each a 4xx with the reason,
never a server error. (The committees' own are in ``committees/tests``.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.api import api
from sinasec.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/territories?limit=99999999999999999999",
        "/api/v1/audit/events?limit=9223372036854775808",
        "/api/v1/observatory/hotspots?year=2008&q=NaN",
        "/api/v1/observatory/hotspots?year=2008&q=-1",
        "/api/v1/observatory/hotspots?year=2008&q=inf",
        "/api/v1/observatory/indicators?year=99999999999",
        "/api/v1/territories/regions?year=10000",
        "/api/v1/barrios/deliveries?barrio=607055288535689781347174318080",
        "/api/v1/barrios/sessions?held_from=0001-01-01",
        "/api/v1/plans/1/progress?as_of=0001-01-01",
    ],
)
def test_it_answers_a_bad_parameter_with_a_422_naming_it(
    client: Client, admin: User, url: str
) -> None:
    login(client, admin)
    response = client.get(url)
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    assert error["loc"][0] == "query" and error["msg"]


def test_it_answers_a_body_that_is_not_json_with_a_400(client: Client, admin: User) -> None:
    login(client, admin)
    response = client.post("/api/v1/barrios/sessions", "e", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def _operations() -> list[tuple[str, str, set[str]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, {str(code) for code in op["responses"]})
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def test_it_declares_the_answers_ninja_gives_before_an_endpoint_runs() -> None:
    """422 for any operation with inputs, 401 for any that needs a user: the fuzz's
    status-code conformance check needs them in the schema."""
    operations = {(m, p): codes for m, p, codes in _operations()}
    assert {"200", "422"} <= operations["GET", "/api/v1/territories"]
    assert {"200", "401", "422"} <= operations["GET", "/api/v1/barrios/"]
    assert {"400", "401", "403", "413", "422"} <= operations["POST", "/api/v1/barrios/sessions"]
    assert operations["GET", "/api/v1/territories/summary"] == {"200"}


def test_it_refuses_the_nul_character_that_postgresql_cannot_store(
    client: Client, admin: User
) -> None:
    """On PostgreSQL a NUL in a filter was a DataError (a 500), in a list or a page."""
    login(client, admin)
    query = client.get("/api/v1/barrios/", {"territory": "@\x00", "goal_year": "2032"})
    assert query.status_code == 422
    assert query.json()["detail"][0]["loc"] == ["query", "territory"]
    body = client.post(
        "/api/v1/barrios/sessions",
        {"barrio": 1, "held_on": "2024-01-01", "place": "a\x00b"},
        content_type="application/json",
    )
    assert body.status_code == 400
    assert client.get("/api/v1/institutions/PN%00P").status_code == 404
    assert client.get("/barrios/", {"q": "x\x00"}).status_code == 200  # the filter is ignored
