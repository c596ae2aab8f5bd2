"""Monthly execution brought as a CSV file: one row per activity, institution and month
(``plan, activity, institution, year, month, executed, comment``).

``parse_execution_csv`` only reads and checks the cells; ``check_execution`` resolves
the rows against the plans and checks the actor's right to report every row. Nothing
here writes: ``services.import_execution`` writes what was checked, in one transaction,
as submitted reports. Every problem in the file is collected (file, row, column, reason)
and raised together as ``ImportRejected``, so a bad file changes nothing and the user can
fix it in one pass. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.core.imports import FirstSeen, ImportResult, ProblemList, finish_rows, map_columns
from sinasec.core.tabular import XLS_MAGIC, XLSX_MAGIC, read_csv
from sinasec.institutions.models import Institution
from sinasec.institutions.reference import resolve_alias
from sinasec.plans.access import can_report_for
from sinasec.plans.models import ActivityPart, ExecutionReport, Plan, ReportStatus
from sinasec.plans.selectors import find_plan

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

    columns = map_columns(header, COLUMNS, REQUIRED, file_name, problems)
    problems.raise_if_any()

    rows: list[ExecutionRow] = []
    seen = FirstSeen()
    problems.extend(read_problems)
    for number, cells in records:
        values = [str(v) for v in cells]  # a CSV's cells are text
        row = _row(number, values, columns, header, file_name, problems)
        if row is None:
            continue
        row_key = (row.plan, row.strategy, row.activity, row.institution, row.year, row.month)
        first = seen.earlier(row_key, number)
        if first is not None:
            problems.add(
                number,
                None,
                _("duplicate row: the same activity, institution and month are in row %(first)d")
                % {"first": first},
                file_name,
            )
            continue
        rows.append(row)
    finish_rows(problems, bool(records), file_name)
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


# --- checks against the plans ------------------------------------------------------

LOCKED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


@dataclass(frozen=True)
class ResolvedRow:
    row: ExecutionRow
    part: ActivityPart
    institution_id: int
    existing: ExecutionReport | None


@dataclass(frozen=True)
class CheckedExecution:
    """A file ready to write: its rows resolved, those to write, and the result with
    the rows already submitted as they are counted as unchanged."""

    resolved: list[ResolvedRow]
    to_write: list[ResolvedRow]
    result: ImportResult


def check_execution(actor: AnyUser, file_name: str, data: bytes) -> CheckedExecution:
    """Read the file and resolve every row against the plans, checking the actor may
    report it; every problem raised together. Writes nothing."""
    rows = parse_execution_csv(data, file_name)
    resolved = _Resolver(actor, file_name, rows).resolve()
    to_write = [
        item for item in resolved if item.existing is None or item.existing.status not in LOCKED
    ]
    result = ImportResult(file=file_name, rows=len(rows), unchanged=len(resolved) - len(to_write))
    return CheckedExecution(resolved, to_write, result)


class _Resolver:
    """Each row's part, institution and current report, with the problems found."""

    def __init__(self, actor: AnyUser, file_name: str, rows: list[ExecutionRow]):
        self.actor, self.file_name, self.rows = actor, file_name, rows
        self.problems = ProblemList()
        self.institutions = dict(Institution.objects.values_list("acronym", "id"))
        self.plans = {key: find_plan(key) for key in {row.plan for row in rows}}
        self.parts_of = self._parts_of([p for p in self.plans.values() if p is not None])
        self.allowed: dict[tuple[int, int], bool] = {}  # (part, institution) -> may report
        self.seen: dict[tuple[int, int, int], int] = {}  # (part, institution, month) -> row

    @staticmethod
    def _parts_of(plans: list[Plan]) -> dict[tuple[int, int, int], list[ActivityPart]]:
        parts_of: dict[tuple[int, int, int], list[ActivityPart]] = {}
        for part in (
            ActivityPart.objects.filter(activity__strategy__plan__in=plans)
            .select_related("activity__strategy__plan__committee")
            .prefetch_related("institutions")
            .order_by("order", "pk")
        ):
            activity = part.activity
            key = (activity.strategy.plan_id, activity.strategy.number, activity.number)
            parts_of.setdefault(key, []).append(part)
        return parts_of

    def add(self, row: ExecutionRow, column: str | None, reason: str) -> None:
        self.problems.add(row.row, column, reason, self.file_name)

    def resolve(self) -> list[ResolvedRow]:
        found = [hit for row in self.rows if (hit := self._row(row)) is not None]
        reports = {
            (r.part_id, r.institution_id, r.month): r
            for r in ExecutionReport.objects.filter(part__in={part.pk for _r, part, _i in found})
        }
        resolved = []
        for row, part, institution_id in found:
            existing = reports.get((part.pk, institution_id, row.month))
            if self._unlocked(row, existing):
                resolved.append(ResolvedRow(row, part, institution_id, existing))
        self.problems.sort(key=lambda p: p.row or 0)
        self.problems.raise_if_any()
        return resolved

    def _row(self, row: ExecutionRow) -> tuple[ExecutionRow, ActivityPart, int] | None:
        plan = self.plans[row.plan]
        if plan is None:
            self.add(row, "plan", _("there is no plan %(plan)s") % {"plan": row.plan})
            return None
        ok = self._dated(row, plan)
        institution_id = self.institutions.get(row.institution)
        if institution_id is None:
            self.add(
                row,
                "institution",
                _("unknown institution “%(value)s”") % {"value": row.institution_written},
            )
            ok = False
        parts = self.parts_of.get((plan.pk, row.strategy, row.activity), [])
        if not parts:
            self.add(
                row,
                "activity",
                _("the plan “%(plan)s” has no activity %(code)s")
                % {"plan": plan.title, "code": row.code},
            )
            return None
        if institution_id is None:
            return None
        part = self._part(row, parts, institution_id)
        if part is None or not self._first_of_month(row, part.pk, institution_id):
            return None
        return (row, part, institution_id) if ok else None

    def _dated(self, row: ExecutionRow, plan: Plan) -> bool:
        if row.year != plan.year:
            self.add(
                row,
                "year",
                _("the plan “%(plan)s” is for %(year)d, not %(written)d")
                % {"plan": plan.title, "year": plan.year, "written": row.year},
            )
            return False
        if date(plan.year, row.month, 1) > timezone.localdate():
            self.add(
                row,
                "month",
                _("%(month)d/%(year)d has not started yet")
                % {"month": row.month, "year": plan.year},
            )
            return False
        return True

    def _part(
        self, row: ExecutionRow, parts: list[ActivityPart], institution_id: int
    ) -> ActivityPart | None:
        """The one part the institution answers for, if the actor may report it."""
        mine = [p for p in parts if any(i.pk == institution_id for i in p.institutions.all())]
        if len(mine) != 1:
            responsible = " / ".join(p.responsible_text or "—" for p in parts)
            self.add(
                row,
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
            )
            return None
        part = mine[0]
        key = (part.pk, institution_id)
        if key not in self.allowed:
            self.allowed[key] = can_report_for(self.actor, part, institution_id)
        if not self.allowed[key]:
            self.add(
                row,
                "institution",
                _("%(institution)s, activity %(code)s: %(reason)s")
                % {
                    "institution": row.institution,
                    "code": row.code,
                    "reason": _(
                        "You can only report the activities your institution is responsible for."
                    ),
                },
            )
            return None
        return part

    def _first_of_month(self, row: ExecutionRow, part_id: int, institution_id: int) -> bool:
        month_key = (part_id, institution_id, row.month)
        if month_key in self.seen:
            self.add(
                row,
                None,
                _("duplicate row: the same activity, institution and month are in row %(first)d")
                % {"first": self.seen[month_key]},
            )
            return False
        self.seen[month_key] = row.row
        return True

    def _unlocked(self, row: ExecutionRow, existing: ExecutionReport | None) -> bool:
        """A month submitted or approved takes the same quantity again (unchanged), not
        another one."""
        if existing is None or existing.status not in LOCKED or existing.executed == row.executed:
            return True
        self.add(
            row,
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
        )
        return False
