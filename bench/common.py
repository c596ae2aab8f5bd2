"""What every benchmark shares: a throwaway Django set-up, a timer, percentiles and a
query counter. Imported as ``common`` (the benchmarks run as ``python bench/NAME.py``,
so this folder is on the path)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
PROJECT = Path(__file__).resolve().parent.parent


def setup_django(folder: Path, database_url: str | None = None) -> None:
    """Point the settings at a fresh SQLite file in ``folder`` (or ``database_url``),
    then set Django up and migrate."""
    sys.path.insert(0, str(PROJECT))
    os.environ["SINASEC_DATABASE_URL"] = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("SINASEC_VAR_DIR", str(folder / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinasec.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(function: Callable[[], T]) -> tuple[float, T]:
    """Milliseconds a call takes, and its result."""
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class QueryCounter:
    """Counts the queries run inside it (an execute wrapper: no SQL is kept)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> QueryCounter:
        from django.db import connection

        self._wrapping = connection.execute_wrapper(self)
        self._wrapping.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._wrapping.__exit__(*exc)

    def __len__(self) -> int:
        return self.count


SHARED_DATA = Path(os.environ.get("SINASEC_SHARED_DATA", PROJECT.parent / "shared" / "data"))
LIMA_CALLAO = ("1501", "0701")  # Lima Metropolitana, Callao


def inei_districts() -> Any:
    """Every district of the INEI directory with its capital, 2025 population and area
    (as :func:`sinasec.observatory.synthetic.shipped_districts`, without Django)."""
    sys.path.insert(0, str(PROJECT))
    from sinasec.incidents import synthetic
    from sinasec.territories.reference import inei_rows

    areas = {r.ubigeo: r.area_km2 for r in inei_rows() if r.level == "district"}
    return synthetic.load_districts(SHARED_DATA / "ubigeo_inei_2025.csv", areas)


def lima_callao_districts() -> Any:
    """The capitals and 2025 population of Lima Metropolitana's and Callao's 50
    districts, for the synthetic incident generator (``observatory.synthetic``)."""
    import numpy as np

    sys.path.insert(0, str(PROJECT))
    from sinasec.incidents import synthetic

    everywhere = inei_districts()
    keep = np.array([str(code).startswith(LIMA_CALLAO) for code in everywhere.ubigeo])
    return synthetic.Districts(
        everywhere.ubigeo[keep],
        everywhere.lat[keep],
        everywhere.lon[keep],
        everywhere.population[keep],
        None if everywhere.area_km2 is None else everywhere.area_km2[keep],
    )
