"""Monthly execution: every write (report, submit, approve, return, reopen, evidence,
the CSV import) is a function here that checks access, owns its transaction and writes
the audit record. Pages, the API and the command call these same functions.

``plan_id``, where given, is the plan the caller names (the page's or the API path's):
a part or report of another plan is unknown there (404)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.cache import bump_generation
from sinasec.core.concurrency import (
    check_version,
    conflict_on_duplicate,
    lock_target,
    stale_edit,
)
from sinasec.core.errors import AccessDenied, EditConflict, ImportProblem, ImportRejected
from sinasec.core.uploads import check_evidence, evidence_saver
from sinasec.notifications.services import emit_on_commit
from sinasec.plans.access import can_import_execution, get_part_for_user, get_report_for_user
from sinasec.plans.execution.importers import ImportResult, ResolvedRow, check_execution
from sinasec.plans.execution.notices import decision_drafts
from sinasec.plans.models import ActivityPart, Evidence, ExecutionReport, ReportStatus

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
IMPORT_ACTION = "plans.import_execution"


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
    record_change(
        actor,
        f"plans.{verb}",
        report,
        summary,
        before=before,
        after=_snapshot(report),
        institution_id=report.institution_id,
        territory_ubigeo=_ubigeo(report),
    )


def _ubigeo(report: ExecutionReport) -> str:
    """The territory of the report's plan: its committee's ubigeo; "" for the national
    plan."""
    committee = report.part.activity.strategy.plan.committee
    return committee.ubigeo if committee else ""


def save_report(
    actor: AnyUser,
    part_id: int,
    institution_id: int,
    month: int,
    executed: int,
    comment: str = "",
    expected_version: int | None = None,
    *,
    plan_id: int | None = None,
    submit: bool = False,
) -> ExecutionReport:
    """Create or correct a draft (or a returned report). Submitted and approved months
    are locked. ``expected_version`` is the version the user read (0: they saw no
    report of that month): a report saved by someone else since is refused with
    ``EditConflict`` (both versions). ``None`` skips the check (a trusted caller
    that read nothing).

    ``submit``: then submit it for approval in the same transaction (what
    :func:`submit_report` does, audited as it, without reading and locking the month
    again): the page's "Submit" button."""
    part = get_part_for_user(actor, part_id, institution_id, plan_id=plan_id)
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("the month must be 1 to 12")})
    if executed < 0:
        raise ValidationError({"executed": _("the executed quantity cannot be negative")})
    year = part.activity.strategy.plan.year
    if date(year, month, 1) > timezone.localdate():
        raise ValidationError(
            {"month": _("%(month)d/%(year)d has not started yet") % {"month": month, "year": year}}
        )
    what = _("the report of month %(m)d") % {"m": month}
    with conflict_on_duplicate(what), transaction.atomic():
        # The part's row is the lock of its months: the first save of a month waits for
        # a parallel one, then sees its report (never a duplicate-key error).
        ActivityPart.objects.select_for_update().only("pk").get(pk=part.pk)
        report = (
            ExecutionReport.objects.select_for_update()
            .filter(part=part, institution_id=institution_id, month=month)
            .first()
        )
        before = _snapshot(report) if report else None
        if report is None:
            if expected_version:
                raise stale_edit(what, expected_version, None)
            report = ExecutionReport(
                part=part, institution_id=institution_id, month=month, executed=executed
            )
        elif report.status not in EDITABLE:
            raise ValidationError(
                _("This month is %s: it cannot be changed.") % report.get_status_display()
            )
        else:
            check_version(report, expected_version, what)
            report.version += 1
        report.executed, report.comment = executed, comment
        report.part = part  # read above with its plan: the audit's territory reads it
        report.save()
        _audit(
            actor,
            "save_report",
            report,
            before,
            _("Month %(m)d reported: %(n)d") % {"m": month, "n": executed},
        )
        if submit:
            report = _transition(
                actor,
                report,
                EDITABLE,
                ReportStatus.SUBMITTED,
                "submit_report",
                "",
                report.version,
                already_locked=True,
            )
    return report


def submit_report(
    actor: AnyUser,
    report_id: int,
    expected_version: int | None = None,
    *,
    plan_id: int | None = None,
) -> ExecutionReport:
    """Submit a month for approval. Like every transition below, ``expected_version``
    is the version the user saw: a month changed since is refused with
    ``EditConflict`` (both versions) and nothing is written; ``None`` skips the check
    (a trusted caller that just saved the month itself)."""
    report = get_report_for_user(actor, report_id, write=True, plan_id=plan_id)
    return _transition(
        actor, report, EDITABLE, ReportStatus.SUBMITTED, "submit_report", "", expected_version
    )


def approve_report(
    actor: AnyUser,
    report_id: int,
    expected_version: int | None = None,
    *,
    plan_id: int | None = None,
) -> ExecutionReport:
    report = get_report_for_user(actor, report_id, decide=True, plan_id=plan_id)
    return _transition(
        actor,
        report,
        (ReportStatus.SUBMITTED,),
        ReportStatus.APPROVED,
        "approve_report",
        "",
        expected_version,
    )


def return_report(
    actor: AnyUser,
    report_id: int,
    reason: str,
    expected_version: int | None = None,
    *,
    plan_id: int | None = None,
) -> ExecutionReport:
    report = get_report_for_user(actor, report_id, decide=True, plan_id=plan_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    return _transition(
        actor,
        report,
        (ReportStatus.SUBMITTED,),
        ReportStatus.RETURNED,
        "return_report",
        reason,
        expected_version,
    )


def reopen_report(
    actor: AnyUser,
    report_id: int,
    reason: str,
    expected_version: int | None = None,
    *,
    plan_id: int | None = None,
) -> ExecutionReport:
    """Unlock an approved month; the reason stays in the audit log."""
    report = get_report_for_user(actor, report_id, decide=True, plan_id=plan_id)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the month is reopened.")})
    return _transition(
        actor,
        report,
        (ReportStatus.APPROVED,),
        ReportStatus.RETURNED,
        "reopen_report",
        reason,
        expected_version,
    )


def _transition(
    actor: AnyUser,
    report: ExecutionReport,
    allowed: tuple[str, ...],
    target: ReportStatus,
    verb: str,
    reason: str,
    expected_version: int | None,
    *,
    already_locked: bool = False,
) -> ExecutionReport:
    """``already_locked``: ``report`` is the row as the caller's open transaction locked
    it (a save submitting at once): not read again, and no savepoint inside the
    caller's transaction (a refusal here undoes the whole save anyway)."""
    with transaction.atomic(savepoint=not already_locked):
        locked = (
            report
            if already_locked
            else ExecutionReport.objects.select_for_update().get(pk=report.pk)
        )
        # The version first: a decision taken on another content than the one shown
        # (a month corrected and resubmitted meanwhile) is a conflict, even where its
        # status would allow it now.
        check_version(
            locked, expected_version, _("the report of month %(m)d") % {"m": locked.month}
        )
        if locked.status not in allowed:
            raise ValidationError(
                _("A report that is %(status)s cannot be %(target)s.")
                % {"status": locked.get_status_display(), "target": target.label.lower()}
            )
        before = _snapshot(locked)
        # The public figures (compliance's execution rate) count approved months only.
        changes_public = ReportStatus.APPROVED in (locked.status, target)
        now = timezone.now()
        locked.status, locked.version = target, locked.version + 1
        if target == ReportStatus.SUBMITTED:
            locked.submitted_at = now
        else:
            locked.decided_at, locked.decided_by = now, actor  # type: ignore[assignment]
            locked.reason = reason
        # The part (with its plan) and institution already read: the summary's signal,
        # the audit record and the notices use them instead of reading them again.
        if not already_locked:  # (else ``report`` is ``locked``: nothing to copy)
            locked.part, locked.institution = report.part, report.institution
        locked.save()
        _audit(
            actor,
            verb,
            locked,
            before,
            f"{target.label}: {reason}" if reason else str(target.label),
        )
        if target in (ReportStatus.RETURNED, ReportStatus.APPROVED):
            # The focal points learn it once the decision is committed (never if undone).
            emit_on_commit(lambda: decision_drafts(locked))
        if changes_public:
            bump_generation("committees")
    return locked


def add_evidence(actor: AnyUser, report_id: int, uploaded_file: UploadedFile) -> Evidence:
    """Attach a file to a month's report: while it is a draft, submitted or returned,
    not once it is approved (a reopened month takes evidence again)."""
    report = get_report_for_user(actor, report_id, write=True)
    if not isinstance(actor, User):
        raise AccessDenied(_("Sign in to add evidence."))
    checked = check_evidence(uploaded_file)
    with evidence_saver() as save_file, transaction.atomic():
        locked = ExecutionReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == ReportStatus.APPROVED:
            raise ValidationError(
                _("This month is %s: it cannot be changed.") % locked.get_status_display()
            )
        evidence = Evidence(report=locked, uploaded_by=actor, original_name=checked.original_name)
        save_file(evidence.file, checked)
        record_change(
            actor,
            "plans.add_evidence",
            evidence,
            _("Evidence %(file)s added to month %(m)d")
            % {"file": evidence.original_name, "m": locked.month},
            after={
                "report": locked.pk,
                "file": evidence.file.name,
                "original_name": evidence.original_name,
                "size": uploaded_file.size,
            },
            institution_id=locked.institution_id,
            territory_ubigeo=_ubigeo(report),
        )
    return evidence


def import_execution(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Monthly execution from a CSV file, one row per activity, institution and month.

    Each row is saved as that month's report and submitted for approval. An activity
    with several parts is reported on the part the institution is responsible for.

    All or nothing: the whole file is validated, and the actor's right to report every
    row checked (``importers.check_execution``), before anything is written; a focal
    point's file with a row for another institution's activity is rejected whole. A row
    for a month already submitted or approved with the same executed quantity is counted
    as unchanged, so re-importing the same file changes nothing; with a different
    quantity it is an error (the month is locked until it is returned or reopened). One
    audit record holds the import.
    """
    if not can_import_execution(actor):
        raise AccessDenied(
            _(
                "Only national administrators, committee secretaries and focal points can "
                "import execution reports."
            )
        )
    with conflict_on_duplicate(_("a month of this file")), transaction.atomic():
        # One file at a time: a second import of the same file waits for the first, then
        # finds its months submitted and writes nothing.
        lock_target(IMPORT_ACTION, hashlib.sha256(data).hexdigest())
        checked = check_execution(actor, file_name, data)
        result = checked.result
        written = [_import_row(actor, file_name, item, result) for item in checked.to_write]
        if written:
            _audit_import(actor, file_name, data, checked.resolved, result, written)
    return result


def _import_row(
    actor: AnyUser, file_name: str, item: ResolvedRow, result: ImportResult
) -> dict[str, object]:
    """Save and submit one row's month; what was written, for the audit record."""
    row = item.row
    try:
        report = save_report(
            actor,
            item.part.pk,
            item.institution_id,
            row.month,
            row.executed,
            row.comment,
            item.existing.version if item.existing else 0,  # the month as it was checked
        )
        submit_report(actor, report.pk, report.version)  # the version it just saved
    except ValidationError as exc:  # changed by someone else since it was checked
        raise ImportRejected(
            [ImportProblem(file_name, row.row, None, " ".join(exc.messages))]
        ) from None
    except EditConflict as exc:
        raise ImportRejected([ImportProblem(file_name, row.row, None, str(exc))]) from None
    if item.existing is None:
        result.created += 1
    else:
        result.updated += 1
    return {
        "row": row.row,
        "report": report.pk,
        "plan": item.part.activity.strategy.plan_id,
        "activity": row.code,
        "part": item.part.pk,
        "institution": row.institution,
        "month": row.month,
        "executed": row.executed,
    }


def _audit_import(
    actor: AnyUser,
    file_name: str,
    data: bytes,
    resolved: list[ResolvedRow],
    result: ImportResult,
    written: list[dict[str, object]],
) -> None:
    digest = hashlib.sha256(data).hexdigest()
    institutions = {item.institution_id for item in resolved}
    committees = {
        plan.committee.ubigeo if plan.committee else ""
        for plan in (item.part.activity.strategy.plan for item in resolved)
    }
    record_change(
        actor,
        IMPORT_ACTION,
        digest,
        _(
            "Execution imported from %(file)s: %(created)d new, %(updated)d "
            "corrected, %(unchanged)d already submitted; submitted for approval"
        )
        % {
            "file": file_name,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        after={
            "file": file_name,
            "sha256": digest,
            "rows": result.rows,
            "unchanged": result.unchanged,
            "submitted": written,
        },
        territory_ubigeo=committees.pop() if len(committees) == 1 else "",
        institution_id=institutions.pop() if len(institutions) == 1 else None,
        object_type="execution_reports",
    )
