"""The synthetic control of one barrio from the incident store: weights recovered by
construction, the placebo rank, the command and the section of the monitoring page."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sinasec.barrios.evaluation.synth import synth_of_barrio
from sinasec.barrios.models import Barrio
from sinasec.barrios.tests import monitoring_data as data
from sinasec.incidents import IncidentStore

pytestmark = pytest.mark.django_db

# Monthly incidents of 2024 (launch in July: index 6). The barrio is, before the launch,
# exactly half of donor A plus half of donor B; after it, 3 a month fewer than that.
DONORS = {
    "A": ((2_000.0, 0.0), [2, 4, 6, 2, 4, 6] + [4] * 6),
    "B": ((-2_000.0, 0.0), [4, 6, 2, 6, 2, 4] + [4] * 6),
    "C": ((0.0, 2_000.0), [1, 1, 1, 5, 5, 5] + [3] * 6),
    "D": ((0.0, -2_000.0), [8, 2, 8, 2, 8, 2] + [5] * 6),
}
TREATED = [3, 5, 4, 4, 3, 5] + [1] * 6


def _incidents() -> list[data.Incident]:
    rows: list[data.Incident] = []
    places = [((0.0, 0.0), TREATED), *DONORS.values()]
    for (dx, dy), counts in places:
        for month, count in enumerate(counts, start=1):
            rows += [(date(2024, month, 10), dx, dy)] * count
    return rows


@pytest.fixture
def scenario(settings, tmp_path: Path) -> tuple[Barrio, dict[str, Barrio], IncidentStore]:
    data.district_with_population()
    treated = data.barrio("Barrio tratado", 0.0, launched_on=data.LAUNCH)
    donors = {
        name: data.barrio(f"Donante {name}", dx, dy) for name, ((dx, dy), _c) in DONORS.items()
    }
    data.barrio("Lanzado en la ventana", 2_000.0, 2_000.0, launched_on=date(2024, 3, 1))
    data.barrio("Lanzado antes", -2_000.0, 2_000.0, launched_on=date(2023, 5, 1))
    store = data.write_store(tmp_path, _incidents())
    settings.INCIDENTS_DIR = store.root
    return treated, donors, store


def test_it_recovers_the_donor_weights_and_ranks_the_barrio_first(scenario) -> None:
    treated, donors, store = scenario
    everyone = list(Barrio.objects.exclude(pk=treated.pk))
    figures = synth_of_barrio(treated, everyone, store, *data.WINDOW)
    assert figures["available"] is True
    weights = {d["id"]: d["weight"] for d in figures["donors"]}
    assert set(weights) == {b.pk for b in donors.values()}  # those launched are left out
    assert weights[donors["A"].pk] == pytest.approx(0.5, abs=1e-6)
    assert weights[donors["B"].pk] == pytest.approx(0.5, abs=1e-6)
    result = figures["result"]
    assert result["launch_index"] == 6 and figures["launch_month"] == "2024-07"
    assert result["average_gap"] == pytest.approx(-3, abs=1e-5)
    assert result["rank"] == 1 and result["p_value"] == pytest.approx(1 / 5)


def test_it_says_why_when_there_are_too_few_donors(scenario) -> None:
    treated, donors, store = scenario
    figures = synth_of_barrio(treated, [donors["A"]], store, *data.WINDOW)
    assert figures == {"available": False, "reason": "no_donors"}
    late = synth_of_barrio(treated, list(donors.values()), store, "2024-07", "2024-12")
    assert late == {"available": False, "reason": "launch_outside_window"}


def _synth(*args: str) -> str:
    out = io.StringIO()
    call_command("barrios", "synth", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_weights_and_the_placebo_rank(scenario) -> None:
    treated, donors, _store = scenario
    window = ["--from", data.WINDOW[0], "--to", data.WINDOW[1]]
    figures = json.loads(_synth(str(treated.pk), *window, "--format", "json"))
    assert figures["result"]["rank"] == 1
    table = _synth(str(treated.pk), *window)
    assert "rank 1 of 5, p = 0.200" in table and "Donante A" in table
    with pytest.raises(CommandError, match=r"two donor|dos barrios donantes"):
        _synth(str(treated.pk), *window, "--donors", str(donors["A"].pk))
    with pytest.raises(CommandError, match="no barrio"):
        _synth("999999", *window)


def test_the_monitoring_page_shows_it_beside_the_wdd(scenario, analyst: User) -> None:
    treated, donors, _store = scenario
    client = Client()
    client.force_login(analyst)
    response = client.get(
        f"/barrios/{treated.pk}/monitoreo/", {"desde": data.WINDOW[0], "hasta": data.WINDOW[1]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="synth" data-available="true"' in html
    assert 'data-testid="synth-chart"' in html and 'data-testid="synth-gap-chart"' in html
    levels = response.context["synth_charts"][0].spec()
    result = response.context["synth"]["result"]
    assert [s["key"] for s in levels["series"]] == ["barrio", "synthetic"]
    assert levels["series"][0]["values"] == [round(v, 2) for v in result["treated"]]
    assert levels["marker"]["index"] == result["launch_index"]
    assert 'id="synth-levels-data"' in html and 'id="synth-gap-data"' in html
    assert f'<tr data-barrio="{donors["A"].pk}">' in html
    assert f'<tr data-barrio="{donors["C"].pk}">' not in html  # weight 0: not listed
    assert "style=" not in html and "<script>" not in html
