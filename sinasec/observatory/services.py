"""Every write to the observatory's aggregated data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.text import name_key
from sinasec.observatory import reference
from sinasec.observatory.models import Claim, CrimeCategory, CrimeCount, Source, Survey, SurveyWave
from sinasec.territories.access import check_territories_write
from sinasec.territories.models import Territory
from sinasec.territories.services import ImportResult

SEED = "poi-2010"


def load_categories(category_model: Any = CrimeCategory) -> int:
    created = 0
    for ref in reference.CATEGORIES:
        _obj, new = category_model.objects.get_or_create(
            code=ref.code,
            defaults={
                "name": ref.name,
                "penal_family": ref.penal_family,
                "penal_articles": ref.articles,
                "iccs_section": ref.iccs,
                "iccs_name": reference.ICCS_SECTIONS[ref.iccs],
                "aliases": list(ref.aliases),
            },
        )
        created += int(new)
    return created


def load_seed_demo() -> int:
    """Tables 2-4 of the 2010 plan as demo data (idempotent). Table 4's national TOTAL
    is its own record: the 17 departments listed add up to less."""
    source, _ = Source.objects.get_or_create(
        code=SEED, defaults={"name": reference.SEED_SOURCE + " (tabla 4, PNP)", "is_demo": True}
    )
    if source.counts.exists():
        return 0
    departments = {
        name_key(name): code
        for code, name in Territory.objects.filter(level="department").values_list("ubigeo", "name")
    }
    rows = []
    with transaction.atomic():
        for year, total in zip(reference.TABLE_4_YEARS, reference.TABLE_4_TOTAL, strict=True):
            rows.append(CrimeCount(source=source, scope="PE", year=year, count=total, is_demo=True))
        for name, values in reference.TABLE_4:
            for year, value in zip(reference.TABLE_4_YEARS, values, strict=True):
                rows.append(
                    CrimeCount(
                        source=source,
                        territory_id=departments[name_key(name)],
                        year=year,
                        count=value,
                        is_demo=True,
                    )
                )
        CrimeCount.objects.bulk_create(rows)
        for ref in reference.SURVEYS:
            survey, _ = Survey.objects.get_or_create(
                code=ref.code,
                defaults={
                    "question": ref.question,
                    "answer": ref.answer,
                    "source": reference.UNIVERSIDAD_DE_LIMA,
                    "is_demo": True,
                },
            )
            for wave_year, label, base, share in ref.waves:
                SurveyWave.objects.get_or_create(
                    survey=survey,
                    year=wave_year,
                    defaults={"label": label, "base": base, "pct": share},
                )
            for first, second, text in ref.claims:
                Claim.objects.get_or_create(
                    survey=survey,
                    from_year=first,
                    to_year=second,
                    defaults={"text": text, "source": reference.SEED_SOURCE},
                )
    return len(rows)


def import_incidents(actor: AnyUser, path: Path, show_progress: bool = False) -> ImportResult:
    """Incident-level records into the Parquet store (national administrators only)."""
    from django.conf import settings

    from sinasec.core.commands import progress_bar
    from sinasec.incidents import DistrictIndex, IncidentStore
    from sinasec.territories.models import Boundary

    check_territories_write(actor)
    boundaries = Boundary.objects.filter(territory__level="district").values_list(
        "territory_id", "geometry"
    )
    index = DistrictIndex.from_boundaries(boundaries) if boundaries.exists() else None
    with progress_bar(path.name, show_progress) as progress:
        summary = IncidentStore(settings.INCIDENTS_DIR).import_file(
            path, district_index=index, progress=progress
        )
    record_change(
        actor,
        "observatory.import_incidents",
        f"incidents:{path.name}",
        _("Incidents imported from %s") % path.name,
        after=summary.as_dict(),
        object_type="incidents",
    )
    return ImportResult(
        file=path.name, rows=summary.rows, created=summary.inserted, updated=summary.replaced
    )
