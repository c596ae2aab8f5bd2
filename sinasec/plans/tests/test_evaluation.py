"""Progress by strategy, institution and month, and the year-end evaluation downloads."""

from __future__ import annotations

import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from sinasec.core.tests.chart_html import chart_json
from sinasec.institutions.models import Institution
from sinasec.plans.evaluation import by_institution, by_month, by_strategy
from sinasec.plans.execution.services import approve_report, save_report, submit_report
from sinasec.plans.models import ActivityPart, Plan
from sinasec.plans.progress import plan_progress
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_with_january(focal_point: User, admin: User) -> Plan:
    plan = load_national_plan_2010()
    part = ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)
    report = save_report(focal_point, part.pk, Institution.objects.get(acronym="PNP").pk, 1, 18)
    submit_report(focal_point, report.pk)
    approve_report(admin, report.pk)
    return plan


def test_it_sums_progress_by_strategy_institution_and_month(plan_with_january: Plan) -> None:
    plan = plan_with_january
    rows = plan_progress(plan, date(2010, 1, 31))
    strategies = {s.key: s for s in by_strategy(plan, rows)}
    assert strategies["2"].executed == 18
    assert strategies["2"].programmed == sum(
        r.programmed_to_date for r in rows if r.activity.startswith("2.")
    )
    assert strategies["1"].goal is not None and strategies["4"].goal == 1 + 500 + 100 + 7 + 2
    pnp = {i.acronym: i for i in by_institution(plan)}["PNP"]
    assert (pnp.executed, pnp.approved, pnp.submitted) == (18, 1, 0)
    months = by_month(plan, date(2010, 1, 31))
    assert months[0].executed == 18 and months[1].executed == 0
    assert months[1].programmed == 0 and (months[1].goal or 0) > 0  # February not yet due


def test_it_downloads_the_evaluation(client: Client, plan_with_january: Plan) -> None:
    plan = plan_with_january
    response = client.get(f"/planes/{plan.pk}/evaluacion.xlsx", {"fecha": "2010-12-31"})
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["actividades", "estrategias", "instituciones", "meses"]
    activities = {row[0]: row for row in book["actividades"].iter_rows(min_row=2, values_only=True)}
    assert activities["2.7"][4:6] == (240, 18)
    pdf = client.get(f"/planes/{plan.pk}/evaluacion.pdf", {"fecha": "2010-12-31"}).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "2.7" in text and "240" in text
    page = client.get(f"/planes/{plan.pk}/avance/", {"fecha": "2010-01-31"}).content.decode()
    assert 'data-testid="by-month"' in page
    chart = chart_json(page, f"plan-{plan.pk}-by-month-data")
    assert [s["key"] for s in chart["series"]] == ["programmed", "executed"]
    assert len(chart["categories"]) == 12 and chart["series"][1]["values"][0] == 18
