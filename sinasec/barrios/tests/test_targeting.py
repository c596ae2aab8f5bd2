"""Targeting runs: the composite index, a run over every district with SIDPOL-like
counts, its filters, hot spots, reproduction from the stored data and who may run it."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils.translation import override

from sinasec.analytics.targeting.index import (
    IndicatorChoice,
    TargetingError,
    TargetingParams,
    compare,
    composite_index,
    rows_for_export,
    score,
)
from sinasec.audit.models import AuditEvent
from sinasec.barrios.models import Barrio, BarrioStatus, TargetingRun
from sinasec.barrios.targeting.data import run_targeting
from sinasec.barrios.targeting.services import create_barrio_from_target, run_and_store_targeting
from sinasec.core.errors import AccessDenied
from sinasec.observatory.indicators import indicators
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source
from sinasec.territories.models import Population, Territory

YEAR = 2024
UNLISTED = "010102"  # Asunción (Amazonas): the source lists no crime there
HIGHEST = "150132"  # San Juan de Lurigancho: given the most homicides
BASE_RATES = {"robo": 300, "hurto": 400, "homicidio": 8, "otros": 200}  # per 100,000 a year


def sidpol_counts(year: int = YEAR, seed: int = 7) -> int:
    """SIDPOL-like counts (district x half-year x category) for every district with a
    2025 population: Poisson around national rates, three times higher in Lima
    Metropolitana and Callao (a contiguous cluster), none for ``UNLISTED``."""
    rng = np.random.default_rng(seed)
    source, _created = Source.objects.get_or_create(
        code="sidpol", defaults={"name": "PNP, SIDPOL (sintético de prueba)"}
    )
    categories = {c.code: c for c in CrimeCategory.objects.filter(code__in=BASE_RATES)}
    rows = []
    for ubigeo, people in Population.objects.filter(year=2025).values_list("territory_id", "value"):
        if ubigeo == UNLISTED:
            continue
        factor = 3.0 if ubigeo.startswith(("1501", "07")) else 1.0
        for month in (1, 7):
            for code, rate in BASE_RATES.items():
                count = int(rng.poisson(people * rate * factor / 100_000 / 2))
                if ubigeo == HIGHEST and code == "homicidio":
                    count = 500
                if count:
                    rows.append(
                        CrimeCount(
                            source=source,
                            territory_id=ubigeo,
                            year=year,
                            month=month,
                            category=categories[code],
                            modality=code.upper(),
                            count=count,
                        )
                    )
    CrimeCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# ---------------------------------------------------------------------------------------
# The composite index (pure).


def test_contributions_add_up_to_the_score_with_either_normalisation() -> None:
    rng = np.random.default_rng(1)
    values = {"a": rng.gamma(2, 10, 200), "b": rng.poisson(5, 200), "c": rng.normal(0, 1, 200)}
    for method in ("minmax", "z"):
        result = composite_index(values, {"a": 1, "b": 0.5, "c": 2}, method=method)
        total = sum(result.contributions.values())
        np.testing.assert_allclose(total, result.score, rtol=0, atol=1e-12)
        assert math.isclose(sum(result.weights.values()), 1.0)
    minmax = composite_index(values, {"a": 1, "b": 0.5, "c": 2})
    assert minmax.score.min() >= 0 and minmax.score.max() <= 1
    score_, contributions = composite_index(values, {"a": 1, "b": 1, "c": 1})  # unpacks
    assert set(contributions) == {"a", "b", "c"} and score_.shape == (200,)


def test_weights_decide_the_ranking_and_are_relative() -> None:
    values = {"rate": [10.0, 0.0, 5.0], "robo": [0.0, 10.0, 5.0]}
    heavy_rate = composite_index(values, {"rate": 2, "robo": 1})
    assert heavy_rate.weights == {"rate": 2 / 3, "robo": 1 / 3}
    assert list(np.argsort(-heavy_rate.score)) == [0, 2, 1]
    heavy_robo = composite_index(values, {"rate": 1, "robo": 2})
    assert list(np.argsort(-heavy_robo.score)) == [1, 2, 0]
    # Only relative weights count: 4 and 2 rank exactly as 2 and 1.
    np.testing.assert_allclose(
        composite_index(values, {"rate": 4, "robo": 2}).score, heavy_rate.score
    )
    ignored = composite_index(values, {"rate": 1, "robo": 0})
    assert not ignored.contributions["robo"].any()
    np.testing.assert_allclose(ignored.score, [1.0, 0.0, 0.5])
    # Direction -1: less is worse.
    reversed_ = composite_index(values, {"rate": 1, "robo": 0}, {"rate": -1})
    np.testing.assert_allclose(reversed_.score, [0.0, 1.0, 0.5])


def test_a_missing_value_contributes_zero_is_flagged_and_not_imputed() -> None:
    values: dict[str, Any] = {
        "rate": [100.0, np.nan, 50.0, 0.0],
        "robo": np.array([1.0, 4.0, None, 3.0], dtype=float),  # None: missing
    }
    result = composite_index(values, {"rate": 1, "robo": 1})
    assert list(result.missing["rate"]) == [False, True, False, False]
    assert list(result.missing["robo"]) == [False, False, True, False]
    assert result.contributions["rate"][1] == 0 and result.contributions["robo"][2] == 0
    assert math.isnan(result.normalised["rate"][1])
    # Normalised over the known values only: the missing unit is not a zero.
    np.testing.assert_allclose(result.normalised["rate"][[0, 2, 3]], [1.0, 0.5, 0.0])
    np.testing.assert_allclose(result.normalised["robo"][[0, 1, 3]], [0.0, 1.0, 2 / 3])
    assert list(result.any_missing) == [False, True, True, False]
    # An indicator that cannot tell the units apart is 0 everywhere.
    flat = composite_index({"x": [3.0, 3.0], "y": [1.0, 2.0]}, {"x": 1, "y": 1})
    assert not flat.contributions["x"].any()


def test_it_refuses_weights_and_parameters_it_cannot_use() -> None:
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0]}, {"a": -1})
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0]}, {"a": 0})
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0], "b": [1.0]}, {"a": 1, "b": 1})
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0]}, {"b": 1})
    with override("en"), pytest.raises(TargetingError, match="national"):
        IndicatorChoice.parse("survey:victimizacion")
    with pytest.raises(TargetingError):
        TargetingParams(year=YEAR, min_population=10, max_population=5)
    with pytest.raises(TargetingError):
        TargetingParams(year=YEAR, indicators=(IndicatorChoice("rate"), IndicatorChoice("rate")))
    assert IndicatorChoice.parse("count:robo:0.5") == IndicatorChoice("count:robo", 0.5)
    assert IndicatorChoice.parse("count:robo") == IndicatorChoice("count:robo", 1.0)
    assert IndicatorChoice.parse("rate:2") == IndicatorChoice("rate", 2.0)
    params = TargetingParams(
        year=YEAR, indicators=(IndicatorChoice("rate", 1), IndicatorChoice("homicides", 0.5))
    )
    assert TargetingParams.from_dict(json.loads(json.dumps(params.as_dict()))) == params
    with override("en"), pytest.raises(TargetingError, match="no rate"):
        TargetingParams(year=YEAR, unit="grid", cell_size_m=500)


def _grid_snapshot() -> dict:
    """A 5 x 5 lattice of units (queen neighbours) with high values in one corner, one
    unit without a polygon and one without a value."""
    units: list[dict[str, Any]] = []
    for r in range(5):
        for c in range(5):
            neighbours = [
                f"{r + dr}{c + dc}"
                for dr in (-1, 0, 1)
                for dc in (-1, 0, 1)
                if (dr or dc) and 0 <= r + dr < 5 and 0 <= c + dc < 5
            ]
            value = 100.0 if r < 2 and c < 2 else 1.0 + (r * 5 + c) % 3
            units.append(
                {"ubigeo": f"{r}{c}", "name": f"u{r}{c}", "values": {"rate": value}}
                | {"neighbours": neighbours}
            )
    units[24]["neighbours"] = None
    units[20]["values"] = {"rate": None}
    return {"units": units, "source": "test", "population_year": None}


def test_score_marks_gi_hot_spots_and_says_why_a_unit_was_not_tested() -> None:
    params = TargetingParams(year=YEAR)
    result = score(params, _grid_snapshot())
    by_ubigeo = {u["ubigeo"]: u for u in result.units}
    assert {by_ubigeo[u]["hotspot"] for u in ("00", "01", "10", "11")} == {"hot"}
    assert by_ubigeo["44"]["not_tested_reason"] == "no_boundary"
    assert by_ubigeo["40"]["not_tested_reason"] == "missing_data"
    assert by_ubigeo["40"]["missing"] == ["rate"] and by_ubigeo["40"]["score"] == 0
    assert [u["rank"] for u in result.units] == list(range(1, 26))
    assert result.units[0]["score"] == 1.0
    # z-normalised scores (negative below the mean) give the same Gi* z-scores.
    z_result = score(TargetingParams(year=YEAR, method="z"), _grid_snapshot())
    z_by = {u["ubigeo"]: u for u in z_result.units}
    for ubigeo, unit in by_ubigeo.items():
        if unit["gi_z"] is not None:
            assert math.isclose(unit["gi_z"], z_by[ubigeo]["gi_z"], rel_tol=1e-9)


# ---------------------------------------------------------------------------------------
# A run over every district.


@pytest.fixture
def district_boundaries(admin: User, shared_data: Path) -> None:
    from sinasec.territories.services import import_boundaries

    path = shared_data / "peru_distrital_simple.geojson"
    import_boundaries(admin, path.name, path.read_bytes(), "district", skip_unknown=True)


PARAMS = TargetingParams(
    year=YEAR,
    indicators=(
        IndicatorChoice("rate", 1),
        IndicatorChoice("count:robo", 0.5),
        IndicatorChoice("homicides", 1),
    ),
)


@pytest.mark.django_db
@pytest.mark.usefixtures("population_2025", "district_boundaries")
def test_it_ranks_every_district_marks_hot_spots_and_reproduces_from_the_snapshot(
    analyst: User, secretary: User
) -> None:
    sidpol_counts()
    districts = Territory.objects.filter(level="district").count()
    run = run_and_store_targeting(analyst, PARAMS)
    results = run.results
    units = {u["ubigeo"]: u for u in results["units"]}
    assert len(results["units"]) == districts  # no filter: every district is ranked
    assert results["source"] == "sidpol" and results["population_year"] == 2025

    # The rate is the observatory's rate per 100,000 (indicators() rounds it).
    published = {
        t["ubigeo"]: t["rate_per_100k"] for t in indicators(YEAR, "district")["territories"]
    }
    for ubigeo, rate in published.items():
        value = units[ubigeo]["values"]["rate"]
        assert (value is None and rate is None) or round(value, 1) == rate
    # The ranking: the most homicides and the most robberies put SJL first.
    assert results["units"][0]["ubigeo"] == HIGHEST
    assert results["units"][0]["contributions"]["homicides"] == pytest.approx(1 / 2.5)
    scores = [u["score"] for u in results["units"]]
    assert scores == sorted(scores, reverse=True)
    for unit in results["units"]:
        assert sum(unit["contributions"].values()) == pytest.approx(unit["score"], abs=1e-12)
    # Unknown is not zero: a district the source does not list is flagged, not imputed;
    # a listed district with no homicide row has 0 homicides.
    assert units[UNLISTED]["missing"] == ["rate", "count:robo", "homicides"]
    assert units[UNLISTED]["score"] == 0 and units[UNLISTED]["hotspot"] == "not_tested"
    assert units[UNLISTED]["not_tested_reason"] == "missing_data"
    listed_without_homicide = next(
        u
        for u in results["units"]
        if not u["missing"] and u["values"]["homicides"] == 0 and u["values"]["rate"]
    )
    assert listed_without_homicide["contributions"]["homicides"] == 0
    for ubigeo in ("090708", "090712"):  # no 2025 population: no rate
        assert "rate" in units[ubigeo]["missing"]

    # Gi* with BH: Lima and Callao's cluster is hot; districts with no polygon are flagged.
    classes = {u["hotspot"] for u in results["units"]}
    assert {"hot", "not_significant", "not_tested"} <= classes
    assert units["150132"]["hotspot"] == "hot" and units["150101"]["hotspot"] == "hot"
    assert units["160801"]["not_tested_reason"] == "no_boundary"  # Putumayo: no polygon
    assert all(u["hotspot"] != "hot" for u in results["units"] if u["ubigeo"][:2] in ("03", "21"))

    # Stored with its parameters and data; reproduced from the stored data alone.
    stored = TargetingRun.objects.get(pk=run.pk)
    assert stored.created_by == analyst and not stored.is_demo
    assert TargetingParams.from_dict(stored.parameters) == PARAMS
    CrimeCount.objects.all().delete()  # the database no longer has the data
    again = score(TargetingParams.from_dict(stored.parameters), stored.data_snapshot)
    assert compare(again.as_dict()["units"], stored.results["units"])
    assert json.loads(json.dumps(again.as_dict(), default=str)) == stored.results
    assert AuditEvent.objects.filter(action="barrios.run_targeting", object_id=str(run.pk))
    header, rows = rows_for_export(stored.results)
    assert len(rows) == districts and header[:4] == ["rank", "ubigeo", "name", "score"]

    # Only national staff run targetings.
    with pytest.raises(AccessDenied):
        run_and_store_targeting(secretary, PARAMS)
    with pytest.raises(AccessDenied):
        create_barrio_from_target(secretary, run.pk, HIGHEST)
    barrio = create_barrio_from_target(analyst, run.pk, HIGHEST, "Huáscar")
    assert (barrio.district_id, barrio.region_id, barrio.status) == (
        HIGHEST,
        "1501",
        BarrioStatus.TARGETED,
    )
    assert re.search(
        rf"\b{run.pk}\b", barrio.note
    )  # the run, in any language and barrio.name == "Huáscar"
    assert AuditEvent.objects.filter(action="barrios.create_from_target", object_id=str(barrio.pk))


@pytest.mark.django_db
@pytest.mark.usefixtures("population_2025")
def test_it_filters_by_population_and_urban_capital(analyst: User, secretary: User) -> None:
    sidpol_counts()
    population = dict(Population.objects.filter(year=2025).values_list("territory_id", "value"))
    ciudad = set(
        Territory.objects.filter(level="district", category="Ciudad").values_list(
            "ubigeo", flat=True
        )
    )
    result = run_targeting(
        TargetingParams(
            year=YEAR,
            indicators=(IndicatorChoice("rate"),),
            min_population=20_000,
            max_population=200_000,
            urban=True,
        )
    )
    ranked = {u["ubigeo"] for u in result.units}
    assert ranked and ranked <= ciudad
    assert all(20_000 <= population[u] <= 200_000 for u in ranked)
    expected = {u for u in ciudad if 20_000 <= population.get(u, -1) <= 200_000}
    assert ranked == expected
    assert result.excluded["population_unknown"] == 2  # Salcabamba and Huaribamba
    # No polygon imported: nothing is tested, and the reason is given.
    assert {u["not_tested_reason"] for u in result.units} <= {"no_boundary"}
    assert any("fewer than three" in note for note in result.notes)
    # The normalisation is over the units kept: the highest rate among them scores 1.
    assert result.units[0]["score"] == 1.0

    out = io.StringIO()
    call_command(
        "barrios",
        "target",
        "--year",
        str(YEAR),
        "--indicator",
        "rate:1",
        "--indicator",
        "count:robo:0.5",
        "--min-population",
        "100000",
        "--top",
        "5",
        "--format",
        "json",
        "--as",
        analyst.username,
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert len(data["units"]) == 5 and data["ranked"] > 5
    assert data["parameters"]["indicators"][1] == {
        "key": "count:robo",
        "weight": 0.5,
        "direction": 1,
    }
    assert TargetingRun.objects.get(pk=data["run"]).created_by == analyst
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("barrios", "target", "--year", str(YEAR), "--as", secretary.username)
    assert refused.value.returncode == 2
    with override("en"), pytest.raises(CommandError, match="no polygons to rank"):
        call_command("barrios", "target", "--year", str(YEAR), "--unit", "polygons")
    assert not Barrio.objects.filter(status=BarrioStatus.TARGETED).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("population_2025")
def test_the_pages_show_a_run_its_map_its_export_and_refuse_other_roles(
    client: Client, analyst: User, secretary: User
) -> None:
    sidpol_counts()
    run = run_and_store_targeting(analyst, PARAMS)
    client.force_login(analyst)
    page = client.get(f"/barrios/focalizacion/{run.pk}/")
    assert page.status_code == 200 and HIGHEST in page.content.decode()
    features = client.get(f"/barrios/focalizacion/{run.pk}/mapa.geojson?top=10").json()
    assert len(features["features"]) == 10
    assert features["features"][0]["properties"]["score"] > 0
    explained = client.get(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/").content.decode()
    assert 'data-indicator="homicides"' in explained and "create-barrio" in explained
    exported = client.get(f"/barrios/focalizacion/{run.pk}/resultados.csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(run.results["units"]) and HIGHEST in lines[1]
    # The form says why a grid of rates is not possible, and stores nothing.
    refused = client.post(
        "/barrios/focalizacion/",
        {"unit": "grid", "year": YEAR, "cell_size_m": "250", "indicator-0": "rate"},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 200 and "no rate" in refused.content.decode()
    assert TargetingRun.objects.count() == 1
    client.force_login(secretary)
    assert client.get("/barrios/focalizacion/").status_code == 403
    assert client.get(f"/barrios/focalizacion/{run.pk}/").status_code == 403
    response = client.post(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/crear-barrio/")
    assert response.status_code == 403 and not Barrio.objects.filter(district_id=HIGHEST)
