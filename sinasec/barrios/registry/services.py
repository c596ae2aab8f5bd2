"""Every write to the barrio registry: the seed, a barrio's status, details and boundary."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.barrios.access import get_barrio_for_user
from sinasec.barrios.models import AnnualGoal, Barrio, BarrioStatus
from sinasec.barrios.registry import reference
from sinasec.barrios.registry.boundary import parse_barrio_boundary
from sinasec.core.concurrency import check_version
from sinasec.core.geojson import Place
from sinasec.core.text import name_key
from sinasec.territories.models import Region
from sinasec.territories.selectors import boundary_box


def _region_code(label: str, regions: dict[str, str]) -> str | None:
    if not label:
        return None
    return reference.REGION_CODES.get(label) or regions.get(name_key(label))


def load_seed_demo() -> int:
    """The barrios of Barrio Seguro 2018 + Acción, one record per barrio counted by the
    document (idempotent). Names are only those the document gives; the row whose
    territory the extraction lost keeps an unknown territory. Every record is demo data:
    the document gives counts per territory, not the barrios themselves."""
    if Barrio.objects.filter(is_demo=True).exists():
        return 0
    regions = {name_key(name): code for code, name in Region.objects.values_list("code", "name")}
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


# A barrio only moves forward; each step after "targeted" has its date.
STATUS_ORDER = (
    BarrioStatus.TARGETED,
    BarrioStatus.PLANNED,
    BarrioStatus.LAUNCHED,
    BarrioStatus.CLOSED,
)
STATUS_DATE_FIELD = {
    BarrioStatus.PLANNED: "planned_on",
    BarrioStatus.LAUNCHED: "launched_on",
    BarrioStatus.CLOSED: "closed_on",
}


def _dates(barrio: Barrio) -> dict[str, str | None]:
    return {
        field: value.isoformat() if (value := getattr(barrio, field)) else None
        for field in STATUS_DATE_FIELD.values()
    }


def _locked(barrio_id: int, expected_version: int | None) -> Barrio:
    """The barrio's row, locked until the transaction ends, if it is still at the
    version the user opened (``EditConflict`` otherwise)."""
    barrio = Barrio.objects.select_for_update().get(pk=barrio_id)
    check_version(barrio, expected_version, gettext("the barrio %(barrio)s") % {"barrio": barrio})
    return barrio


def change_barrio_status(
    actor: AnyUser,
    barrio_id: int,
    status: str,
    on_date: date,
    expected_version: int | None = None,
) -> Barrio:
    """Move a barrio forward (targeted -> planned -> launched -> closed) on a date
    (national administrators; audited). A step may be skipped when it was never
    recorded: its date then stays unknown rather than being guessed. The date cannot
    be in the future nor before an earlier step's date. ``expected_version``: the
    barrio's version the user opened (``None``: not checked)."""
    get_barrio_for_user(actor, barrio_id, write=True)
    if status not in STATUS_DATE_FIELD:
        raise ValidationError({"status": gettext("choose planned, launched or closed")})
    new = BarrioStatus(status)
    if on_date > date.today():
        raise ValidationError({"on_date": gettext("the date cannot be in the future")})
    with transaction.atomic():
        barrio = _locked(barrio_id, expected_version)
        old = BarrioStatus(barrio.status)
        if STATUS_ORDER.index(new) <= STATUS_ORDER.index(old):
            raise ValidationError(
                {
                    "status": gettext(
                        "a barrio moves forward only (targeted, planned, launched, closed): "
                        "it is already %(old)s"
                    )
                    % {"old": old.label}
                }
            )
        earlier = [
            d
            for step in STATUS_ORDER[: STATUS_ORDER.index(new)]
            if step in STATUS_DATE_FIELD and (d := getattr(barrio, STATUS_DATE_FIELD[step]))
        ]
        if earlier and on_date < max(earlier):
            raise ValidationError(
                {
                    "on_date": gettext("the date is before the previous step (%(date)s)")
                    % {"date": max(earlier).isoformat()}
                }
            )
        before = {"status": old.value, **_dates(barrio)}
        barrio.status = new
        setattr(barrio, STATUS_DATE_FIELD[new], on_date)
        barrio.version += 1
        barrio.save(update_fields=["status", STATUS_DATE_FIELD[new], "version"])
        record_change(
            actor,
            "barrios.change_status",
            barrio,
            gettext("Barrio %(barrio)s: %(old)s → %(new)s on %(date)s")
            % {"barrio": barrio, "old": old.label, "new": new.label, "date": on_date.isoformat()},
            before=before,
            after={"status": new.value, **_dates(barrio)},
            territory_ubigeo=barrio.district_id or "",
        )
    return barrio


def update_barrio_details(
    actor: AnyUser,
    barrio_id: int,
    *,
    name: str,
    articulator: str,
    population: int | None,
    goal_year: int | None,
    expected_version: int | None = None,
) -> Barrio:
    """Name, territorial articulator, population and goal year of a barrio (national
    administrators; audited). Blank stays blank: unknown, not zero. ``expected_version``:
    the version the user's form was opened at; a barrio saved since is refused
    (``EditConflict``), never reverted."""
    get_barrio_for_user(actor, barrio_id, write=True)
    values = {
        "name": name.strip(),
        "articulator": articulator.strip(),
        "population": population,
        "goal_year": goal_year,
    }
    with transaction.atomic():
        barrio = _locked(barrio_id, expected_version)
        changed = [f for f, v in values.items() if getattr(barrio, f) != v]
        if not changed:
            return barrio
        before = {f: getattr(barrio, f) for f in changed}
        for f in changed:
            setattr(barrio, f, values[f])
        barrio.version += 1
        barrio.save(update_fields=[*changed, "version"])
        record_change(
            actor,
            "barrios.update_details",
            barrio,
            gettext("Barrio %(barrio)s: %(fields)s changed")
            % {"barrio": barrio, "fields": ", ".join(changed)},
            before=before,
            after={f: values[f] for f in changed},
            territory_ubigeo=barrio.district_id or "",
        )
    return barrio


def set_barrio_boundary(
    actor: AnyUser,
    barrio_id: int,
    geojson_bytes: bytes,
    filename: str,
    expected_version: int | None = None,
) -> Barrio:
    """The barrio's polygon from a GeoJSON file (national administrators; audited with
    the file's SHA-256). A rejected file raises ``ImportRejected`` and changes nothing;
    a barrio saved since ``expected_version`` raises ``EditConflict``."""
    barrio = get_barrio_for_user(actor, barrio_id, write=True)
    place = Place(box=boundary_box(barrio.district_id))
    parsed = parse_barrio_boundary(geojson_bytes, filename, place)
    digest = hashlib.sha256(geojson_bytes).hexdigest()
    with transaction.atomic():
        barrio = _locked(barrio_id, expected_version)
        previous = barrio.boundary
        barrio.boundary = parsed.as_json()
        barrio.version += 1
        barrio.save(update_fields=["boundary", "version"])
        record_change(
            actor,
            "barrios.set_boundary",
            barrio,
            gettext("Boundary of barrio %(barrio)s from %(file)s")
            % {"barrio": barrio, "file": filename},
            before={
                "sha256_geometry": hashlib.sha256(previous.encode()).hexdigest()
                if previous
                else None
            },
            after={
                "file": filename,
                "sha256": digest,
                "type": parsed.geometry.geom_type,
                "bounds": parsed.bounds,
            },
            territory_ubigeo=barrio.district_id or "",
        )
    return barrio
