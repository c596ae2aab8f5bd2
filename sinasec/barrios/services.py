"""Every write to Barrio Seguro."""

from __future__ import annotations

import unicodedata

from django.db import transaction

from sinasec.barrios import reference
from sinasec.barrios.models import AnnualGoal, Barrio, BarrioStatus
from sinasec.territories.models import Region


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.upper())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").strip()


def _region_code(label: str, regions: dict[str, str]) -> str | None:
    if not label:
        return None
    return reference.REGION_CODES.get(label) or regions.get(_key(label))


def load_seed_demo() -> int:
    """The barrios of Barrio Seguro 2018 + Acción, one record per barrio counted by the
    document (idempotent). Names are only those the document gives; the row whose
    territory the extraction lost keeps an unknown territory. Every record is demo data:
    the document gives counts per territory, not the barrios themselves."""
    if Barrio.objects.filter(is_demo=True).exists():
        return 0
    regions = {_key(name): code for code, name in Region.objects.values_list("code", "name")}
    created = []
    with transaction.atomic():
        AnnualGoal.objects.get_or_create(
            year=2018, defaults={"goal": reference.GOAL_2018, "source": reference.SOURCE}
        )
        named = {
            label: [n for n in reference.NAMED if n[2] == label] for label in ("Ica", "Callao")
        }
        for cohort, rows, status in (
            ("2016-2017", reference.COHORT_2016_2017, BarrioStatus.LAUNCHED),
            ("2018", reference.COHORT_2018, BarrioStatus.PLANNED),
        ):
            for label, count in rows:
                for _ in range(count):
                    barrio = Barrio(
                        territory_label=label,
                        region_id=_region_code(label, regions),
                        cohort=cohort,
                        goal_year=2018 if cohort == "2018" else None,
                        status=status,
                        is_demo=True,
                        note=""
                        if label
                        else "El nombre del territorio se perdió en la extracción del documento.",
                    )
                    # The barrios the document names fill places of their territory in
                    # the 2018 cohort (it does not say the year of Ventanilla or Carmen de
                    # La Legua: said in the note).
                    if cohort == "2018" and named.get(label):
                        name, ubigeo, _t, year, text = named[label].pop(0)
                        barrio.name, barrio.district_id = name, ubigeo
                        barrio.note = text if year else f"{text} (el documento no indica el año)"
                        if year:
                            barrio.status = BarrioStatus.LAUNCHED
                    created.append(barrio)
        Barrio.objects.bulk_create(created)
    return len(created)
