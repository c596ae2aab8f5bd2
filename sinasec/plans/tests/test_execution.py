"""Monthly execution: report, submit, return with a reason, correct, approve, reopen;
and the progress it feeds."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from sinasec.audit.models import AuditEvent
from sinasec.core.errors import AccessDenied
from sinasec.institutions.models import Institution
from sinasec.plans.execution.selectors import due_date
from sinasec.plans.execution.services import (
    approve_report,
    reopen_report,
    return_report,
    save_report,
    submit_report,
)
from sinasec.plans.models import ActivityPart, ReportStatus
from sinasec.plans.progress import months_due, plan_progress, traffic_light
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db


def pnp_part() -> ActivityPart:
    """Strategy 2, activity 7: 240 integrated operations, PNP / MP, 20 a month."""
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)


def pnp() -> int:
    return Institution.objects.get(acronym="PNP").pk


def test_it_follows_a_report_from_draft_to_approval(focal_point: User, admin: User) -> None:
    load_national_plan_2010()
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 18, "dos operativos suspendidos")
    assert report.status == ReportStatus.DRAFT
    submit_report(focal_point, report.pk)
    with pytest.raises(ValidationError):
        save_report(focal_point, pnp_part().pk, pnp(), 1, 19)  # submitted: locked
    returned = return_report(admin, report.pk, "Falta el acta de los operativos")
    assert (returned.status, returned.reason) == (
        ReportStatus.RETURNED,
        "Falta el acta de los operativos",
    )
    corrected = save_report(focal_point, pnp_part().pk, pnp(), 1, 20, "con actas")
    submit_report(focal_point, corrected.pk)
    approved = approve_report(admin, corrected.pk)
    assert approved.status == ReportStatus.APPROVED and approved.executed == 20
    with pytest.raises(ValidationError):
        save_report(focal_point, pnp_part().pk, pnp(), 1, 21)  # approved: locked
    reopen_report(admin, corrected.pk, "Error de digitación")
    assert save_report(focal_point, pnp_part().pk, pnp(), 1, 21).executed == 21
    actions = list(
        AuditEvent.objects.filter(action__startswith="plans.").values_list("action", flat=True)
    )
    assert actions.count("plans.reopen_report") == 1 and len(actions) == 8


def test_it_lets_a_focal_point_report_only_for_its_institution(
    focal_point: User, other_focal_point: User, analyst: User, admin: User
) -> None:
    load_national_plan_2010()
    minsa = Institution.objects.get(acronym="MINSA").pk
    with pytest.raises(AccessDenied):
        save_report(other_focal_point, pnp_part().pk, minsa, 1, 5)  # MINSA is not responsible
    with pytest.raises(AccessDenied):
        save_report(other_focal_point, pnp_part().pk, pnp(), 1, 5)  # not its institution
    with pytest.raises(AccessDenied):
        save_report(analyst, pnp_part().pk, pnp(), 1, 5)
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 5)
    submit_report(focal_point, report.pk)
    with pytest.raises(AccessDenied):
        approve_report(focal_point, report.pk)  # only ST-CONASEC decides
    with pytest.raises(ValidationError):
        return_report(admin, report.pk, "  ")  # a reason is required


def test_it_computes_progress_from_approved_months(focal_point: User, admin: User) -> None:
    plan = load_national_plan_2010()
    for month, executed in ((1, 20), (2, 10)):
        report = save_report(focal_point, pnp_part().pk, pnp(), month, executed)
        submit_report(focal_point, report.pk)
        approve_report(admin, report.pk)
    rows = {r.activity: r for r in plan_progress(plan, date(2010, 2, 28))}
    assert rows["2.7"].programmed_to_date == 40 and rows["2.7"].executed_to_date == 30
    assert rows["2.7"].goal == 240 and rows["2.7"].pct_of_goal == 12.5
    assert rows["2.7"].status == "yellow"  # 30 / 40 = 0.75
    assert rows["4.4"].goal == 7 and rows["4.4"].programmed_unknown is False  # nov not due
    assert plan_progress(plan, date(2009, 12, 31))[0].status == "not_due"


def test_it_works_out_due_dates_and_traffic_lights() -> None:
    assert due_date(2010, 1) == date(2010, 2, 10)
    assert due_date(2010, 12) == date(2011, 1, 10)
    assert months_due(2010, date(2010, 3, 31)) == 3 and months_due(2010, date(2010, 3, 30)) == 2
    assert [traffic_light(10, n) for n in (9, 6, 5)] == ["green", "yellow", "red"]


def test_it_prints_progress_as_json(focal_point: User, admin: User) -> None:
    import io
    import json

    from django.core.management import call_command

    load_national_plan_2010()
    report = save_report(focal_point, pnp_part().pk, pnp(), 1, 20)
    submit_report(focal_point, report.pk)
    approve_report(admin, report.pk)
    out = io.StringIO()
    call_command(
        "plan", "progress", "2010", "--as-of", "2010-01-31", "--format", "json", stdout=out
    )
    rows = {r["activity"]: r for r in json.loads(out.getvalue())["activities"]}
    assert rows["2.7"] == {
        "activity": "2.7",
        "description": rows["2.7"]["description"],
        "unit": "Operativos",
        "goal": 240,
        "programmed_to_date": 20,
        "programmed_unknown": False,
        "executed_to_date": 20,
        "pct_of_goal": 8.3,
        "status": "green",
    }


def test_it_counts_a_submitted_committee_plan_as_the_plan_milestone(
    secretary: User, admin: User
) -> None:
    from django.utils import timezone

    from sinasec.committees.compliance import compliance_as_of
    from sinasec.committees.models import Committee
    from sinasec.plans.models import Plan, PlanStatus
    from sinasec.plans.services import submit_plan

    today = timezone.localdate()
    own = Committee.objects.get(level="district", ubigeo="150122")
    other = Committee.objects.get(level="district", ubigeo="150120")
    plan = Plan.objects.create(year=today.year, committee=own, title="Plan distrital Miraflores")
    foreign = Plan.objects.create(
        year=today.year, committee=other, title="Plan distrital Magdalena"
    )
    before = compliance_as_of(today).counts["plan"]["district"]["done"]
    with pytest.raises(AccessDenied):
        submit_plan(secretary, foreign.pk)
    assert submit_plan(secretary, plan.pk).status == PlanStatus.SUBMITTED
    assert submit_plan(secretary, plan.pk).status == PlanStatus.SUBMITTED  # idempotent
    assert compliance_as_of(today).counts["plan"]["district"]["done"] == before + 1
    assert own.events.get(kind="plan").year == today.year


def test_it_offers_the_submit_button_only_to_the_owner(
    client, secretary: User, focal_point: User
) -> None:
    from django.utils import timezone

    from sinasec.committees.models import Committee
    from sinasec.conftest import login
    from sinasec.plans.models import Plan

    own = Committee.objects.get(level="district", ubigeo="150122")
    plan = Plan.objects.create(
        year=timezone.localdate().year, committee=own, title="Plan distrital Miraflores"
    )
    login(client, focal_point)
    assert 'data-testid="submit-plan"' not in client.get(f"/planes/{plan.pk}/").content.decode()
    assert client.post(f"/planes/{plan.pk}/presentar/").status_code == 403
    login(client, secretary)
    assert 'data-testid="submit-plan"' in client.get(f"/planes/{plan.pk}/").content.decode()
    assert client.post(f"/planes/{plan.pk}/presentar/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == "submitted"
