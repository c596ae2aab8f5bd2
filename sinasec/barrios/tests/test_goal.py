"""Barrio Seguro demo data against the 2018 document's tables."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from sinasec.barrios.models import Barrio
from sinasec.barrios.registry.reference import COHORT_2016_2017, COHORT_2018, PRINTED_TOTALS
from sinasec.barrios.registry.services import load_seed_demo

pytestmark = pytest.mark.django_db


def test_it_reports_the_2018_goal_and_the_seed_s_counts() -> None:
    assert load_seed_demo() == 53
    assert load_seed_demo() == 0  # idempotent
    out = io.StringIO()
    call_command("barrios", "goal", "--year", "2018", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["goal"], data["barrios"]) == (30, 30)
    assert data["cohorts"] == {"2016-2017": 23, "2018": 30} and data["total_all_cohorts"] == 53
    printed = {label or "desconocido": n for label, n in COHORT_2018}
    assert {k: v["planned"] + v["launched"] for k, v in data["by_territory"].items()} == printed
    assert sum(n for _label, n in COHORT_2016_2017) == PRINTED_TOTALS["2016-2017"]


def test_it_keeps_unknown_names_unknown_and_names_only_what_the_seed_names() -> None:
    load_seed_demo()
    named = dict(Barrio.objects.exclude(name="").values_list("name", "district_id"))
    assert named == {
        "San Clemente": "110507",
        "Ventanilla": "070106",
        "Carmen de La Legua": "070103",
    }
    lost = Barrio.objects.get(territory_label="")
    assert lost.region_id is None and lost.district_id is None and lost.cohort == "2018"
    assert Barrio.objects.filter(is_demo=False).count() == 0


def test_it_evaluates_a_barrio_with_the_weighted_displacement_difference() -> None:
    out = io.StringIO()
    call_command(
        "barrios",
        "evaluate",
        "--treated",
        "207",
        "110",
        "--control",
        "308",
        "318",
        "--buffer",
        "178",
        "157",
        "--control-buffer",
        "150",
        "140",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert (data["wdd"], data["variance"], data["z"]) == (-118, 1568, round(-118 / 1568**0.5, 4))
    assert round(data["z"], 2) == -2.98
