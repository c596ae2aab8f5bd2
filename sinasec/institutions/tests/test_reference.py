"""The reference list of institutions, as the data migration loads it, against the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sinasec.catalog.reference import SERVICE_TYPES, SERVICES
from sinasec.institutions.models import Alias, Institution
from sinasec.institutions.reference import INSTITUTIONS, resolve_alias, split_responsibles

POI_2010 = Path("/work/shared/seeds/000_c69d83ebe41a7a7c.txt")
BARRIO_SEGURO_SECTORS = (
    "MINEDU",
    "MIDIS",
    "MINSA",
    "MINCUL",
    "MTC",
    "MTPE",
    "MVCS",
    "MIMP",
    "DEVIDA",
)
_NUMBER = re.compile(r"^\d+(?: \d+)*$")


def _programme_rows() -> list[tuple[str, str]]:
    """(activity number, Responsable cell) of every row of section V of the 2010 plan.

    The programme is the tab-separated table that starts at the first "Estrategias /
    Actividades / ... / Responsable" header. A data row is [strategy?], activity number,
    activity, unit, annual goal, Responsable, months; the strategy cell is missing on
    some pages, so the row is anchored on "number, text, unit, goal".
    """
    lines = POI_2010.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Estrategias\tActividades"))
    rows: list[tuple[str, str]] = []
    for line in lines[start:]:
        if "\t" not in line:
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if cells[0] == "Estrategias" or "Dic" in cells:
            continue  # the two header lines repeated on every page
        for i in range(len(cells) - 4):
            number, activity, unit, goal, responsible = cells[i : i + 5]
            if (
                number.isdigit()
                and activity
                and not _NUMBER.match(activity)
                and unit
                and _NUMBER.match(goal)
            ):
                rows.append((number, responsible))
                break
        else:
            raise AssertionError(f"programme row not understood: {cells[:6]}")
    return rows


@pytest.mark.django_db
def test_it_loads_every_reference_institution_through_the_migration() -> None:
    in_db = set(Institution.objects.values_list("acronym", flat=True))
    assert in_db == {ref.acronym for ref in INSTITUTIONS}
    assert len(in_db) == len(INSTITUTIONS) == 32
    pnp = Institution.objects.get(acronym="PNP")
    assert pnp.name == "Policía Nacional del Perú"
    assert pnp.kind == "police"
    assert pnp.version == 1


@pytest.mark.django_db
def test_it_keeps_mimdes_as_its_own_record_replaced_by_mimp() -> None:
    mimdes = Institution.objects.get(acronym="MIMDES")
    mimp = Institution.objects.get(acronym="MIMP")
    assert mimdes.pk != mimp.pk
    assert mimdes.name == "Ministerio de la Mujer y Desarrollo Social"
    assert mimdes.successor == mimp
    assert mimp.successor is None
    assert mimdes.current == mimp
    assert mimp.current == mimp
    assert list(mimp.predecessors.values_list("acronym", flat=True)) == ["MIMDES"]


@pytest.mark.django_db
def test_it_places_dirpasec_under_the_pnp() -> None:
    dirpasec = Institution.objects.get(acronym="DIRPASEC")
    assert dirpasec.parent is not None
    assert dirpasec.parent.acronym == "PNP"
    assert Institution.objects.get(acronym="ST-CONASEC").parent.acronym == "CONASEC"  # type: ignore[union-attr]
    assert Institution.objects.get(acronym="PNP").parent is None


@pytest.mark.django_db
def test_it_resolves_every_alias_stored_in_the_database() -> None:
    aliases = list(Alias.objects.select_related("institution"))
    expected = sum(len(ref.aliases) for ref in INSTITUTIONS)
    assert len(aliases) == expected > 0
    for alias in aliases:
        assert resolve_alias(alias.text) == alias.institution.acronym, alias.text
    assert Alias.objects.get(text="SALUD").institution.acronym == "MINSA"
    assert Alias.objects.get(text="NPE").institution.acronym == "INPE"


def test_it_resolves_spellings_ignoring_case_accents_and_punctuation() -> None:
    assert resolve_alias("st- conasec") == "ST-CONASEC"
    assert resolve_alias("DEFENSORIA") == "DP"
    assert resolve_alias("MIMDES /") == "MIMDES"
    assert resolve_alias("Ministerio de Salud") == "MINSA"
    assert resolve_alias("Ministerio de Marina") is None
    assert resolve_alias(" / ") is None


def test_it_splits_responsible_cells_as_printed() -> None:
    assert split_responsibles("MP / PNP /MINEDU / INPE") == ["MP", "PNP", "MINEDU", "INPE"]
    assert split_responsibles("PNP - MP") == ["PNP", "MP"]
    assert split_responsibles("PNP Y Gobiernos Locales") == ["PNP", "Gobiernos Locales"]
    assert split_responsibles("COPROSEC CODISEC") == ["COPROSEC", "CODISEC"]
    assert split_responsibles("MIMDES /") == ["MIMDES"]
    assert split_responsibles("PNP DIRPASEC") == ["PNP DIRPASEC"]
    assert split_responsibles("ST- CONASEC") == ["ST- CONASEC"]


@pytest.mark.django_db
def test_it_resolves_every_responsible_of_the_2010_programme() -> None:
    rows = _programme_rows()
    # Strategy 1 keeps activities 8-33 (1-7 were lost in extraction), then 7 + 10 + 5 + 3.
    assert len(rows) == 51
    in_db = set(Institution.objects.values_list("acronym", flat=True))
    resolved: dict[str, str] = {}
    unresolved: list[tuple[str, str, str]] = []
    for number, cell in rows:
        parts = split_responsibles(cell)
        assert parts, f"activity {number}: empty Responsable"
        for part in parts:
            acronym = resolve_alias(part)
            if acronym is None or acronym not in in_db:
                unresolved.append((number, cell, part))
            else:
                resolved[part] = acronym
    assert unresolved == []
    assert resolved["SALUD"] == "MINSA"
    assert resolved["Defensoría"] == "DP"
    assert resolved["Poder Judicial"] == resolved["PJ"] == "PJ"
    assert resolved["PNP DIRPASEC"] == "DIRPASEC"
    assert resolved["ST- CONASEC"] == resolved["ST-CONASEC"] == "ST-CONASEC"
    assert resolved["Empresas de Seguridad Privada"] == "ESP"
    assert resolved["Gobiernos locales"] == resolved["Gobiernos Locales"] == "GL"
    assert set(resolved.values()) >= {"MIMDES", "CORESEC", "COPROSEC", "CODISEC", "MEF"}


@pytest.mark.django_db
def test_it_has_every_sector_of_the_barrio_seguro_commission() -> None:
    found = dict(
        Institution.objects.filter(acronym__in=BARRIO_SEGURO_SECTORS).values_list("acronym", "kind")
    )
    assert set(found) == set(BARRIO_SEGURO_SECTORS)
    assert found["DEVIDA"] == "agency"
    assert {k for a, k in found.items() if a != "DEVIDA"} == {"ministry"}
    for acronym in BARRIO_SEGURO_SECTORS:
        assert "Barrio Seguro 2018" in Institution.objects.get(acronym=acronym).source


def test_every_provider_of_the_2010_catalogue_is_a_reference_institution() -> None:
    """Moved here from ``catalog.reference``: the catalogue cannot import institutions."""
    known = {inst.acronym for inst in INSTITUTIONS}
    for stype in SERVICE_TYPES:
        assert set(stype.providers) <= known, stype.code
    for service in SERVICES:
        assert set(service.providers) <= known, service.number
