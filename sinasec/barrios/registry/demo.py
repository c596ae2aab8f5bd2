"""What the demo adds to the seed's barrios (:func:`services.load_seed_demo`) so that
monitoring, grid targeting and the difference in differences have something to show:
for the barrios of Lima, Callao and Ica (where the demo generates synthetic incidents)
a square boundary around a district capital, drawn for the demo, and, for those the
document counts as launched, a launch month chosen for the demo. The document gives
none of this: every such value is marked in the barrio's note as drawn or chosen for
the demo, and the barrios stay ``is_demo``. Names are never invented: a barrio the
document does not name keeps no name (shown as "Demo barrio no. N")."""

from __future__ import annotations

import json
import math
from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.barrios.registry.services import set_barrio_boundary
from sinasec.territories.models import Level, Population, Territory

# The regions of the demo's synthetic incidents (sinasec.observatory.demo.DEMO_REGIONS),
# by the region codes the seed gives its barrios; each with the districts' prefix.
DEMO_REGION_PREFIXES = {"1501": "1501", "15": "15", "07": "07", "11": "11"}
HALF_SIDE_M = 300  # the square's half side: about 0.36 km², a barrio's size
METRES_PER_DEGREE = 111_320
DRAWN = "Límite dibujado para la demo (un cuadrado alrededor de la capital del distrito)."
CHOSEN_LAUNCH = "Mes de lanzamiento elegido para la demo (el documento no lo indica)."
# The document says San Clemente was launched in 2018, not the month.
SAN_CLEMENTE_LAUNCH = date(2018, 6, 1)
FIRST_DEMO_LAUNCH = (2016, 3)  # the 2016-2017 cohort: one every two months from here


def _square(lat: float, lon: float, half_side_m: float = HALF_SIDE_M) -> bytes:
    dlat = half_side_m / METRES_PER_DEGREE
    dlon = half_side_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    ring = [
        [round(lon - dlon, 6), round(lat - dlat, 6)],
        [round(lon + dlon, 6), round(lat - dlat, 6)],
        [round(lon + dlon, 6), round(lat + dlat, 6)],
        [round(lon - dlon, 6), round(lat + dlat, 6)],
        [round(lon - dlon, 6), round(lat - dlat, 6)],
    ]
    feature = {
        "type": "Feature",
        "properties": {"nota": DRAWN},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _districts_by_population(prefix: str, exclude: str | None) -> list[Territory]:
    """The districts of ``prefix`` with a capital's coordinates, most populous first."""
    people = dict(
        Population.objects.filter(territory__ubigeo__startswith=prefix).values_list(
            "territory_id", "value"
        )
    )
    found = Territory.objects.filter(
        level=Level.DISTRICT, ubigeo__startswith=prefix, latitude__isnull=False
    )
    if exclude:
        found = found.exclude(ubigeo__startswith=exclude)
    return sorted(found, key=lambda t: (-people.get(t.ubigeo, 0), t.ubigeo))


def _district_for(barrio: Barrio, used: set[str]) -> Territory | None:
    """The barrio's district (the document's), or the most populous district of its
    region not used yet by another demo barrio."""
    if barrio.district_id:
        return barrio.district
    prefix = DEMO_REGION_PREFIXES[barrio.region_id or ""]
    # "Lima Provincia" (15) are the districts of Lima outside Lima Metropolitana (1501).
    exclude = "1501" if barrio.region_id == "15" else None
    for district in _districts_by_population(prefix, exclude):
        if district.ubigeo not in used:
            return district
    return None


def load_demo_boundaries(actor: AnyUser) -> int:
    """Boundaries (and launch months) for the demo barrios of the demo's regions that
    have none yet; returns how many were drawn. Idempotent."""
    barrios = list(
        Barrio.objects.filter(
            is_demo=True, region_id__in=DEMO_REGION_PREFIXES, boundary=""
        ).select_related("district")
    )
    if not barrios:
        return 0
    used = set(Barrio.objects.exclude(district__isnull=True).values_list("district_id", flat=True))
    launched = 0
    drawn = 0
    # The named ones first, so they keep their own district.
    for barrio in sorted(barrios, key=lambda b: (b.district_id is None, b.pk)):
        district = _district_for(barrio, used)
        if district is None or district.latitude is None or district.longitude is None:
            continue
        used.add(district.ubigeo)
        with transaction.atomic():
            _place(actor, barrio, district, launched)
            set_barrio_boundary(
                actor, barrio.pk, _square(district.latitude, district.longitude), "demo.geojson"
            )
        if barrio.status == BarrioStatus.LAUNCHED and barrio.name != "San Clemente":
            launched += 1
        drawn += 1
    return drawn


def _place(actor: AnyUser, barrio: Barrio, district: Territory, launched: int) -> None:
    """The barrio's district (when the document gives none) and its launch month (when
    the document counts it as launched): chosen for the demo and said in its note."""
    changes: dict[str, str] = {}
    notes = [barrio.note] if barrio.note else []
    if barrio.district_id is None:
        barrio.district = district
        changes["district"] = district.ubigeo
        notes.append("Distrito elegido para la demo.")
    if barrio.status == BarrioStatus.LAUNCHED and barrio.launched_on is None:
        if barrio.name == "San Clemente":
            barrio.launched_on = SAN_CLEMENTE_LAUNCH
        else:
            year, month = FIRST_DEMO_LAUNCH
            index = year * 12 + month - 1 + 2 * launched
            barrio.launched_on = date(index // 12, index % 12 + 1, 1)
        changes["launched_on"] = barrio.launched_on.isoformat()
        notes.append(CHOSEN_LAUNCH)
    notes.append(DRAWN)
    barrio.note = " ".join(notes)
    barrio.save(update_fields=["district", "launched_on", "note"])
    record_change(
        actor,
        "barrios.demo_placement",
        barrio,
        gettext("Barrio %(barrio)s placed in %(district)s for the demo")
        % {"barrio": barrio, "district": district.name},
        after=changes,
        territory_ubigeo=district.ubigeo,
    )
