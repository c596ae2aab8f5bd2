"""Facts about Peru's geography that every layer needs: the box its coordinates fall
in, and how Lima department splits into two regional governments."""

from __future__ import annotations

# Peru with a margin: a coordinate outside this box is a typo or swapped lat/lon.
LAT_RANGE = (-19.5, 0.5)
LON_RANGE = (-82.0, -68.0)

LIMA_DEPARTMENT = "15"
LIMA_METROPOLITANA = "1501"


def inside_peru(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def region_code_for(ubigeo: str) -> str | None:
    """The regional government a department, province or district belongs to.

    Lima department (15) as a whole belongs to no single region: None.
    """
    if ubigeo[:2] != LIMA_DEPARTMENT:
        return ubigeo[:2]
    if len(ubigeo) == 2:
        return None
    return LIMA_METROPOLITANA if ubigeo[:4] == LIMA_METROPOLITANA else LIMA_DEPARTMENT
