"""A decision on a monthly report tells the focal points of its institution at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail

from sinasec.audit.models import AuditEvent
from sinasec.notifications.models import Kind, Notification
from sinasec.notifications.services import set_email_preferences
from sinasec.plans.execution.services import (
    approve_report,
    return_report,
    save_report,
    submit_report,
)
from sinasec.plans.models import ActivityPart

pytestmark = pytest.mark.django_db
REASON = "Falta el acta de los operativos"


def _submitted(user: User, part: ActivityPart, institution: int) -> int:
    report = save_report(user, part.pk, institution, 1, 18)
    submit_report(user, report.pk)
    return report.pk


def test_it_tells_the_focal_point_a_report_was_returned_with_the_reason(
    mailed_focal_point: User,
    other_focal_point: User,
    admin: User,
    pnp_part: ActivityPart,
    pnp: int,
    django_capture_on_commit_callbacks,
) -> None:
    report_id = _submitted(mailed_focal_point, pnp_part, pnp)
    with django_capture_on_commit_callbacks(execute=True):
        return_report(admin, report_id, REASON)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.object_id) == (
        mailed_focal_point,
        Kind.REPORT_RETURNED,
        report_id,
    )
    assert REASON in notice.body and "devuelto" in notice.title
    assert notice.link == f"/planes/{pnp_part.activity.strategy.plan_id}/reportar/"
    assert notice.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pablo@pnp.gob.pe"]
    assert REASON in mail.outbox[0].body and notice.link in mail.outbox[0].body


def test_it_keeps_the_notice_in_the_application_when_email_is_off_for_the_kind(
    mailed_focal_point: User,
    admin: User,
    pnp_part: ActivityPart,
    pnp: int,
    django_capture_on_commit_callbacks,
) -> None:
    set_email_preferences(mailed_focal_point, {Kind.REPORT_APPROVED})  # returned: off
    report_id = _submitted(mailed_focal_point, pnp_part, pnp)
    with django_capture_on_commit_callbacks(execute=True):
        return_report(admin, report_id, REASON)
    notice = Notification.objects.get(recipient=mailed_focal_point)
    assert REASON in notice.body
    assert (notice.email_wanted, notice.emailed_at, mail.outbox) == (False, None, [])
    assert AuditEvent.objects.filter(action="notifications.set_preferences").count() == 1


def test_it_tells_an_approval_and_each_decision_once(
    mailed_focal_point: User,
    admin: User,
    pnp_part: ActivityPart,
    pnp: int,
    django_capture_on_commit_callbacks,
) -> None:
    report_id = _submitted(mailed_focal_point, pnp_part, pnp)
    with django_capture_on_commit_callbacks(execute=True):
        return_report(admin, report_id, REASON)
    save_report(mailed_focal_point, pnp_part.pk, pnp, 1, 20)
    submit_report(mailed_focal_point, report_id)
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(admin, report_id)
    kinds = list(Notification.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [Kind.REPORT_RETURNED, Kind.REPORT_APPROVED]
    assert [m.subject.startswith("SINASEC: Reporte") for m in mail.outbox] == [True, True]


def test_it_tells_nothing_when_the_decision_is_rolled_back(
    mailed_focal_point: User,
    admin: User,
    pnp_part: ActivityPart,
    pnp: int,
    django_capture_on_commit_callbacks,
) -> None:
    from django.db import transaction

    report_id = _submitted(mailed_focal_point, pnp_part, pnp)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        return_report(admin, report_id, REASON)
        raise RuntimeError("rolled back")
    assert (callbacks, Notification.objects.count(), mail.outbox) == ([], 0, [])


def test_it_sends_at_once_only_what_the_decision_created(
    mailed_focal_point: User,
    admin: User,
    pnp_part: ActivityPart,
    pnp: int,
    django_capture_on_commit_callbacks,
) -> None:
    """A backlog (e-mails that failed before) waits for `sinasec notify`, not for the
    approver's request."""
    from sinasec.notifications.services import Draft, emit

    admin.email = "ana@mininter.gob.pe"
    admin.save()
    emit([Draft(admin, Kind.REPORT_DUE, "plans.plan", 1, "2010-01", "Pendiente", "Texto")])
    report_id = _submitted(mailed_focal_point, pnp_part, pnp)
    with django_capture_on_commit_callbacks(execute=True):
        return_report(admin, report_id, REASON)
    assert [m.to for m in mail.outbox] == [["pablo@pnp.gob.pe"]]
    assert Notification.objects.get(recipient=admin).emailed_at is None
