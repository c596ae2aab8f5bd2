"""Progress of a plan by strategy, by institution and by month, and the year-end
evaluation workbook. Aggregations are pure functions over the activity rows of
``progress.plan_progress`` and a few grouped queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum

from sinasec.committees.compliance import pct
from sinasec.core.exports import xlsx_bytes
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus
from sinasec.plans.progress import (
    ActivityProgress,
    light_word,
    months_due,
    plan_progress,
    traffic_light,
)


@dataclass(frozen=True)
class Line:
    """One row of a summary table: programmed and executed to date against a goal."""

    key: str
    label: str
    goal: int | None
    programmed: int
    executed: int

    @property
    def pct_of_goal(self) -> float | None:
        return pct(self.executed, self.goal) if self.goal else None

    @property
    def status(self) -> str:
        return traffic_light(self.programmed, self.executed)


def by_strategy(plan: Plan, rows: list[ActivityProgress]) -> list[Line]:
    names = dict(plan.strategies.values_list("number", "name"))
    sums: dict[str, list[int | None]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        strategy = row.activity.split(".")[0]
        entry = sums[strategy]
        entry[0] = None if entry[0] is None or row.goal is None else entry[0] + row.goal
        entry[1] = (entry[1] or 0) + row.programmed_to_date
        entry[2] = (entry[2] or 0) + row.executed_to_date
    return [
        Line(code, f"{code}) {names.get(int(code), '')}", goal, programmed or 0, executed or 0)
        for code, (goal, programmed, executed) in sorted(sums.items(), key=lambda i: int(i[0]))
    ]


@dataclass(frozen=True)
class InstitutionLine:
    acronym: str
    activities: int
    executed: int
    submitted: int
    approved: int
    returned: int


def by_institution(plan: Plan) -> list[InstitutionLine]:
    """What each responsible institution has in charge and has reported (two queries)."""
    in_charge = dict(
        ActivityPart.objects.filter(activity__strategy__plan=plan)
        .values_list("institutions__acronym")
        .annotate(n=Count("activity", distinct=True))
        .exclude(institutions__acronym=None)
        .order_by()
    )
    reports: dict[str, dict[str, Any]] = {
        row["institution__acronym"]: dict(row)
        for row in ExecutionReport.objects.filter(part__activity__strategy__plan=plan)
        .values("institution__acronym")
        .annotate(
            executed=Sum("executed", filter=Q(status=ReportStatus.APPROVED)),
            submitted=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
            approved=Count("id", filter=Q(status=ReportStatus.APPROVED)),
            returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
        )
        .order_by()
    }
    empty: dict[str, Any] = {}
    lines = []
    for acronym, count in sorted(in_charge.items()):
        row: dict[str, Any] = reports.get(acronym, empty)
        lines.append(
            InstitutionLine(
                acronym,
                count,
                row.get("executed") or 0,
                row.get("submitted", 0),
                row.get("approved", 0),
                row.get("returned", 0),
            )
        )
    return lines


def by_month(plan: Plan, as_of: date) -> list[Line]:
    """Programmed and approved execution per month of the plan's year (two queries)."""
    programmed = [0] * 12
    for months in ActivityPart.objects.filter(activity__strategy__plan=plan).values_list(
        "programmed", flat=True
    ):
        for index, value in enumerate(months[:12]):
            programmed[index] += value or 0
    executed = dict(
        ExecutionReport.objects.filter(
            part__activity__strategy__plan=plan, status=ReportStatus.APPROVED
        )
        .values_list("month")
        .annotate(total=Sum("executed"))
        .order_by()
    )
    due = months_due(plan.year, as_of)
    return [
        Line(
            str(m),
            str(m),
            programmed[m - 1],
            programmed[m - 1] if m <= due else 0,
            executed.get(m, 0),
        )
        for m in range(1, 13)
    ]


def evaluation_workbook(plan: Plan, as_of: date) -> bytes:
    """The year-end evaluation: activities, strategies, institutions and months."""
    rows = plan_progress(plan, as_of)
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {
        "actividades": (
            [
                "actividad",
                "descripcion",
                "unidad",
                "meta",
                "programado",
                "ejecutado",
                "pct_meta",
                "estado",
            ],
            [
                [
                    r.activity,
                    r.description,
                    r.unit,
                    r.goal,
                    r.programmed_to_date,
                    r.executed_to_date,
                    r.pct_of_goal,
                    light_word(r.status),
                ]
                for r in rows
            ],
        ),
        "estrategias": (
            ["estrategia", "meta", "programado", "ejecutado", "pct_meta", "estado"],
            [
                [s.label, s.goal, s.programmed, s.executed, s.pct_of_goal, light_word(s.status)]
                for s in by_strategy(plan, rows)
            ],
        ),
        "instituciones": (
            [
                "institucion",
                "actividades",
                "ejecutado_aprobado",
                "enviados",
                "aprobados",
                "devueltos",
            ],
            [
                [i.acronym, i.activities, i.executed, i.submitted, i.approved, i.returned]
                for i in by_institution(plan)
            ],
        ),
        "meses": (
            ["mes", "programado", "ejecutado"],
            [[int(m.key), m.goal, m.executed] for m in by_month(plan, as_of)],
        ),
    }
    return xlsx_bytes([(title, header, data) for title, (header, data) in sheets.items()])
