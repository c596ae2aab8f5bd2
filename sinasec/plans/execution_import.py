"""Monthly execution brought as a CSV file: one row per activity, institution and month
(``plan, activity, institution, year, month, executed, comment``).

``parse_execution_csv`` only reads and checks the cells; ``import_execution`` resolves
the rows against the plans, checks the actor's right to report every row, and only then
writes them, in one transaction, as submitted reports. Every problem in the file is
collected (file, row, column, reason) and raised together as ``ImportRejected``, so a bad
file changes nothing and the user can fix it in one pass. Row numbers count the header as
row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.audit.services import record_change
from sinasec.core.errors import AccessDenied, ImportProblem, ImportRejected
from sinasec.core.imports import ImportResult, ProblemList
from sinasec.core.tabular import XLS_MAGIC, XLSX_MAGIC, read_csv
from sinasec.core.text import header_key
from sinasec.institutions.models import Institution
from sinasec.institutions.reference import resolve_alias
from sinasec.plans import execution
from sinasec.plans.access import get_part_for_user
from sinasec.plans.models import ActivityPart, ExecutionReport, ReportStatus
from sinasec.plans.selectors import find_plan

ACTION = "plans.import_execution"

# Canonical column -> the normalised header names accepted for it (English, Spanish).
COLUMNS: dict[str, tuple[str, ...]] = {
    "plan": ("plan",),
    "activity": ("activity", "actividad"),
    "institution": ("institution", "institucion"),
    "year": ("year", "ano", "anio"),
    "month": ("month", "mes"),
    "executed": ("executed", "ejecutado"),
    "comment": ("comment", "comentario"),
}
REQUIRED = ("plan", "activity", "institution", "year", "month", "executed")
ACTIVITY_CODE = re.compile(r"^(\d+)\s*\.\s*(\d+)$")
WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class ExecutionRow:
    row: int
    plan: str  # the national plan's year ("2010") or a plan id, as written
    strategy: int
    activity: int
    institution: str  # the acronym the written name resolves to
    institution_written: str
    year: int
    month: int
    executed: int
    comment: str = ""

    @property
    def code(self) -> str:
        return f"{self.strategy}.{self.activity}"


def parse_execution_csv(data: bytes, file_name: str) -> list[ExecutionRow]:
    """The rows of an execution CSV (UTF-8 with or without BOM; ``;``, ``,`` or tab
    separated), every cell checked. Nothing here reads the database."""
    if data.startswith((XLSX_MAGIC, XLS_MAGIC)):
        raise ImportRejected(
            [
                ImportProblem(
                    file_name,
                    None,
                    None,
                    _("this is an Excel workbook; save it as “CSV UTF-8” and try again"),
                )
            ]
        )
    # Rows with a wrong number of fields are reported by the reader; they are shown
    # only once the header has every required column, as before any row is read.
    read_problems = ProblemList()
    header, records = read_csv(data, file_name, read_problems)
    problems = ProblemList()

    columns: dict[str, int] = {}
    normalised = [header_key(h) for h in header]
    for key, names in COLUMNS.items():
        for index, name in enumerate(normalised):
            if name in names:
                columns[key] = index
                break
    missing = [key for key in REQUIRED if key not in columns]
    for key in missing:
        problems.add(
            1,
            key,
            _("required column missing (columns found: %(found)s)")
            % {"found": ", ".join(h for h in header if h) or "—"},
            file_name,
        )
    problems.raise_if_any()

    rows: list[ExecutionRow] = []
    seen: dict[tuple[str, int, int, str, int, int], int] = {}
    problems.extend(read_problems)
    for number, cells in records:
        values = [str(v) for v in cells]  # a CSV's cells are text
        row = _row(number, values, columns, header, file_name, problems)
        if row is None:
            continue
        row_key = (row.plan, row.strategy, row.activity, row.institution, row.year, row.month)
        if row_key in seen:
            problems.add(
                number,
                None,
                _("duplicate row: the same activity, institution and month are in row %(first)d")
                % {"first": seen[row_key]},
                file_name,
            )
            continue
        seen[row_key] = number
        rows.append(row)
    if not records and not problems:
        problems.add(None, None, _("the file has a header but no data rows"), file_name)
    problems.sort(key=lambda p: p.row or 0)  # in the order of the file
    problems.raise_if_any()
    return rows


def _row(
    number: int,
    values: list[str],
    columns: dict[str, int],
    header: list[str],
    file_name: str,
    problems: ProblemList,
) -> ExecutionRow | None:
    def cell(key: str) -> str:
        index = columns.get(key)
        return values[index].strip() if index is not None else ""

    def fail(key: str, reason: str) -> None:
        problems.add(number, header[columns[key]] if key in columns else key, reason, file_name)

    ok = True
    for key in REQUIRED:
        if not cell(key):
            fail(key, _("a value is required"))
            ok = False

    plan = cell("plan")
    if plan and not plan.isdigit():
        fail(
            "plan",
            _("“%(value)s” is not a plan: write the national plan's year (e.g. 2010) or a plan id")
            % {"value": plan},
        )
        ok = False

    strategy = activity = 0
    if cell("activity"):
        match = ACTIVITY_CODE.match(cell("activity"))
        if match is None:
            fail(
                "activity",
                _("“%(value)s” is not an activity: write strategy.activity, e.g. 3.10")
                % {"value": cell("activity")},
            )
            ok = False
        else:
            strategy, activity = int(match.group(1)), int(match.group(2))

    written = cell("institution")
    acronym = resolve_alias(written) if written else None
    if written and acronym is None:
        fail("institution", _("unknown institution “%(value)s”") % {"value": written})
        ok = False

    year = 0
    if cell("year"):
        if cell("year").isdigit() and len(cell("year")) == 4:
            year = int(cell("year"))
        else:
            fail("year", _("“%(value)s” is not a year") % {"value": cell("year")})
            ok = False

    month = 0
    if cell("month"):
        if cell("month").isdigit() and 1 <= int(cell("month")) <= 12:
            month = int(cell("month"))
        else:
            fail("month", _("“%(value)s” is not a month (1 to 12)") % {"value": cell("month")})
            ok = False

    executed = 0
    if cell("executed"):
        if not WHOLE_NUMBER.match(cell("executed")):
            fail(
                "executed",
                _("“%(value)s” is not a whole number") % {"value": cell("executed")},
            )
            ok = False
        elif int(cell("executed")) < 0:
            fail("executed", _("the executed quantity cannot be negative"))
            ok = False
        else:
            executed = int(cell("executed"))

    if not ok or acronym is None:
        return None
    return ExecutionRow(
        row=number,
        plan=plan,
        strategy=strategy,
        activity=activity,
        institution=acronym,
        institution_written=written,
        year=year,
        month=month,
        executed=executed,
        comment=cell("comment"),
    )


# --- import --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    row: ExecutionRow
    part: ActivityPart
    institution_id: int
    existing: ExecutionReport | None


def import_execution(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Monthly execution from a CSV file, one row per activity, institution and month.

    Each row is saved as that month's report and submitted for approval. An activity
    with several parts is reported on the part the institution is responsible for.

    All or nothing: the whole file is validated, and the actor's right to report every
    row checked, before anything is written; a focal point's file with a row for another
    institution's activity is rejected whole. A row for a month already submitted or
    approved with the same executed quantity is counted as unchanged, so re-importing the
    same file changes nothing; with a different quantity it is an error (the month is
    locked until it is returned or reopened). One audit record holds the import.
    """
    scope = scope_for(actor)
    if not (scope.is_admin or scope.role in (Role.COMMITTEE_SECRETARY, Role.FOCAL_POINT)):
        raise AccessDenied(
            _(
                "Only national administrators, committee secretaries and focal points can "
                "import execution reports."
            )
        )
    rows = parse_execution_csv(data, file_name)
    resolved = _resolve(actor, file_name, rows)

    result = ImportResult(file=file_name, rows=len(rows))
    written: list[dict[str, object]] = []
    with transaction.atomic():
        for item in resolved:
            row = item.row
            if item.existing is not None and item.existing.status in (
                ReportStatus.SUBMITTED,
                ReportStatus.APPROVED,
            ):
                result.unchanged += 1
                continue
            try:
                report = execution.save_report(
                    actor,
                    item.part.pk,
                    item.institution_id,
                    row.month,
                    row.executed,
                    row.comment,
                )
                execution.submit_report(actor, report.pk)
            except ValidationError as exc:  # changed by someone else since it was checked
                raise ImportRejected(
                    [ImportProblem(file_name, row.row, None, " ".join(exc.messages))]
                ) from None
            if item.existing is None:
                result.created += 1
            else:
                result.updated += 1
            written.append(
                {
                    "row": row.row,
                    "report": report.pk,
                    "plan": item.part.activity.strategy.plan_id,
                    "activity": row.code,
                    "part": item.part.pk,
                    "institution": row.institution,
                    "month": row.month,
                    "executed": row.executed,
                }
            )
        if written:
            digest = hashlib.sha256(data).hexdigest()
            institutions = {item.institution_id for item in resolved}
            committees = {
                plan.committee.ubigeo if plan.committee else ""
                for plan in (item.part.activity.strategy.plan for item in resolved)
            }
            record_change(
                actor,
                ACTION,
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
    return result


def _resolve(actor: AnyUser, file_name: str, rows: list[ExecutionRow]) -> list[_Resolved]:
    """Each row's part, institution and current report; every problem raised together."""
    problems = ProblemList()
    institutions = dict(Institution.objects.values_list("acronym", "id"))
    plans = {key: find_plan(key) for key in {row.plan for row in rows}}
    parts_of: dict[tuple[int, int, int], list[ActivityPart]] = {}
    for part in (
        ActivityPart.objects.filter(
            activity__strategy__plan__in=[p for p in plans.values() if p is not None]
        )
        .select_related("activity__strategy__plan__committee")
        .prefetch_related("institutions")
        .order_by("order", "pk")
    ):
        activity = part.activity
        key = (activity.strategy.plan_id, activity.strategy.number, activity.number)
        parts_of.setdefault(key, []).append(part)

    today = timezone.localdate()
    allowed: dict[tuple[int, int], str | None] = {}  # (part, institution) -> refusal
    found: list[tuple[ExecutionRow, ActivityPart, int]] = []
    seen: dict[tuple[int, int, int], int] = {}
    for row in rows:
        plan = plans[row.plan]
        if plan is None:
            problems.add(
                row.row, "plan", _("there is no plan %(plan)s") % {"plan": row.plan}, file_name
            )
            continue
        ok = True
        if row.year != plan.year:
            problems.add(
                row.row,
                "year",
                _("the plan “%(plan)s” is for %(year)d, not %(written)d")
                % {"plan": plan.title, "year": plan.year, "written": row.year},
                file_name,
            )
            ok = False
        elif date(plan.year, row.month, 1) > today:
            problems.add(
                row.row,
                "month",
                _("%(month)d/%(year)d has not started yet")
                % {"month": row.month, "year": plan.year},
                file_name,
            )
            ok = False
        institution_id = institutions.get(row.institution)
        if institution_id is None:
            problems.add(
                row.row,
                "institution",
                _("unknown institution “%(value)s”") % {"value": row.institution_written},
                file_name,
            )
            ok = False
        parts = parts_of.get((plan.pk, row.strategy, row.activity), [])
        if not parts:
            problems.add(
                row.row,
                "activity",
                _("the plan “%(plan)s” has no activity %(code)s")
                % {"plan": plan.title, "code": row.code},
                file_name,
            )
            continue
        if institution_id is None:
            continue
        mine = [p for p in parts if any(i.pk == institution_id for i in p.institutions.all())]
        if len(mine) != 1:
            responsible = " / ".join(p.responsible_text or "—" for p in parts)
            problems.add(
                row.row,
                "institution",
                _(
                    "%(institution)s is not responsible for activity %(code)s "
                    "(responsible: %(responsible)s)"
                )
                % {"institution": row.institution, "code": row.code, "responsible": responsible}
                if not mine
                else _(
                    "%(institution)s is responsible for %(n)d parts of activity %(code)s; "
                    "the file cannot say which one this row is"
                )
                % {"institution": row.institution, "n": len(mine), "code": row.code},
                file_name,
            )
            continue
        part = mine[0]
        if (part.pk, institution_id) not in allowed:
            try:
                get_part_for_user(actor, part.pk, institution_id)
                allowed[(part.pk, institution_id)] = None
            except AccessDenied as exc:
                allowed[(part.pk, institution_id)] = str(exc)
        refusal = allowed[(part.pk, institution_id)]
        if refusal is not None:
            problems.add(
                row.row,
                "institution",
                _("%(institution)s, activity %(code)s: %(reason)s")
                % {"institution": row.institution, "code": row.code, "reason": refusal},
                file_name,
            )
            continue
        month_key = (part.pk, institution_id, row.month)
        if month_key in seen:
            problems.add(
                row.row,
                None,
                _("duplicate row: the same activity, institution and month are in row %(first)d")
                % {"first": seen[month_key]},
                file_name,
            )
            continue
        seen[month_key] = row.row
        if ok:
            found.append((row, part, institution_id))

    reports = {
        (r.part_id, r.institution_id, r.month): r
        for r in ExecutionReport.objects.filter(part__in={part.pk for _row, part, _i in found})
    }
    resolved: list[_Resolved] = []
    for row, part, institution_id in found:
        existing = reports.get((part.pk, institution_id, row.month))
        if (
            existing is not None
            and existing.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
            and existing.executed != row.executed
        ):
            problems.add(
                row.row,
                "executed",
                (
                    _(
                        "month %(month)d of activity %(code)s for %(institution)s is approved "
                        "with %(executed)d: it is locked unless the plan's owner reopens it"
                    )
                    if existing.status == ReportStatus.APPROVED
                    else _(
                        "month %(month)d of activity %(code)s for %(institution)s is submitted "
                        "with %(executed)d and awaits approval: it cannot be changed unless it "
                        "is returned"
                    )
                )
                % {
                    "month": row.month,
                    "code": row.code,
                    "institution": row.institution,
                    "executed": existing.executed,
                },
                file_name,
            )
            continue
        resolved.append(_Resolved(row, part, institution_id, existing))
    problems.sort(key=lambda p: p.row or 0)
    problems.raise_if_any()
    return resolved
