"""The district boundaries imported into the territories app, as the incident store's
:class:`~sinasec.incidents.DistrictIndex` (the district of a point without ubigeo)."""

from __future__ import annotations

from sinasec.incidents import DistrictIndex
from sinasec.territories.models import Boundary, Level


def district_index_from_database() -> DistrictIndex:
    """Every district boundary imported, in an STR-tree."""
    rows = Boundary.objects.filter(territory__level=Level.DISTRICT).values_list(
        "territory_id", "geometry"
    )
    return DistrictIndex.from_boundaries(rows.iterator(chunk_size=200))
