"""Reads of Barrio Seguro: progress against the annual goal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sinasec.barrios.models import AnnualGoal, Barrio, BarrioStatus


def goal_progress(year: int) -> dict[str, Any]:
    goal = AnnualGoal.objects.filter(year=year).first()
    barrios = list(Barrio.objects.filter(goal_year=year).select_related("region"))
    by_territory: dict[str, dict[str, int]] = defaultdict(lambda: {"planned": 0, "launched": 0})
    for barrio in barrios:
        label = barrio.territory_label or "desconocido"
        key = "launched" if barrio.status == BarrioStatus.LAUNCHED else "planned"
        by_territory[label][key] += 1
    launched = sum(1 for b in barrios if b.status == BarrioStatus.LAUNCHED)
    all_cohorts: dict[str, int] = defaultdict(int)
    for cohort in Barrio.objects.values_list("cohort", flat=True):
        all_cohorts[cohort] += 1
    return {
        "year": year,
        "goal": goal.goal if goal else None,
        "launched": launched,
        "planned": len(barrios) - launched,
        "barrios": len(barrios),
        "by_territory": {k: dict(v) for k, v in by_territory.items()},
        "cohorts": dict(all_cohorts),
        "total_all_cohorts": sum(all_cohorts.values()),
        "is_demo": any(b.is_demo for b in barrios),
    }
