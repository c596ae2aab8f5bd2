"""Multi-year plans: a span with a programme per year, copied forward on request; the
execution rate per quarter and semester as of a date, flagged and ranked nationally."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from sinasec.audit.models import AuditEvent
from sinasec.core.errors import AccessDenied
from sinasec.plans.models import Activity, ActivityPart, Plan
from sinasec.plans.multiyear.rates import (
    QUARTER,
    SEMESTER,
    Period,
    execution_rates,
    national_ranking,
    semester_rates,
)
from sinasec.plans.multiyear.services import copy_forward, start_multiyear_plan
from sinasec.plans.services import import_plan, load_national_plan_2010
from sinasec.plans.tests.multiyear_support import (
    committee,
    plan_with_months,
    programme_csv,
    report_months,
)

pytestmark = pytest.mark.django_db
S1_2024 = Period(2024, SEMESTER, 1)


def test_it_runs_the_done_when_scenario_at_service_level(secretary: User) -> None:
    """2024-2027 for Miraflores: programme 2024, copy it to 2025, report the first
    semester at 60 %: flagged below 75 %, and listed in the national ranking."""
    miraflores = committee("150122")
    first = start_multiyear_plan(secretary, miraflores.pk, 2024, 2027)
    assert (first.year, first.start_year, first.end_year) == (2024, 2024, 2027)
    plan_2024 = import_plan(secretary, "padsc_2024.csv", programme_csv(2024))
    assert plan_2024.pk == first.pk  # the import fills the year's programme
    plan_2025 = copy_forward(secretary, plan_2024.pk)
    assert (plan_2025.year, plan_2025.span, plan_2025.status) == (2025, "2024-2027", "draft")
    copied = ActivityPart.objects.get(activity__strategy__plan=plan_2025)
    assert copied.programmed == [10] * 12 and copied.goal == 120
    assert [i.acronym for i in copied.institutions.all()] == ["PNP"]
    assert AuditEvent.objects.filter(action="plans.copy_forward").count() == 1

    report_months(secretary, plan_2024, dict.fromkeys(range(1, 7), 6))  # 36 of 60
    today = timezone.localdate()
    rate = semester_rates(today, 2024, 1)[miraflores.pk]
    assert (rate.programmed, rate.executed, rate.rate, rate.flagged) == (60, 36, 60.0, True)
    ranking = national_ranking(S1_2024, today)
    row = next(r for r in ranking.rows if r.committee_id == miraflores.pk)
    assert (row.rank, row.rate, row.flagged, row.level) == (1, 60.0, True, "CODISEC")
    assert ranking.threshold == 75 and ranking.flagged == 1


def test_it_keeps_single_year_plans_as_a_span_of_their_own_year(admin: User) -> None:
    plan = load_national_plan_2010()
    assert (plan.start_year, plan.end_year, plan.is_multiyear, plan.span) == (
        2010,
        2010,
        False,
        "2010",
    )
    with pytest.raises(ValidationError):
        copy_forward(admin, plan.pk)  # a single-year plan has no next year
    assert Plan.objects.count() == 1


def test_it_adopts_single_year_plans_and_refuses_overlapping_spans(secretary: User) -> None:
    miraflores = committee("150122")
    single = plan_with_months(miraflores, 2025, [1] * 12, {})
    first = start_multiyear_plan(secretary, miraflores.pk, 2024, 2027)
    single.refresh_from_db()
    assert (single.start_year, single.end_year) == (2024, 2027)
    assert first.year == 2024
    with pytest.raises(ValidationError):
        start_multiyear_plan(secretary, miraflores.pk, 2026, 2029)
    with pytest.raises(ValidationError):
        start_multiyear_plan(secretary, miraflores.pk, 2030, 2034)  # five years
    with pytest.raises(ValidationError):
        start_multiyear_plan(secretary, miraflores.pk, 2031, 2030)
    assert Plan.objects.filter(committee=miraflores).count() == 2


def test_it_refuses_to_overwrite_or_copy_beyond_the_span_or_outside_scope(
    secretary: User, regional_secretary: User
) -> None:
    miraflores = committee("150122")
    start_multiyear_plan(secretary, miraflores.pk, 2026, 2027)
    plan = import_plan(secretary, "p.csv", programme_csv(2026))
    with pytest.raises(AccessDenied):
        copy_forward(regional_secretary, plan.pk)
    with pytest.raises(AccessDenied):
        start_multiyear_plan(regional_secretary, miraflores.pk, 2028, 2031)
    later = copy_forward(secretary, plan.pk)
    with pytest.raises(ValidationError):
        copy_forward(secretary, plan.pk)  # 2027 exists: never overwritten
    with pytest.raises(ValidationError):
        copy_forward(secretary, later.pk)  # the plan ends in 2027
    assert Activity.objects.filter(strategy__plan__committee=miraflores).count() == 2


def test_it_computes_rates_from_approved_records_of_the_months_due() -> None:
    approved = datetime(2024, 8, 15)
    one = plan_with_months(
        committee("150122"),
        2024,
        [10, 10, None, 10, 10, 10, 99, 0, 0, 0, 0, 0],  # March unknown: counts 0
        {1: (10, approved), 2: (5, approved), 4: (10, approved), 7: (50, approved)},
    )
    plan_with_months(committee("150120"), 2024, [4] * 12, {1: (4, approved)}, status="submitted")
    rates = execution_rates(S1_2024, date(2024, 12, 31))
    mine = rates[cid(one)]
    assert (mine.programmed, mine.executed, mine.rate) == (50, 25, 50.0)  # July is not S1
    submitted = rates[committee("150120").pk]
    assert (submitted.executed, submitted.rate, submitted.flagged) == (0, 0.0, True)
    q1 = execution_rates(Period(2024, QUARTER, 1), date(2024, 12, 31))[cid(one)]
    assert (q1.programmed, q1.executed, q1.rate) == (20, 15, 75.0)
    assert q1.flagged is False  # at the threshold is not below it


def test_it_honours_the_as_of_date_for_months_due_and_approvals() -> None:
    plan = plan_with_months(
        committee("150122"),
        2024,
        [10] * 12,
        {
            1: (10, datetime(2024, 2, 5)),
            2: (10, datetime(2024, 3, 20)),
            3: (10, datetime(2024, 7, 2)),
        },
    )
    rate = execution_rates(S1_2024, date(2024, 3, 31))[cid(plan)]
    # January to March are due; March was approved only in July.
    assert (rate.programmed, rate.executed, rate.rate) == (30, 20, 66.7)
    rate = execution_rates(S1_2024, date(2024, 3, 10))[cid(plan)]
    assert (rate.programmed, rate.executed) == (20, 10)  # February approved on 20 March
    rate = execution_rates(S1_2024, date(2023, 12, 31))[cid(plan)]
    assert (rate.programmed, rate.rate, rate.flagged) == (0, None, False)
    rate = execution_rates(S1_2024, date(2024, 7, 2))[cid(plan)]
    assert (rate.programmed, rate.executed, rate.rate) == (60, 30, 50.0)


def test_it_honours_the_threshold_setting(settings) -> None:
    approved = datetime(2024, 7, 5)
    plan = plan_with_months(
        committee("150122"), 2024, [10] * 12, {m: (6, approved) for m in range(1, 7)}
    )
    as_of = date(2024, 12, 31)
    assert execution_rates(S1_2024, as_of)[cid(plan)].flagged is True
    settings.EXECUTION_THRESHOLD_PCT = 60
    assert execution_rates(S1_2024, as_of)[cid(plan)].flagged is False
    assert national_ranking(S1_2024, as_of).threshold == 60
    settings.EXECUTION_THRESHOLD_PCT = 61
    assert national_ranking(S1_2024, as_of).flagged == 1


def test_it_ranks_by_rate_with_shared_places_and_the_unprogrammed_last() -> None:
    approved = datetime(2024, 7, 5)

    def with_rate(ubigeo: str, per_month: int) -> int:
        owner = committee(ubigeo)
        plan_with_months(owner, 2024, [10] * 12, {m: (per_month, approved) for m in range(1, 7)})
        return owner.pk

    low = with_rate("150122", 5)
    tied_a, tied_b = with_rate("150120", 9), with_rate("150121", 9)
    top = with_rate("150130", 12)
    idle = committee("150140")
    plan_with_months(idle, 2024, [0] * 12, {})
    rows = national_ranking(S1_2024, date(2024, 12, 31)).rows
    assert [(r.committee_id, r.rank, r.rate) for r in rows] == [
        (top, 1, 120.0),
        *sorted(
            [(tied_a, 2, 90.0), (tied_b, 2, 90.0)],
            key=lambda t: committee_name(t[0]),
        ),
        (low, 4, 50.0),
        (idle.pk, 5, None),
    ]
    assert [r.flagged for r in rows] == [False, False, False, True, False]


def cid(plan: Plan) -> int:
    assert plan.committee_id is not None
    return plan.committee_id


def committee_name(pk: int) -> str:
    from sinasec.committees.models import Committee

    return Committee.objects.get(pk=pk).name


def test_it_leaves_the_national_plan_out_of_the_ranking() -> None:
    load_national_plan_2010()
    assert national_ranking(Period(2010, SEMESTER, 1), date(2010, 12, 31)).rows == []


def test_it_files_an_imported_year_of_the_span_under_the_multi_year_plan(
    secretary: User,
) -> None:
    miraflores = committee("150122")
    start_multiyear_plan(secretary, miraflores.pk, 2024, 2027)
    plan_2026 = import_plan(secretary, "padsc_2026.csv", programme_csv(2026))
    assert (plan_2026.span, plan_2026.year) == ("2024-2027", 2026)
    assert "2024-2027" in plan_2026.title and "programación 2026" in plan_2026.title
    outside = import_plan(secretary, "plan_2023.csv", programme_csv(2023))
    assert (outside.span, outside.is_multiyear) == ("2023", False)
