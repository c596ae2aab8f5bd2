"""The Barrio Seguro API: barrios, their articulation, targeting, monitoring, evaluation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["barrios"])
