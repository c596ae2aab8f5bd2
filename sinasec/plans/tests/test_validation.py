"""The 2010 national plan as transcribed, and the validation rules, against the seed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from sinasec.plans.models import Activity, ActivityPart, Plan
from sinasec.plans.services import load_national_plan_2010
from sinasec.plans.validation import ActivityRow, PartRow, validate

pytestmark = pytest.mark.django_db
ONE_A_MONTH = (1,) * 12


def test_it_flags_a_schedule_that_does_not_add_up_to_the_goal() -> None:
    findings = validate([ActivityRow(1, 1, "Eventos", (PartRow("PNP", 10, ONE_A_MONTH),))])
    assert [(f.activity, f.rule, f.severity) for f in findings] == [
        ("1.1", "schedule_vs_goal", "error")
    ]


def test_it_flags_gaps_missing_units_goals_and_unknown_responsibles() -> None:
    rows = [
        ActivityRow(1, 2, "", (PartRow("PNP", 12, ONE_A_MONTH),)),
        ActivityRow(1, 3, "Informe", (PartRow("Nadie", None, ONE_A_MONTH, ("Nadie",)),)),
    ]
    rules = [(f.activity, f.rule) for f in validate(rows)]
    assert rules == [
        ("1.1", "numbering_gap"),
        ("1.2", "missing_unit"),
        ("1.3", "missing_goal"),
        ("1.3", "unknown_responsible"),
    ]


def test_it_warns_about_cells_it_cannot_read_without_calling_them_errors() -> None:
    months = (1, None) + (0,) * 10
    findings = validate(
        [
            ActivityRow(
                4, 1, "Informe", (PartRow("COPROSEC", 3, months), PartRow("CODISEC", 4, months))
            )
        ]
    )
    assert {f.severity for f in findings} == {"warning"}


def test_it_loads_the_2010_plan_as_printed() -> None:
    plan = load_national_plan_2010()
    assert load_national_plan_2010() == plan  # idempotent
    counts = {s.number: s.activities.count() for s in plan.strategies.all()}
    assert counts == {1: 26, 2: 7, 3: 10, 4: 5, 5: 3}
    two_values = Activity.objects.get(strategy__plan=plan, strategy__number=4, number=4)
    parts = list(two_values.parts.values_list("responsible_text", "goal"))
    assert parts == [("COPROSEC", 3), ("CODISEC", 4)]  # not flattened into 7
    part = ActivityPart.objects.get(activity__strategy__number=2, activity__number=1)
    assert sorted(part.institutions.values_list("acronym", flat=True)) == [
        "INPE",
        "MINEDU",
        "MP",
        "PNP",
    ]
    assert Plan.objects.count() == 1


def test_it_reports_exactly_the_seed_s_inconsistencies() -> None:
    load_national_plan_2010()
    out = io.StringIO()
    call_command("plan", "validate", "2010", "--format", "json", stdout=out)
    findings = json.loads(out.getvalue())
    errors = {(f["activity"], f["rule"]) for f in findings if f["severity"] == "error"}
    gaps = {f"1.{n}" for n in range(1, 8)} | {"2.3", "2.6"}
    sums = {"1.12", "1.28", "3.10", "4.2", "4.3", "5.1"}
    assert errors == {(a, "numbering_gap") for a in gaps} | {(a, "schedule_vs_goal") for a in sums}
    assert {f["activity"] for f in findings if f["severity"] == "warning"} == {"4.4"}
