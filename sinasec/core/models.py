"""The shared toolkit's one table: the data generation of each cached area."""

from __future__ import annotations

from django.db import models


class CacheGeneration(models.Model):
    """A counter per area of public pages (``committees``, ``observatory``,
    ``territories``), bumped in the transaction of every write that changes them.
    Cached pages are keyed by it (``core/cache.py``), so every app server stops serving
    a page the moment the data under it changes, whatever cache it keeps."""

    area = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.area}={self.value}"
