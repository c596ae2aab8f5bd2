"""Monthly execution: every write (report, submit, approve, return, reopen) is a
function here that checks access, owns its transaction and writes the audit record."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.errors import AccessDenied, EditConflict
from sinasec.plans.access import get_part_for_user, get_report_for_user
from sinasec.plans.models import Evidence, ExecutionReport, ReportStatus

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def due_date(year: int, month: int) -> date:
    """A month's report is due ``SINASEC_EXECUTION_DUE_DAYS`` days after it ends."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1) + timedelta(days=settings.EXECUTION_DUE_DAYS)


def _snapshot(report: ExecutionReport) -> dict[str, object]:
    return {
        "part": report.part_id,
        "institution": report.institution_id,
        "month": report.month,
        "executed": report.executed,
        "comment": report.comment,
        "status": report.status,
        "reason": report.reason,
    }


def _audit(
    actor: AnyUser, verb: str, report: ExecutionReport, before: dict | None, summary: str
) -> None:
    plan = report.part.activity.strategy.plan
    record_change(
        actor,
        f"plans.{verb}",
        report,
        summary,
        before=before,
        after=_snapshot(report),
        institution_id=report.institution_id,
        territory_ubigeo=plan.committee.ubigeo if plan.committee else "",
    )


def save_report(
    actor: AnyUser,
    part_id: int,
    institution_id: int,
    month: int,
    executed: int,
    comment: str = "",
    expected_version: int | None = None,
) -> ExecutionReport:
    """Create or correct a draft (or a returned report). Submitted and approved months
    are locked."""
    part = get_part_for_user(actor, part_id, institution_id)
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("the month must be 1 to 12")})
    if executed < 0:
        raise ValidationError({"executed": _("the executed quantity cannot be negative")})
    year = part.activity.strategy.plan.year
    if date(year, month, 1) > timezone.localdate():
        raise ValidationError(
            {"month": _("%(month)d/%(year)d has not started yet") % {"month": month, "year": year}}
        )
    with transaction.atomic():
        report = (
            ExecutionReport.objects.select_for_update()
            .filter(part=part, institution_id=institution_id, month=month)
            .first()
        )
        before = _snapshot(report) if report else None
        if report is None:
            report = ExecutionReport(
                part=part, institution_id=institution_id, month=month, executed=executed
            )
        elif report.status not in EDITABLE:
            raise ValidationError(
                _("This month is %s: it cannot be changed.") % report.get_status_display()
            )
        elif expected_version is not None and report.version != expected_version:
            raise EditConflict(_("This report was changed by someone else. Reload and try again."))
        else:
            report.version += 1
        report.executed, report.comment = executed, comment
        report.save()
        _audit(
            actor,
            "save_report",
            report,
            before,
            _("Month %(m)d reported: %(n)d") % {"m": month, "n": executed},
        )
    return report


def submit_report(actor: AnyUser, report_id: int) -> ExecutionReport:
    report = get_report_for_user(actor, report_id, write=True)
    return _transition(actor, report, EDITABLE, ReportStatus.SUBMITTED, "submit_report", "")


def approve_report(actor: AnyUser, report_id: int) -> ExecutionReport:
    report = get_report_for_user(actor, report_id, decide=True)
    return _transition(
        actor, report, (ReportStatus.SUBMITTED,), ReportStatus.APPROVED, "approve_report", ""
    )


def return_report(actor: AnyUser, report_id: int, reason: str) -> ExecutionReport:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    report = get_report_for_user(actor, report_id, decide=True)
    return _transition(
        actor, report, (ReportStatus.SUBMITTED,), ReportStatus.RETURNED, "return_report", reason
    )


def reopen_report(actor: AnyUser, report_id: int, reason: str) -> ExecutionReport:
    """Unlock an approved month; the reason stays in the audit log."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the month is reopened.")})
    report = get_report_for_user(actor, report_id, decide=True)
    return _transition(
        actor, report, (ReportStatus.APPROVED,), ReportStatus.RETURNED, "reopen_report", reason
    )


def _transition(
    actor: AnyUser,
    report: ExecutionReport,
    allowed: tuple[str, ...],
    target: ReportStatus,
    verb: str,
    reason: str,
) -> ExecutionReport:
    with transaction.atomic():
        locked = ExecutionReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in allowed:
            raise ValidationError(
                _("A report that is %(status)s cannot be %(target)s.")
                % {"status": locked.get_status_display(), "target": target.label.lower()}
            )
        before = _snapshot(locked)
        now = timezone.now()
        locked.status, locked.version = target, locked.version + 1
        if target == ReportStatus.SUBMITTED:
            locked.submitted_at = now
        else:
            locked.decided_at, locked.decided_by = now, actor  # type: ignore[assignment]
            locked.reason = reason
        locked.save()
        locked.part = report.part
        _audit(
            actor,
            verb,
            locked,
            before,
            f"{target.label}: {reason}" if reason else str(target.label),
        )
    return locked


def add_evidence(actor: AnyUser, report_id: int, uploaded_file: UploadedFile) -> Evidence:
    """Attach a file to a month's report: while it is a draft, submitted or returned,
    not once it is approved (a reopened month takes evidence again)."""
    report = get_report_for_user(actor, report_id, write=True)
    if not isinstance(actor, User):
        raise AccessDenied(_("Sign in to add evidence."))
    if not uploaded_file.size:
        raise ValidationError({"evidence": _("The evidence file is empty.")})
    with transaction.atomic():
        locked = ExecutionReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == ReportStatus.APPROVED:
            raise ValidationError(
                _("This month is %s: it cannot be changed.") % locked.get_status_display()
            )
        evidence = Evidence(report=locked, uploaded_by=actor)
        evidence.file.save(uploaded_file.name or "evidencia", uploaded_file, save=True)
        plan = report.part.activity.strategy.plan
        record_change(
            actor,
            "plans.add_evidence",
            evidence,
            _("Evidence %(file)s added to month %(m)d")
            % {"file": evidence.file.name, "m": locked.month},
            after={
                "report": locked.pk,
                "file": evidence.file.name,
                "size": uploaded_file.size,
            },
            institution_id=locked.institution_id,
            territory_ubigeo=plan.committee.ubigeo if plan.committee else "",
        )
    return evidence


TIMELINESS_LABELS = {
    "on_time": gettext_lazy("on time"),
    "late": gettext_lazy("late"),
    "pending": gettext_lazy("pending"),
}


def timeliness(
    report: ExecutionReport, *, year: int | None = None, today: date | None = None
) -> str:
    """``on_time`` / ``late`` / ``pending`` against the month's ``due_date``: submitted
    (``submitted_at`` set, whatever was decided since) by the due date or after it; not
    submitted yet, with the due date still ahead (``pending``) or passed (``late``).

    ``year`` (the plan's) and ``today`` default to the report's plan and the local date.
    """
    if year is None:
        year = report.part.activity.strategy.plan.year
    due = due_date(year, report.month)
    if report.submitted_at is not None:
        return "late" if timezone.localdate(report.submitted_at) > due else "on_time"
    return "late" if (today or timezone.localdate()) > due else "pending"
