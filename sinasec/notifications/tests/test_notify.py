"""`sinasec notify`: due and overdue reports for a given day, the digest, idempotence,
the dry run, and e-mails that failed retried on the next run."""

from __future__ import annotations

from datetime import date
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from sinasec.notifications.models import Kind, Notification
from sinasec.plans.execution.services import save_report, submit_report
from sinasec.plans.models import ActivityPart

pytestmark = pytest.mark.django_db

# The 2010 plan: January is due on 10/02/2010 (SINASEC_EXECUTION_DUE_DAYS = 10).
DUE_SOON = "2010-02-07"  # within SINASEC_NOTIFY_DUE_DAYS (5) of it
OVERDUE = "2010-02-15"


def notify(*args: str) -> str:
    out = StringIO()
    call_command("notify", *args, stdout=out)
    return out.getvalue()


def test_it_warns_of_a_report_due_in_the_coming_days(
    mailed_focal_point: User, plan_2010: None
) -> None:
    assert notify("--date", "2010-02-01") and Notification.objects.count() == 0  # too early
    notify("--date", DUE_SOON)
    notice = Notification.objects.get(recipient=mailed_focal_point)
    assert notice.kind == Kind.REPORT_DUE
    assert "10/02/2010" in notice.title and "01/2010" in notice.body
    assert mail.outbox[0].to == ["pablo@pnp.gob.pe"]


def test_it_tells_an_overdue_month_and_not_a_submitted_one(
    mailed_focal_point: User, other_focal_point: User, pnp_part: ActivityPart, pnp: int
) -> None:
    notify("--date", OVERDUE)
    overdue = Notification.objects.get(recipient=mailed_focal_point)
    assert overdue.kind == Kind.REPORT_OVERDUE and "01/2010" in overdue.body
    activities = int(overdue.body.split()[4])  # "La ejecución mensual de N actividades ..."
    # PNP submits one of them: told again (the record cleared), one fewer is counted.
    submit_report(mailed_focal_point, save_report(mailed_focal_point, pnp_part.pk, pnp, 1, 20).pk)
    Notification.objects.all().delete()
    notify("--date", OVERDUE)
    again = Notification.objects.get(recipient=mailed_focal_point)
    assert int(again.body.split()[4]) == activities - 1
    # The next month overdue is a new notice listing both months.
    notify("--date", "2010-03-15")
    march = Notification.objects.filter(recipient=mailed_focal_point).latest("id")
    assert "01/2010, 02/2010" in march.body and march.dedupe_key != again.dedupe_key


def test_it_sends_nothing_twice(mailed_focal_point: User, plan_2010: None) -> None:
    notify("--date", OVERDUE)
    first = (Notification.objects.count(), len(mail.outbox))
    assert first[0] >= 1 and first[1] == 1
    output = notify("--date", OVERDUE)
    assert (Notification.objects.count(), len(mail.outbox)) == first
    assert "0 e-mails sent" in output or "0 correos enviados" in output


def test_it_writes_nothing_in_a_dry_run(mailed_focal_point: User, plan_2010: None) -> None:
    output = notify("--date", OVERDUE, "--dry-run")
    assert "pablo.pnp\treport_overdue" in output
    assert (Notification.objects.count(), mail.outbox) == (0, [])


def test_it_retries_an_email_that_failed(mailed_focal_point: User, plan_2010: None) -> None:
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("conexión rechazada"),
    ):
        notify("--date", OVERDUE)
    notice = Notification.objects.get(recipient=mailed_focal_point)
    assert (notice.emailed_at, notice.email_attempts) == (None, 1)
    assert "rechazada" in notice.email_error and mail.outbox == []
    notify("--date", OVERDUE)
    notice.refresh_from_db()
    assert notice.emailed_at is not None and len(mail.outbox) == 1


def test_it_gives_up_an_address_after_five_failed_runs(
    mailed_focal_point: User, plan_2010: None
) -> None:
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("buzón inexistente"),
    ):
        for _run in range(6):
            notify("--date", OVERDUE)
    notice = Notification.objects.get(recipient=mailed_focal_point)
    assert (notice.email_attempts, notice.emailed_at) == (5, None)
    notify("--date", OVERDUE)  # the server is back: given up all the same
    assert mail.outbox == []


def test_it_sends_the_approvers_their_weekly_digest(
    focal_point: User, admin: User, pnp_part: ActivityPart, pnp: int
) -> None:
    submit_report(focal_point, save_report(focal_point, pnp_part.pk, pnp, 1, 20).pk)
    notify("--date", "2010-02-02")  # a Tuesday: no digest
    assert not Notification.objects.filter(kind=Kind.WEEKLY_DIGEST).exists()
    notify("--date", "2010-02-08")  # a Monday
    digest = Notification.objects.get(kind=Kind.WEEKLY_DIGEST)
    assert digest.recipient == admin and " 1 " in digest.title
    plan_id = pnp_part.activity.strategy.plan_id
    assert digest.link == f"/planes/{plan_id}/revision/"
    notify("--date", "2010-02-09", "--digest")  # the same week: nothing new
    assert Notification.objects.filter(kind=Kind.WEEKLY_DIGEST).count() == 1


def test_it_tells_each_person_once_for_all_their_plans(
    focal_point: User, secretary: User, regional_secretary: User, plan_2010: None, pnp: int
) -> None:
    """PNP answers for the national plan and for Miraflores' plan: one notice naming
    both; Miraflores' secretary is told of their committee's plan only; Callao's of none."""
    from sinasec.committees.models import Committee
    from sinasec.plans.models import Activity, ActivityPart, Plan, Strategy

    own = Committee.objects.get(level="district", ubigeo="150122")
    plan = Plan.objects.create(year=2010, committee=own, title="Plan distrital Miraflores")
    strategy = Strategy.objects.create(plan=plan, number=1, name="Patrullaje")
    activity = Activity.objects.create(strategy=strategy, number=1, description="Rondas")
    part = ActivityPart.objects.create(activity=activity, goal=12, programmed=[1] * 12)
    part.institutions.add(pnp)
    notify("--date", OVERDUE)
    pnp_notice = Notification.objects.get(recipient=focal_point)
    assert "2 planes" in pnp_notice.title and pnp_notice.link == "/planes/"
    assert "Plan distrital Miraflores: 01/2010" in pnp_notice.body
    own_notice = Notification.objects.get(recipient=secretary)
    assert own_notice.object_id == plan.pk and "de 1 actividad de" in own_notice.body
    assert own_notice.link == f"/planes/{plan.pk}/reportar/"
    assert not Notification.objects.filter(recipient=regional_secretary).exists()


def test_it_skips_an_email_another_run_has_claimed(
    mailed_focal_point: User, plan_2010: None
) -> None:
    """Two runs at once read the same pending list: the e-mail goes out once."""
    from sinasec.notifications.services import emit, pending_email, send_pending
    from sinasec.plans.execution.notices import due_drafts

    emit(due_drafts(date(2010, 2, 15)))
    first_run, second_run = pending_email(), pending_email()
    assert len(first_run) == 1
    assert send_pending(first_run) == (1, 0)
    assert send_pending(second_run) == (0, 0) and len(mail.outbox) == 1
