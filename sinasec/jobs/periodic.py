"""A call repeated in the background while a block runs: a job's heartbeat while its
runner works, the worker's sweep of jobs whose worker was killed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType

from django.db import connection

logger = logging.getLogger(__name__)


class Every:
    """``with Every(30, action):`` calls ``action()`` every 30 s in a daemon thread
    until the block ends. A failing call is logged and the next one is tried (the
    database may be busy); the thread uses, then closes, its own connection."""

    def __init__(self, seconds: float, action: Callable[[], object], name: str) -> None:
        self.seconds = seconds
        self.action = action
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def __enter__(self) -> Every:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stopped.set()
        self.thread.join(timeout=self.seconds + 5)

    def _run(self) -> None:
        while not self.stopped.wait(self.seconds):
            try:
                self.action()
            except Exception:  # the next call may succeed; the block goes on anyway
                logger.warning("%s failed", self.thread.name, exc_info=True)
            finally:
                connection.close()  # this thread's own
