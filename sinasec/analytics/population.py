"""Which population year a rate uses: the closest one to the count's year, never one
too far away (an unknown rate rather than one computed with the wrong people)."""

from __future__ import annotations

from collections.abc import Iterable

# A rate uses a population at most this many years from the count's year.
MAX_POPULATION_GAP = 3


def pick_population_year(
    available: Iterable[int], year: int, max_gap: int = MAX_POPULATION_GAP
) -> int | None:
    """The population year used for a count of ``year``: the closest available one at
    most ``max_gap`` years away (the later on a tie), else ``None``."""
    usable = [y for y in set(available) if abs(y - year) <= max_gap]
    return min(usable, key=lambda y: (abs(y - year), -y)) if usable else None
