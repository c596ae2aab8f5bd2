"""The progress of an import, reported as rows of the file."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import duckdb

from sinasec.core.imports import Progress


class Tracker:
    """Reports the import's progress as rows of the file: each stage is a share of the
    work; inside a long query, DuckDB's own progress is polled."""

    def __init__(self, callback: Progress | None, total: int):
        self.callback = callback
        self.total = max(1, total)
        self.done = 0.0
        self.lock = threading.Lock()

    def set(self, fraction: float) -> None:
        if self.callback is None:
            return
        with self.lock:
            if fraction <= self.done:
                return
            self.done = min(fraction, 1.0)
            self.callback(round(self.done * self.total), self.total)

    @contextlib.contextmanager
    def stage(self, con: duckdb.DuckDBPyConnection, start: float, end: float) -> Iterator[None]:
        self.set(start)
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(0.2):
                with contextlib.suppress(duckdb.Error):
                    percent = con.query_progress()
                    if percent >= 0:
                        self.set(start + (end - start) * min(percent, 100.0) / 100)

        thread = threading.Thread(target=poll, daemon=True) if self.callback else None
        if thread:
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread:
                thread.join()
        self.set(end)
