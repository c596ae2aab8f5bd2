"""Reads the observatory's importers and services share: the reference they validate
against and the categories modalities map to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from sinasec.core.text import name_key
from sinasec.incidents import IncidentStore
from sinasec.observatory.models import CrimeCategory
from sinasec.territories.models import Territory


@dataclass(frozen=True)
class CategoryIndex:
    """Categories by the ``name_key`` of their name and aliases; ``other`` for the rest."""

    by_key: dict[str, CrimeCategory]
    other: CrimeCategory

    def for_modality(self, modality: str) -> CrimeCategory:
        return self.by_key.get(name_key(modality), self.other)


def category_index() -> CategoryIndex:
    categories = list(CrimeCategory.objects.all())
    by_key = {
        name_key(alias): category
        for category in categories
        for alias in [category.name, *category.aliases]
    }
    return CategoryIndex(by_key, next(c for c in categories if c.code == "otros"))


def district_codes() -> set[str]:
    return set(Territory.objects.filter(level="district").values_list("ubigeo", flat=True))


def department_codes_by_name() -> dict[str, str]:
    """``{name_key(name): ubigeo}`` of the departments."""
    return {
        name_key(name): code
        for code, name in Territory.objects.filter(level="department").values_list("ubigeo", "name")
    }


@dataclass(frozen=True)
class StoreSummary:
    """What the incident store holds now: shown where incidents are imported, so whoever
    imports sees the result of the last import (on any app server: the store is shared)."""

    rows: int
    first: date | None
    last: date | None
    version: str | None


def incident_store_summary() -> StoreSummary:
    store = IncidentStore(settings.INCIDENTS_DIR)
    version = store.current_version()
    if version is None:
        return StoreSummary(0, None, None, None)
    found = store.query(
        "SELECT count(*) AS n, min(date) AS first, max(date) AS last FROM incidents"
    )
    row = found[0]
    return StoreSummary(int(row["n"]), row["first"], row["last"], version)


# The demo's synthetic incidents (sinasec.observatory.demo) have ids with this prefix:
# the pages that count incidents say how many of them are demo data.
DEMO_ID_PREFIX = "demo-"
_demo_counts: dict[str, int] = {}


def demo_incident_count() -> int:
    """How many incidents of the live store are the demo's synthetic ones (0 when the
    store is empty). Read once per store version: a version never changes."""
    store = IncidentStore(settings.INCIDENTS_DIR)
    version = store.current_version()
    if version is None:
        return 0
    key = f"{settings.INCIDENTS_DIR}:{version}"
    if key not in _demo_counts:
        found = store.query(
            "SELECT count(*) AS n FROM incidents WHERE starts_with(id, ?)", [DEMO_ID_PREFIX]
        )
        _demo_counts[key] = int(found[0]["n"])
    return _demo_counts[key]
