"""Indicators and surveys against the 2010 plan's tables 2-4."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from sinasec.observatory.models import CrimeCategory
from sinasec.observatory.services import load_seed_demo

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("observatory", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_it_maps_modalities_to_iccs_sections_at_article_level() -> None:
    sections = dict(CrimeCategory.objects.values_list("code", "iccs_section"))
    assert (sections["robo"], sections["hurto"], sections["estafa"]) == ("04", "05", "07")
    assert (sections["extorsion"], sections["trafico_drogas"], sections["homicidio"]) == (
        "02",
        "06",
        "01",
    )


def test_it_reproduces_table_4_for_2008() -> None:
    load_seed_demo()
    data = run("indicators", "--year", "2008", "--level", "department")
    assert data["national_total"] == 151_560 and data["national_total_is_published"]
    assert data["change_pct"] == 5.1
    leading = [t["name"] for t in data["territories"][:7]]
    assert leading == ["Lima", "Lambayeque", "Arequipa", "Callao", "La Libertad", "Áncash", "Cusco"]
    assert data["territories"][0]["share_pct"] == 44.7
    # The 17 departments listed add up to less than the printed total: shown, not hidden.
    assert data["unlisted_remainder"] == 151_560 - data["listed_total"] == 14_817
    # No population within 3 years of 2008 is loaded: no rate is invented.
    assert all(t["rate_per_100k"] is None for t in data["territories"])


def test_it_gives_each_survey_wave_a_wilson_interval_and_tests_changes() -> None:
    load_seed_demo()
    data = run("survey", "victimizacion")
    wave_2009 = data["waves"][-1]
    assert (wave_2009["pct"], wave_2009["n"]) == (29.1, 498)
    assert wave_2009["ci_low"] < 29.1 < wave_2009["ci_high"]
    last = data["changes"][-1]
    assert (last["from"], last["to"], last["significant"]) == (2008, 2009, False)
    assert last["published_claim"] and last["claim_supported"] is False
    assert data["changes"][2]["significant"] is True  # 2006 -> 2007: 34.8 -> 25.1


def test_it_finds_territory_hot_spots_only_where_counts_are_known(
    admin: User, shared_data: Path
) -> None:
    from sinasec.territories.services import import_boundaries

    load_seed_demo()
    departments = shared_data / "peru_departamental_simple.geojson"
    import_boundaries(admin, departments.name, departments.read_bytes(), "department")
    data = run("hotspots", "--year", "2008", "--level", "department")
    assert len(data["units"]) == 17  # the 8 departments the table does not list are left out
    assert {u["class"] for u in data["units"]} <= {"hot", "cold", "not_significant"}
    callao = next(u for u in data["units"] if u["ubigeo"] == "07")
    assert callao["z"] > 2 and callao["p"] < 0.01  # high, but not a discovery at FDR 0.05 over 17
    assert callao["class"] == "not_significant"
