"""The periodic notifications' sources: each emitting app registers, when Django starts
(its ``AppConfig.ready``), a function that says, for a day, what should be told to whom.

Kept here so that ``sinasec notify`` (this app) runs them without importing the apps
above it (plans, barrios): they call ``register``, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sinasec.notifications.services import Draft


@dataclass(frozen=True)
class Day:
    """What a source is asked about: the day, and whether the weekly digest is due."""

    today: date
    digest: bool


Source = Callable[[Day], Iterable[Draft]]
_SOURCES: dict[str, Source] = {}


def register(name: str, source: Source) -> None:
    _SOURCES[name] = source


def sources() -> dict[str, Source]:
    return dict(sorted(_SOURCES.items()))
