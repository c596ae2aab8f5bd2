"""The shared toolkit's one table: the data generation of each cached area."""

from __future__ import annotations

from django.db import models


class CacheGeneration(models.Model):
    """Counters per area of public pages (``committees``, ``observatory``,
    ``territories``), bumped in the transaction of every write that changes them. An
    area's generation is the sum of its rows (``committees``, ``committees#0`` to
    ``#15``: writers spread over them, ``core/cache.py``). Cached pages remember it, so
    every app server notices when the data under a page changes, whatever cache it
    keeps."""

    area = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.area}={self.value}"
