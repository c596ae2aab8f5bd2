"""Committees under bad parameters: every reproduction of issue 16 answers a 4xx that
says why (never a 500), and nothing out of range or over-length is stored."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from sinasec.committees import services
from sinasec.committees.forms import EventForm
from sinasec.committees.models import Committee, CommitteeEvent, EventKind
from sinasec.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", [{"anio_plan": "10000"}, {"fecha": "0001-06-01"}])
def test_it_refuses_a_compliance_page_out_of_range_with_the_reason(
    client: Client, query: dict[str, str]
) -> None:
    with translation.override("en"):
        response = client.get("/comites/cumplimiento/", query, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "not valid: " + next(iter(query)) in response.content.decode()
    for export in ("/comites/cumplimiento.csv", "/comites/cumplimiento.xlsx"):
        assert client.get(export, query).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "2024-01-01", "plan_year": "10000"},
        {"as_of": "0001-01-01"},
        {"as_of": "9999-12-31"},
    ],
)
def test_it_refuses_a_compliance_report_out_of_the_supported_range(
    client: Client, query: dict[str, str]
) -> None:
    response = client.get("/api/v1/committees/compliance", query)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "query",
    [
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "1900-01-01", "end": "2100-12-31"},  # in range, but 2,412 months
    ],
)
def test_it_refuses_a_compliance_series_out_of_range_or_too_long(
    client: Client, query: dict[str, str]
) -> None:
    assert client.get("/api/v1/committees/compliance/series", query).status_code == 422


def _post(client: Client, body: dict[str, object]) -> object:
    committee = Committee.objects.get(level="district", ubigeo="150122")
    return client.post(
        f"/api/v1/committees/{committee.pk}/events", body, content_type="application/json"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "plan", "date": "2020-01-01", "year": 10**21}, "year"),
        ({"kind": "plan", "date": "2020-01-01", "year": 40000}, "year"),
        ({"kind": "secretary", "date": "2020-01-01", "person": "x" * 5000}, "person"),
        ({"kind": "installed", "date": "2020-01-01", "document": "x" * 161}, "document"),
        ({"kind": "installed", "date": "0001-01-01"}, "date"),
        ({"kind": "sworn", "date": "2020-01-01", "members": [{"name": "y" * 5000}]}, "name"),
    ],
)
def test_it_refuses_an_event_out_of_range_or_over_length_and_writes_nothing(
    client: Client, admin: User, body: dict[str, object], field: str
) -> None:
    login(client, admin)
    response = _post(client, body)
    assert response.status_code == 422, response.content  # type: ignore[attr-defined]
    assert field in response.json()["detail"][0]["loc"]  # type: ignore[attr-defined]
    assert CommitteeEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"on": datetime.date(1, 1, 1)}, "date"),
        ({"kind": EventKind.PLAN, "year": 40000}, "year"),
        ({"kind": EventKind.SECRETARY, "person": "x" * 5000}, "person"),
        ({"document": "x" * 161}, "document"),
        (
            {"kind": EventKind.SWORN, "members": [services.MemberIn("y" * 161)]},
            "members.0.name",
        ),
    ],
)
def test_it_checks_ranges_and_column_lengths_in_the_service_whatever_the_caller(
    admin: User, kwargs: dict[str, object], field: str
) -> None:
    """SQLite stores an over-length text silently: the service checks, not the database."""
    committee = Committee.objects.get(level="district", ubigeo="150122")
    arguments: dict[str, object] = {"kind": EventKind.INSTALLED, "on": datetime.date(2020, 1, 1)}
    arguments.update(kwargs)
    kind, on = arguments.pop("kind"), arguments.pop("on")
    with pytest.raises(ValidationError) as info:
        services.record_event(admin, committee.pk, kind, on, **arguments)  # type: ignore[arg-type]
    assert field in info.value.message_dict
    assert CommitteeEvent.objects.count() == 0


def test_it_refuses_a_form_date_outside_the_supported_range() -> None:
    form = EventForm({"kind": "installed", "date": "0001-01-01"})
    assert not form.is_valid() and "date" in form.errors
    assert EventForm({"kind": "plan", "date": "2020-01-01", "year": "40000"}).errors["year"]
