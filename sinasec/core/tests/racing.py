"""Two writers at once, for the PostgreSQL concurrency tests: each call runs in its own
thread with its own database connection, released at the start together."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

# Row locks and advisory locks are PostgreSQL's; SQLite serialises every writer anyway.
postgresql_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="concurrency is tested on PostgreSQL",
)


def race(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` in parallel; what each returned, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # the outcome under test
            outcomes[i] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slowed(monkeypatch: pytest.MonkeyPatch, module: object, name: str, seconds: float) -> None:
    """Make ``module.name`` wait ``seconds`` before it runs: a writer called inside a
    transaction then holds it open long enough for a parallel one to interleave, so a
    race that timing would hide shows every time (unless a lock prevents it)."""
    original = getattr(module, name)

    def waiting(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
