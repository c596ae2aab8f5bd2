"""What the incident-store tests share: a store's visible state, and a file of lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sinasec.incidents import IncidentStore

START, END = date(2023, 1, 1), date(2023, 12, 31)
MIRAFLORES = "150122"
IN_MIRAFLORES = (-12.1188, -77.0298)  # lat, lon: inside the district polygon
AT_SEA = (-12.15, -77.10)  # the Pacific off Miraflores: no district


def snapshot(store: IncidentStore) -> tuple:
    """What a reader can see of the store, to check that a rejected file changed nothing."""
    files = sorted(str(p.relative_to(store.root)) for p in store.files())
    return store.current_version(), files, store.count()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEADER = "id,datetime,lat,lon,crime_type,ubigeo"
