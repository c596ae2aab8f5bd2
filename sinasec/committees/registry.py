"""The universe of committees, derived from the territories: one CORESEC per regional
government, one COPROSEC per province, one CODISEC per district that is not the capital
of its province (INEI codes capitals as ``PPPP01``; the COPROSEC covers them).

Lima province (1501) has no COPROSEC: the Municipalidad Metropolitana de Lima has
regional functions, so the CORESEC of Lima Metropolitana is its provincial committee
too. This is what makes the 2010 plan's universe of 194 provincial committees: the 195
provinces of 2009 less Lima.
"""

from __future__ import annotations

from typing import Any

from sinasec.committees.models import ACRONYM, CommitteeLevel
from sinasec.territories.reference import LIMA_METROPOLITANA


def is_capital_district(ubigeo: str) -> bool:
    return len(ubigeo) == 6 and ubigeo.endswith("01")


def sync_registry(committee_model: Any, territory_model: Any, region_model: Any) -> int:
    """Create the committees that are missing (idempotent). Returns how many."""
    existing = set(committee_model.objects.values_list("level", "ubigeo"))
    new = []
    for region in region_model.objects.all():
        if (CommitteeLevel.REGIONAL, region.code) not in existing:
            new.append(
                committee_model(
                    level=CommitteeLevel.REGIONAL,
                    region_id=region.code,
                    ubigeo=region.code,
                    name=f"{ACRONYM[CommitteeLevel.REGIONAL]} {region.name}",
                )
            )
    for territory in territory_model.objects.filter(level__in=["province", "district"]):
        level = (
            CommitteeLevel.PROVINCIAL if territory.level == "province" else CommitteeLevel.DISTRICT
        )
        if level == CommitteeLevel.DISTRICT and is_capital_district(territory.ubigeo):
            continue
        if territory.ubigeo == LIMA_METROPOLITANA:
            continue
        if (level, territory.ubigeo) not in existing:
            new.append(
                committee_model(
                    level=level,
                    territory_id=territory.ubigeo,
                    ubigeo=territory.ubigeo,
                    name=f"{ACRONYM[level]} {territory.name}",
                )
            )
    committee_model.objects.bulk_create(new, batch_size=1000)
    return len(new)
