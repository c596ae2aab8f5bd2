"""Import of a published table of counts by department and year, in the layout of the
2010 plan's table 4: a ``DEPARTAMENTO`` column, one column per year, one row per
department and an optional ``TOTAL`` row kept as the source's own national total."""

from __future__ import annotations

import csv
import hashlib
import io

from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.text import name_key
from sinasec.observatory.models import CrimeCount, Source
from sinasec.observatory.sidpol import whole_number
from sinasec.territories.access import check_territories_write
from sinasec.territories.importers import ProblemList, decode_text
from sinasec.territories.models import Territory
from sinasec.territories.services import ImportResult


def import_table(
    actor: AnyUser, file_name: str, data: bytes, source_name: str = "", is_demo: bool = False
) -> ImportResult:
    check_territories_write(actor)
    text = decode_text(data, file_name)
    first = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text), delimiter=max((";", ",", "\t"), key=first.count))
    header = [h.strip() for h in next(reader)]
    problems = ProblemList()
    if not header or name_key(header[0]) not in ("DEPARTAMENTO", "DEPARTMENT", "REGION"):
        problems.add(
            1, header[0] if header else None, _("the first column must be DEPARTAMENTO"), file_name
        )
    years = []
    for column in header[1:]:
        parsed = whole_number(column)
        if parsed is None or not 1900 <= parsed <= 2100:
            problems.add(1, column, _("“%(value)s” is not a year") % {"value": column}, file_name)
        else:
            years.append(parsed)
    problems.raise_if_any()
    departments = {
        name_key(n): c
        for c, n in Territory.objects.filter(level="department").values_list("ubigeo", "name")
    }
    records: list[tuple[str | None, int, int]] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        name = name_key(values[0])
        code = None if name == "TOTAL" else departments.get(name)
        if name != "TOTAL" and code is None:
            problems.add(
                number,
                header[0],
                _("unknown department “%(value)s”") % {"value": values[0]},
                file_name,
            )
            continue
        if name in seen:
            problems.add(
                number,
                header[0],
                _("duplicate row (already in row %(first)d)") % {"first": seen[name]},
                file_name,
            )
            continue
        seen[name] = number
        for year, raw in zip(years, values[1:], strict=False):
            count = whole_number(raw)
            if count is None or count < 0:
                problems.add(
                    number,
                    str(year),
                    _("“%(value)s” is not a whole number") % {"value": raw},
                    file_name,
                )
                continue
            records.append((code, year, count))
    if not records and not problems:
        problems.add(None, None, _("the file has a header but no data rows"), file_name)
    problems.raise_if_any()
    code = "tabla-" + hashlib.sha256(file_name.encode()).hexdigest()[:10]
    result = ImportResult(file=file_name, rows=len(records))
    with transaction.atomic():
        source, _created = Source.objects.get_or_create(
            code=code, defaults={"name": source_name or file_name, "is_demo": is_demo}
        )
        existing = {
            (t, y): c for t, y, c in source.counts.values_list("territory_id", "year", "count")
        }
        new = {(t, y): c for t, y, c in records}
        if existing == new:
            result.unchanged = len(new)
            return result
        source.counts.all().delete()
        CrimeCount.objects.bulk_create(
            [
                CrimeCount(
                    source=source,
                    territory_id=t,
                    scope="" if t else "PE",
                    year=y,
                    count=c,
                    is_demo=is_demo,
                )
                for (t, y), c in new.items()
            ]
        )
        result.created = len(new)
        record_change(
            actor,
            "observatory.import_table",
            source,
            _("Table %(file)s imported: %(n)d figures") % {"file": file_name, "n": len(new)},
            after={"sha256": hashlib.sha256(data).hexdigest(), "figures": len(new)},
        )
    return result
