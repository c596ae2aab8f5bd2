"""Every write to the observatory's aggregated data and incident store. Each function
checks access, owns its transaction and writes its audit record; views, the API and
commands only call these. The parsers (``tables``, ``sidpol``) only read and validate."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.cache import bump_generation
from sinasec.core.imports import ImportResult, Progress
from sinasec.core.text import name_key
from sinasec.incidents import IncidentStore
from sinasec.observatory import reference
from sinasec.observatory.access import check_crime_data_write
from sinasec.observatory.districts import district_index_from_database
from sinasec.observatory.models import Claim, CrimeCategory, CrimeCount, Source, Survey, SurveyWave
from sinasec.observatory.selectors import category_index, department_codes_by_name, district_codes
from sinasec.observatory.sidpol import SidpolRow, parse_sidpol
from sinasec.observatory.tables import TableFigure, parse_table

SEED = "poi-2010"
SIDPOL_SOURCE = "sidpol"


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
    departments = department_codes_by_name()
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
        bump_generation("observatory")
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


def import_table(
    actor: AnyUser, file_name: str, data: bytes, source_name: str = "", is_demo: bool = False
) -> ImportResult:
    """A published table by department and year as its own source; importing the same
    file again changes nothing, a corrected file replaces the source's figures."""
    check_crime_data_write(actor)
    figures = parse_table(data, file_name, department_codes_by_name())
    code = "tabla-" + hashlib.sha256(file_name.encode()).hexdigest()[:10]
    result = ImportResult(file=file_name, rows=len(figures))
    with transaction.atomic():
        source, _created = Source.objects.get_or_create(
            code=code, defaults={"name": source_name or file_name, "is_demo": is_demo}
        )
        existing = {
            (t, y): c for t, y, c in source.counts.values_list("territory_id", "year", "count")
        }
        new = {(f.territory, f.year): f.count for f in figures}
        if existing == new:
            result.unchanged = len(new)
            return result
        source.counts.all().delete()
        CrimeCount.objects.bulk_create(
            [_table_count(source, figure, is_demo) for figure in figures]
        )
        result.created = len(new)
        bump_generation("observatory")
        record_change(
            actor,
            "observatory.import_table",
            source,
            _("Table %(file)s imported: %(n)d figures") % {"file": file_name, "n": len(new)},
            after={"sha256": hashlib.sha256(data).hexdigest(), "figures": len(new)},
        )
    return result


def _table_count(source: Source, figure: TableFigure, is_demo: bool) -> CrimeCount:
    territory = figure.territory
    return CrimeCount(
        source=source,
        territory_id=territory,
        scope="" if territory else "PE",
        year=figure.year,
        count=figure.count,
        is_demo=is_demo,
    )


SidpolKey = tuple[int, int, str, str]  # year, month, ubigeo, modality


def import_sidpol(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Counts by district, month and modality. Re-importing a month replaces it exactly."""
    check_crime_data_write(actor)
    departments = {code: key for key, code in department_codes_by_name().items()}
    rows = parse_sidpol(data, file_name, district_codes(), departments)
    result = ImportResult(file=file_name, rows=len(rows))
    with transaction.atomic():
        source, _created = Source.objects.get_or_create(
            code=SIDPOL_SOURCE, defaults={"name": "PNP, SIDPOL (datos abiertos)"}
        )
        months = sorted({(r.year, r.month) for r in rows})
        existing = _sidpol_counts(source, months)
        new = {(r.year, r.month, r.ubigeo, r.modality): r.count for r in rows}
        result.created = sum(1 for k in new if k not in existing)
        result.updated = sum(1 for k, v in new.items() if k in existing and existing[k] != v)
        result.unchanged = sum(1 for k, v in new.items() if existing.get(k) == v)
        removed = sum(1 for k in existing if k not in new)
        if result.created or result.updated or removed:
            _replace_sidpol_months(source, months, rows)
            bump_generation("observatory")
            record_change(
                actor,
                "observatory.import_sidpol",
                f"sidpol:{file_name}",
                _("SIDPOL %(file)s: %(created)d new, %(updated)d changed, %(removed)d removed")
                % {
                    "file": file_name,
                    "created": result.created,
                    "updated": result.updated,
                    "removed": removed,
                },
                after={
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "months": [f"{y}-{m:02d}" for y, m in months],
                },
                object_type="crime_counts",
            )
    return result


def _sidpol_counts(source: Source, months: list[tuple[int, int]]) -> dict[SidpolKey, int]:
    existing: dict[SidpolKey, int] = {}
    for year, month in months:
        for territory, modality, count in CrimeCount.objects.filter(
            source=source, year=year, month=month
        ).values_list("territory_id", "modality", "count"):
            existing[(year, month, territory or "", modality)] = count
    return existing


def _replace_sidpol_months(
    source: Source, months: list[tuple[int, int]], rows: list[SidpolRow]
) -> None:
    for year, month in months:
        CrimeCount.objects.filter(source=source, year=year, month=month).delete()
    categories = category_index()
    CrimeCount.objects.bulk_create(
        [
            CrimeCount(
                source=source,
                territory_id=r.ubigeo,
                year=r.year,
                month=r.month,
                modality=r.modality,
                category=categories.for_modality(r.modality),
                count=r.count,
            )
            for r in rows
        ],
        batch_size=2000,
    )


def import_incidents(actor: AnyUser, path: Path, progress: Progress | None = None) -> ImportResult:
    """Incident-level records into the Parquet store (national administrators only)."""
    check_crime_data_write(actor)
    # Without imported district boundaries, points keep the ubigeo their file gives.
    index = district_index_from_database() or None
    # Every ubigeo must be a district of the INEI list: a row without coordinates is
    # placed by its ubigeo alone, so "999999" must be refused, not stored.
    summary = IncidentStore(settings.INCIDENTS_DIR).import_file(
        path, district_index=index, known_districts=district_codes(), progress=progress
    )
    bump_generation(
        "observatory"
    )  # the dashboard does not read the store yet; a panel that does is never stale
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
