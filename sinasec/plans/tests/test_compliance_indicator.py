"""The compliance indicator of plan execution: the last semester ended by the date at
the threshold or above; without a programme or with nothing programmed, not met; an
approval bumps the compliance page's generation."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from sinasec.committees.compliance import compliance_as_of
from sinasec.core.cache import generation
from sinasec.plans.multiyear.indicators import last_semester
from sinasec.plans.multiyear.services import start_multiyear_plan
from sinasec.plans.services import import_plan
from sinasec.plans.tests.multiyear_support import (
    committee,
    plan_with_months,
    programme_csv,
    report_months,
)

pytestmark = pytest.mark.django_db


def pending(as_of: date) -> dict[int, str]:
    with translation.override("en"):
        report = compliance_as_of(as_of, only=["execution"])
        return {
            r.id: report.details["execution"].get(r.id, "") for r in report.pending["execution"]
        }


def test_it_reads_the_last_semester_ended_by_the_date() -> None:
    assert last_semester(date(2024, 6, 29)) == (2023, 2)
    assert last_semester(date(2024, 6, 30)) == (2024, 1)
    assert last_semester(date(2024, 12, 30)) == (2024, 1)
    assert last_semester(date(2024, 12, 31)) == (2024, 2)


def test_it_meets_the_threshold_by_the_last_semester_rate(settings) -> None:
    settings.EXECUTION_THRESHOLD_PCT = 75
    approved = datetime(2024, 7, 5)
    miraflores, magdalena = committee("150122"), committee("150120")
    plan_with_months(miraflores, 2024, [10] * 12, {m: (8, approved) for m in range(1, 7)})
    plan_with_months(magdalena, 2024, [10] * 12, {m: (6, approved) for m in range(1, 7)})
    report = compliance_as_of(date(2024, 7, 31))
    assert miraflores.pk not in {r.id for r in report.pending["execution"]}  # 80 %
    assert report.counts["execution"]["district"]["done"] == 1
    shown = pending(date(2024, 7, 31))
    assert "60" in shown[magdalena.pk] and "75" in shown[magdalena.pk]
    # Before the approvals (5 July) nothing executed counted: both below.
    assert miraflores.pk in pending(date(2024, 7, 1))
    # A committee without a programme that year is pending, and says why.
    assert pending(date(2024, 7, 31))[committee("150131").pk] == "no programme for 2024"


def test_it_bumps_the_compliance_page_generation_on_plan_writes(secretary: User) -> None:
    before = generation("committees")
    start_multiyear_plan(secretary, committee("150122").pk, 2024, 2027)
    plan = import_plan(secretary, "padsc_2024.csv", programme_csv(2024))
    assert generation("committees") == before + 2
    report_months(secretary, plan, {1: 6})
    assert generation("committees") > before + 2


def test_it_bumps_the_generation_only_for_decisions_the_public_figures_count(
    secretary: User,
) -> None:
    """Compliance counts approved months: saving and submitting a month change no public
    figure (and every submission bumping one hot row would queue the writers)."""
    from sinasec.plans.execution.services import (
        approve_report,
        reopen_report,
        save_report,
        submit_report,
    )
    from sinasec.plans.models import ActivityPart

    start_multiyear_plan(secretary, committee("150122").pk, 2024, 2027)
    plan = import_plan(secretary, "padsc_2024.csv", programme_csv(2024))
    part = ActivityPart.objects.get(activity__strategy__plan=plan)
    pnp = part.institutions.get(acronym="PNP").pk
    before = generation("committees")
    report = submit_report(secretary, save_report(secretary, part.pk, pnp, 1, 4).pk)
    assert generation("committees") == before
    approve_report(secretary, report.pk)
    assert generation("committees") == before + 1
    reopen_report(secretary, report.pk, "corrección")
    assert generation("committees") == before + 2


def test_it_keeps_the_execution_summary_as_a_rebuild_from_the_records_would(
    secretary: User, admin: User
) -> None:
    from sinasec.plans.execution.services import reopen_report
    from sinasec.plans.models import ExecutionMonth, ExecutionReport
    from sinasec.plans.multiyear import summary
    from sinasec.plans.multiyear.rates import semester_rates
    from sinasec.plans.multiyear.services import copy_forward

    def rows() -> list[tuple]:
        found = ExecutionMonth.objects.values_list(
            "committee_id", "year", "month", "approved_on", "programmed", "executed"
        )
        return sorted(found, key=lambda r: (r[:3], str(r[3]), r[4:]))

    miraflores = committee("150122")
    start_multiyear_plan(secretary, miraflores.pk, 2024, 2027)
    plan = import_plan(secretary, "padsc_2024.csv", programme_csv(2024))
    report_months(secretary, plan, {1: 6, 2: 10})
    copy_forward(secretary, plan.pk)  # bulk-created parts: refreshed explicitly
    kept = rows()
    summary.rebuild()
    assert rows() == kept and {r[1] for r in kept} == {2024, 2025}
    today = date.today()
    assert semester_rates(today, 2024, 1)[miraflores.pk].executed == 16
    assert semester_rates(today, 2025, 1)[miraflores.pk].programmed == 60
    february = ExecutionReport.objects.get(part__activity__strategy__plan=plan, month=2)
    reopen_report(admin, february.pk, "cifra corregida")
    assert semester_rates(today, 2024, 1)[miraflores.pk].executed == 6
    kept = rows()
    summary.rebuild()
    assert rows() == kept
