"""Planned and launched month by month against a year's goal, from recorded dates;
barrios without a date counted apart."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.barrios.models import AnnualGoal, Barrio, BarrioStatus
from sinasec.barrios.registry.selectors import (
    default_goal_year,
    goal_progress,
    goal_progress_by_month,
)
from sinasec.conftest import login

pytestmark = pytest.mark.django_db

YEAR = 2026


def make(
    status: BarrioStatus,
    planned: date | None = None,
    launched: date | None = None,
    goal_year: int = YEAR,
) -> Barrio:
    return Barrio.objects.create(
        cohort=str(goal_year),
        goal_year=goal_year,
        status=status,
        planned_on=planned,
        launched_on=launched,
        territory_label="Lima Metropolitana",
    )


@pytest.fixture
def year_of_barrios() -> None:
    AnnualGoal.objects.create(year=YEAR, goal=6, source="prueba")
    AnnualGoal.objects.create(year=2025, goal=3, source="prueba")
    make(BarrioStatus.PLANNED, planned=date(2025, 12, 10))  # before the year: from January
    make(BarrioStatus.PLANNED, planned=date(YEAR, 2, 3))
    make(BarrioStatus.LAUNCHED, planned=date(YEAR, 3, 1), launched=date(YEAR, 5, 20))
    make(BarrioStatus.CLOSED, planned=date(YEAR, 3, 15), launched=date(YEAR, 5, 2))
    make(BarrioStatus.LAUNCHED)  # launched, neither date recorded
    make(BarrioStatus.PLANNED)  # planned, date not recorded
    make(BarrioStatus.LAUNCHED, planned=date(YEAR, 11, 30), launched=date(YEAR + 1, 1, 10))
    make(BarrioStatus.TARGETED)  # not planned yet: in neither series
    make(
        BarrioStatus.LAUNCHED,
        planned=date(YEAR, 1, 1),
        launched=date(YEAR, 1, 2),
        goal_year=YEAR + 1,
    )


def test_it_counts_planned_and_launched_by_month_with_unknown_dates_apart(
    year_of_barrios: None,
) -> None:
    data = goal_progress_by_month(YEAR)
    assert (data["goal"], data["barrios"]) == (6, 8)
    planned = [m["planned"] for m in data["months"]]
    launched = [m["launched"] for m in data["months"]]
    assert planned == [1, 2, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5]
    assert launched == [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2]
    assert [m["launched_new"] for m in data["months"]][4] == 2
    assert data["planned"] == {
        **data["planned"],
        "before_year": 1,
        "after_year": 0,
        "date_unknown": 2,
        "total": 7,
    }
    assert data["launched"] == {
        **data["launched"],
        "before_year": 0,
        "after_year": 1,
        "date_unknown": 1,
        "total": 4,
    }
    # Every barrio counted once: by the end of the year, plus later, plus unknown.
    for key in ("planned", "launched"):
        series = data[key]
        assert (
            series["cumulative"][-1] + series["after_year"] + series["date_unknown"]
            == (series["total"])
        )


def test_it_counts_a_closed_barrio_as_launched_against_the_goal(year_of_barrios: None) -> None:
    progress = goal_progress(YEAR)
    assert (progress["launched"], progress["planned"], progress["barrios"]) == (4, 4, 8)
    assert default_goal_year() == YEAR


def test_it_shows_the_series_on_the_registry(
    client: Client, analyst: User, year_of_barrios: None
) -> None:
    login(client, analyst)
    html = client.get(f"/barrios/?year={YEAR}").content.decode()
    row = re.search(r'<tr data-series="launched">.*?</tr>', html, re.S)
    assert row is not None
    months = [int(n) for n in re.findall(r'data-month="\d+">(\d+)<', row.group(0))]
    assert months == [0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2]
    assert 'data-column="unknown">1<' in row.group(0)
    assert 'data-column="after">1<' in row.group(0)
    assert re.search(r'data-testid="goal-missing">2<', html)  # goal 6, 4 launched
