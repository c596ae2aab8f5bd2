"""The plans API: plans, activities, schedule, execution reports and progress."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["plans"])
