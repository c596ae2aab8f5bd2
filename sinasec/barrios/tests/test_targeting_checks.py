"""A targeting run with no value to rank is refused, saying which data to load; an
indicator without values is warned about by name."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from sinasec.analytics.targeting.index import IndicatorChoice, TargetingError, TargetingParams
from sinasec.barrios.messages import run_note_text
from sinasec.barrios.models import TargetingRun
from sinasec.barrios.targeting.services import run_and_store_targeting
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source
from sinasec.territories.models import Population

pytestmark = pytest.mark.django_db


def _params(*keys: str) -> TargetingParams:
    return TargetingParams(
        year=2019, unit="district", indicators=tuple(IndicatorChoice(k) for k in keys)
    )


def test_it_refuses_to_rank_when_no_indicator_has_a_value(analyst: User) -> None:
    Population.objects.create(territory_id="150122", year=2025, value=100_000, source="x")
    with pytest.raises(TargetingError) as info:
        run_and_store_targeting(analyst, _params("rate", "total"))
    text = str(info.value)
    assert "2019" in text and "2025" in text  # the year asked and the years loaded
    assert TargetingRun.objects.count() == 0  # nothing ranked, nothing stored


def test_it_warns_about_each_indicator_without_values(analyst: User) -> None:
    source = Source.objects.create(code="sidpol", name="SIDPOL")
    robo = CrimeCategory.objects.get(code="robo")
    for ubigeo in ("150122", "150101", "150140"):
        CrimeCount.objects.create(
            source=source, territory_id=ubigeo, year=2019, category=robo, count=10
        )
    Population.objects.create(territory_id="150122", year=2025, value=100_000, source="x")
    run = run_and_store_targeting(analyst, _params("total", "rate"))
    notes = [run_note_text(n, 2019) for n in run.results["notes"]]
    ranked = run.results["summary"]["ranked"]
    assert ranked > 3
    # The rate: no value at all (no population of 2019 loaded), said with the years loaded.
    assert any("2019" in n and "2025" in n for n in notes)
    # All crimes: known for the three districts listed, unknown for the others.
    assert any(f"{ranked - 3}" in n and f"{ranked}" in n for n in notes)


def test_it_stores_warnings_as_codes_and_words_them_in_the_readers_language(
    analyst: User,
) -> None:
    source = Source.objects.create(code="sidpol", name="SIDPOL")
    robo = CrimeCategory.objects.get(code="robo")
    CrimeCount.objects.create(
        source=source, territory_id="150122", year=2019, category=robo, count=4
    )
    with translation.override("en"):  # an English-speaking analyst runs it
        run = run_and_store_targeting(analyst, _params("total", "rate"))
    stored = run.results["notes"]
    assert {n["code"] for n in stored if isinstance(n, dict)} == {
        "indicator_no_value",
        "indicator_unknown",
    }
    with translation.override("es-pe"):  # a Spanish reader reads it in Spanish
        spanish = [run_note_text(n, 2019) for n in stored]
    with translation.override("en"):
        english = [run_note_text(n, 2019) for n in stored]
    assert any("Todos los delitos" in n for n in spanish), spanish
    assert any("All crimes" in n for n in english), english
    assert not any("All crimes" in n for n in spanish)
    # A run stored before the codes keeps its text as written.
    assert run_note_text("Todos los delitos se desconoce en 3 de 9 unidades.", 2019) == (
        "Todos los delitos se desconoce en 3 de 9 unidades."
    )
