"""Parallel writers on PostgreSQL (issue 16): two users saving one execution month at
once, and one plan file imported twice at once. One wins, the other is told; nothing is
overwritten silently, nothing is written twice, never a server error."""

from __future__ import annotations

from functools import partial

import pytest
from django.contrib.auth.models import User

from sinasec.core.errors import EditConflict
from sinasec.core.imports import ImportResult
from sinasec.core.tests.racing import postgresql_only, race, slowed
from sinasec.institutions.models import Institution
from sinasec.plans import services
from sinasec.plans.execution import services as execution
from sinasec.plans.execution.services import save_report
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus
from sinasec.plans.services import import_plan, load_national_plan_2010
from sinasec.plans.tests.template_support import to_csv
from sinasec.plans.tests.test_template import COMMITTEE_PLAN

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]
TRIALS = 20


def pnp_part() -> ActivityPart:
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)


def test_parallel_saves_of_one_month_at_one_version_never_overwrite_silently(
    reference_data: None, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    part, pnp = pnp_part(), Institution.objects.get(acronym="PNP").pk
    version = save_report(focal_point, part.pk, pnp, 1, 0, plan_id=plan.pk).version
    for trial in range(TRIALS):
        values = (1000 + 2 * trial, 1001 + 2 * trial)
        outcomes = race(
            *(partial(save_report, focal_point, part.pk, pnp, 1, v, "", version) for v in values)
        )
        won = [o for o in outcomes if isinstance(o, ExecutionReport)]
        told = [o for o in outcomes if isinstance(o, EditConflict)]
        assert (len(won), len(told)) == (1, 1), outcomes
        report = ExecutionReport.objects.get(part=part, institution_id=pnp, month=1)
        assert (report.executed, report.version) == (won[0].executed, version + 1)
        assert (told[0].expected, told[0].current) == (version, version + 1)
        version = report.version


def test_parallel_first_saves_of_one_month_answer_a_conflict_not_a_server_error(
    reference_data: None, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    slowed(monkeypatch, execution, "record_change", 0.05)  # the first save's commit waits
    plan = load_national_plan_2010()
    part = pnp_part()
    months = [
        (i, m) for i in Institution.objects.filter(acronym__in=["PNP", "MP"]) for m in range(1, 13)
    ]
    for institution, month in months[:TRIALS]:
        save = partial(save_report, admin, part.pk, institution.pk, month)
        outcomes = race(*(partial(save, v, "", 0) for v in (7, 8)))
        assert sorted(type(o).__name__ for o in outcomes) == ["EditConflict", "ExecutionReport"]
    assert ExecutionReport.objects.filter(part__activity__strategy__plan=plan).count() == TRIALS


def test_one_plan_file_imported_twice_at_once_is_written_once(
    reference_data: None, secretary: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    slowed(monkeypatch, services, "record_change", 0.3)  # the first import's commit waits
    data = to_csv(COMMITTEE_PLAN)
    outcomes = race(*(lambda: import_plan(secretary, "plan.csv", data) for _ in range(2)))
    assert all(isinstance(o, Plan) for o in outcomes), outcomes
    assert Plan.objects.filter(committee__ubigeo="150122", year=2025).count() == 1
    assert ActivityPart.objects.filter(activity__strategy__plan__year=2025).count() == 2


def test_one_execution_file_imported_twice_at_once_is_written_once(
    reference_data: None, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_national_plan_2010()
    slowed(monkeypatch, execution, "record_change", 0.1)  # the first import's commit waits
    data = (
        b"plan,activity,institution,year,month,executed,comment\n"
        b"2010,2.7,PNP,2010,1,18,\n"
        b"2010,2.7,MP,2010,1,5,\n"
    )
    outcomes = race(*(partial(execution.import_execution, admin, "x.csv", data) for _ in "ab"))
    assert all(isinstance(o, ImportResult) for o in outcomes), outcomes
    assert sorted(o.created for o in outcomes if isinstance(o, ImportResult)) == [0, 2]
    assert ExecutionReport.objects.filter(status="submitted").count() == 2


def test_parallel_approve_and_correction_of_one_month_never_approve_unseen_content(
    reference_data: None, focal_point: User, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The approver approves the month as seen while it is returned, corrected and
    resubmitted at once: one wins, the other is told; an approval never holds a value
    the approver did not see."""
    slowed(monkeypatch, execution, "record_change", 0.02)  # the winner's commit waits
    plan = load_national_plan_2010()
    part, pnp = pnp_part(), Institution.objects.get(acronym="PNP").pk
    report = save_report(focal_point, part.pk, pnp, 1, 18, plan_id=plan.pk)
    execution.submit_report(focal_point, report.pk, report.version)

    def correct(seen: int, value: int) -> ExecutionReport:
        returned = execution.return_report(admin, report.pk, "Corrija", seen)
        saved = save_report(focal_point, part.pk, pnp, 1, value, "", returned.version)
        return execution.submit_report(focal_point, report.pk, saved.version)

    wins, silent = {"approve": 0, "correct": 0}, 0
    for trial in range(TRIALS):
        seen = ExecutionReport.objects.get(pk=report.pk)
        outcomes = race(
            partial(execution.approve_report, admin, report.pk, seen.version),
            partial(correct, seen.version, 2000 + trial),
        )
        told = [o for o in outcomes if isinstance(o, EditConflict)]
        assert len(told) == 1 and told[0].expected == seen.version, outcomes
        now = ExecutionReport.objects.get(pk=report.pk)
        if now.status == ReportStatus.APPROVED:
            wins["approve"] += 1
            silent += now.executed != seen.executed
            execution.reopen_report(admin, report.pk, "Otra vuelta", now.version)
            execution.submit_report(focal_point, report.pk, now.version + 1)
        else:
            wins["correct"] += 1
            assert (now.status, now.executed) == (ReportStatus.SUBMITTED, 2000 + trial)
    assert silent == 0 and sum(wins.values()) == TRIALS, wins
