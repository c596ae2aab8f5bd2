"""Helpers the plan-template tests share: a plan's full snapshot, CSV/XLSX rows and edits."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.audit.models import AuditEvent
from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.tests.hostile import xlsx
from sinasec.plans.models import Activity, ActivityPart, Plan
from sinasec.plans.selectors import validate_plan
from sinasec.plans.services import import_plan
from sinasec.plans.template import (
    COLUMNS,
)

ACTION = "plans.import_plan"
Rows = list[list[str]]


def snapshot(plan: Plan) -> dict[str, Any]:
    """Everything a plan holds, ids included."""
    plan = Plan.objects.get(pk=plan.pk)
    return {
        "plan": (plan.pk, plan.year, plan.committee_id, plan.title, plan.status, plan.source),
        "strategies": list(plan.strategies.order_by("number").values_list("pk", "number", "name")),
        "activities": list(
            Activity.objects.filter(strategy__plan=plan)
            .order_by("strategy__number", "number")
            .values_list("pk", "strategy__number", "number", "description", "unit", "source_text")
        ),
        "parts": [
            (
                p.pk,
                p.activity_id,
                p.order,
                p.responsible_text,
                p.goal,
                p.programmed,
                p.note,
                sorted(i.acronym for i in p.institutions.all()),
            )
            for p in ActivityPart.objects.filter(activity__strategy__plan=plan).order_by("pk")
        ],
    }


def findings_of(plan: Plan) -> list[tuple[str, str, str, str]]:
    return [(f.activity, f.rule, f.severity, f.message) for f in validate_plan(plan)]


def csv_rows(data: bytes) -> Rows:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def to_csv(rows: Rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    return xlsx(rows)


def row_of(rows: Rows, code: str, part: int = 1) -> int:
    """The spreadsheet row number (header = 1) of an activity's part."""
    strategy, number = code.split(".")
    hits = [
        index
        for index, row in enumerate(rows[1:], start=2)
        if row[COLUMNS.index("estrategia")] == strategy
        and row[COLUMNS.index("actividad")] == number
    ]
    return hits[part - 1]


def put(rows: Rows, row: int, column: str, value: str) -> None:
    rows[row - 1][COLUMNS.index(column)] = value


# --- round trip ----------------------------------------------------------------------


def rejected(actor: User, data: bytes, name: str = "plan.csv") -> list[ImportProblem]:
    plans = [snapshot(p) for p in Plan.objects.order_by("pk")]
    with pytest.raises(ImportRejected) as info:
        import_plan(actor, name, data)
    assert [snapshot(p) for p in Plan.objects.order_by("pk")] == plans
    assert not AuditEvent.objects.filter(action=ACTION).exists()
    return info.value.problems
