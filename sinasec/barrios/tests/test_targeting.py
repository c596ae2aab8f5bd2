"""Targeting runs: a run over every district with SIDPOL-like counts, its filters, hot
spots, reproduction from the stored data and who may run it (the composite index and
the scoring of a snapshot are tested in ``sinasec/analytics/tests/test_targeting.py``)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils.translation import override

from sinasec.analytics.targeting.index import (
    IndicatorChoice,
    TargetingParams,
    compare,
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
    analyst: User, secretary: User, admin: User
) -> None:
    sidpol_counts()
    districts = Territory.objects.filter(level="district").count()
    run = run_and_store_targeting(analyst, PARAMS)
    results = run.results
    units = {u["ubigeo"]: u for u in results["units"]}
    assert len(results["units"]) == districts  # no filter: every district is ranked
    assert results["source"] == "sidpol" and results["population_year"] == 2025

    # The rate is the observatory's rate per 100,000 with the nearest population year
    # (indicators() rounds it; targeting takes the nearest within 3 years).
    published = {
        t["ubigeo"]: t["rate_per_100k"]
        for t in indicators(YEAR, "district", nearest_population=True)["territories"]
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
    with pytest.raises(AccessDenied):  # the read-only analyst ranks, never creates
        create_barrio_from_target(analyst, run.pk, HIGHEST)
    barrio = create_barrio_from_target(admin, run.pk, HIGHEST, "Huáscar")
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
    assert "hotspots_too_few" in result.notes
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
    client: Client, analyst: User, secretary: User, admin: User
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
    assert 'data-indicator="homicides"' in explained and "create-barrio" not in explained
    exported = client.get(f"/barrios/focalizacion/{run.pk}/resultados.csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(run.results["units"]) and HIGHEST in lines[1]
    assert lines[0].startswith("ejecución,año,puesto,ubigeo,nombre,índice,punto caliente")
    assert "Homicidios: valor" in lines[0]
    codes = client.get(f"/barrios/focalizacion/{run.pk}/resultados.csv?columnas=codigos")
    header = codes.content.decode("utf-8-sig").splitlines()[0]
    assert (
        header.startswith("run,year,rank,ubigeo,name,score,hotspot") and "homicides value" in header
    )
    # The form says why a grid of rates is not possible, and stores nothing.
    refused = client.post(
        "/barrios/focalizacion/",
        {"unit": "grid", "year": YEAR, "cell_size_m": "250", "indicator-0": "rate"},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 200 and "no rate" in refused.content.decode()
    assert TargetingRun.objects.count() == 1
    # The analyst reads the run but creates no barrio: refused by access (a 403).
    response = client.post(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/crear-barrio/")
    assert response.status_code == 403 and not Barrio.objects.filter(district_id=HIGHEST)
    client.force_login(admin)
    explained = client.get(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/").content.decode()
    assert "create-barrio" in explained
    client.force_login(secretary)
    assert client.get("/barrios/focalizacion/").status_code == 403
    assert client.get(f"/barrios/focalizacion/{run.pk}/").status_code == 403
    response = client.post(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/crear-barrio/")
    assert response.status_code == 403 and not Barrio.objects.filter(district_id=HIGHEST)
