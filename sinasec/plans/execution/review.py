"""The approver's review queue: one page of the reports waiting (oldest first, every one
reachable page by page) and the last decisions, read as plain values and rendered in
Python.

The queue grows with every month a focal point submits; rendering it row by row in the
template language cost more CPU than everything else in the request, so the rows are
built here (``format_html``: everything escaped) from one query per list, and the page
template only places them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sinasec.plans.execution.selectors import TIMELINESS_LABELS, Timely, due_date, timeliness
from sinasec.plans.models import Evidence, ExecutionReport, Plan, ReportStatus

PENDING_PAGE = 25  # waiting reports per page of the queue
DECIDED_SHOWN = 50  # the last decisions listed under the queue
FIELDS = (
    "pk",
    "month",
    "executed",
    "comment",
    "status",
    "reason",
    "version",
    "submitted_at",
    "part__activity__number",
    "part__activity__strategy__number",
    "institution__acronym",
)


@dataclass(frozen=True)
class ReviewQueue:
    page: Page  # of the submitted reports, oldest first
    pending: SafeString  # the rows of that page
    decided: SafeString  # the last decisions, newest first, as list items


def review_queue(plan: Plan, page_number: str | None, csrf_token: str) -> ReviewQueue:
    reports = ExecutionReport.objects.filter(part__activity__strategy__plan=plan)
    waiting = (
        reports.filter(status=ReportStatus.SUBMITTED).order_by("submitted_at", "pk").values(*FIELDS)
    )
    page = Paginator(waiting, PENDING_PAGE).get_page(page_number)
    pending = list(page.object_list)
    decided = list(
        reports.exclude(status__in=[ReportStatus.SUBMITTED, ReportStatus.DRAFT])
        .order_by("-decided_at", "-pk")
        .values(*FIELDS)[:DECIDED_SHOWN]
    )
    rows = _Rows(plan, csrf_token)
    return ReviewQueue(page, rows.pending(pending), rows.decided(decided))


class _Rows:
    """The words, links and month names of one request, looked up once for every row."""

    def __init__(self, plan: Plan, csrf_token: str) -> None:
        self.plan, self.csrf_token = plan, csrf_token
        self.today = timezone.localdate()
        self.months = {
            m: date_format(date(plan.year, m, 1), "YEAR_MONTH_FORMAT") for m in range(1, 13)
        }
        self.timeliness = {key: str(label) for key, label in TIMELINESS_LABELS.items()}
        self.statuses = {value: str(label) for value, label in ReportStatus.choices}
        # One reverse each; the ids are appended (both patterns end in "<int:...>/").
        self.decide = reverse("plans:decide", args=[plan.pk, 0])[:-2]
        self.evidence = reverse("plans:evidence", args=[plan.pk, 0])[:-2]

    def _timely(self, row: dict[str, Any]) -> Timely:
        report = ExecutionReport(month=row["month"], submitted_at=row["submitted_at"])
        status = timeliness(report, year=self.plan.year, today=self.today)
        return Timely(due_date(self.plan.year, row["month"]), status)

    def _badge(self, timely: Timely) -> SafeString:
        return format_html(
            '<span class="badge timeliness {}" data-timeliness="{}">{}</span>',
            timely.status,
            timely.status,
            self.timeliness[timely.status],
        )

    @staticmethod
    def _code(row: dict[str, Any]) -> str:
        return f"{row['part__activity__strategy__number']}.{row['part__activity__number']}"

    def pending(self, rows: list[dict[str, Any]]) -> SafeString:
        if not rows:
            return format_html(
                '<tr><td colspan="7" class="muted">{}</td></tr>',
                _("Nothing waiting for approval."),
            )
        files: dict[int, list[tuple[str, str]]] = {}
        evidence = Evidence.objects.filter(report_id__in=[r["pk"] for r in rows])
        for pk, report_id, name, path in evidence.order_by("pk").values_list(
            "pk", "report_id", "original_name", "file"
        ):
            files.setdefault(report_id, []).append((f"{self.evidence}{pk}/", name or path))
        words = (_("Approve"), _("Reason"), _("Reason to return"), _("Return"))
        return format_html_join("\n", _PENDING_ROW, (self._pending(r, files, words) for r in rows))

    def _pending(
        self, row: dict[str, Any], files: dict[int, list[tuple[str, str]]], words: tuple[str, ...]
    ) -> tuple[Any, ...]:
        timely = self._timely(row)
        links = format_html_join(
            "", ' · <a href="{}" data-testid="evidence">{}</a>', files.get(row["pk"], [])
        )
        return (
            row["pk"],
            self._code(row),
            row["institution__acronym"],
            capfirst(self.months[row["month"]]),
            timely.due.strftime("%d/%m/%Y"),
            self._badge(timely),
            row["executed"],
            row["comment"],
            links,
            f"{self.decide}{row['pk']}/",
            self.csrf_token,
            row["version"],
            *words,
        )

    def decided(self, rows: list[dict[str, Any]]) -> SafeString:
        return format_html_join("", _DECIDED_ROW, (self._decided(r) for r in rows))

    def _decided(self, row: dict[str, Any]) -> tuple[Any, ...]:
        timely = self._timely(row)
        return (
            self._code(row),
            row["institution__acronym"],
            self.months[row["month"]],
            row["executed"],
            self.statuses[row["status"]],
            format_html(" ({})", row["reason"]) if row["reason"] else "",
            _("due"),
            timely.due.strftime("%d/%m/%Y"),
            self._badge(timely),
        )


_PENDING_ROW = (
    '<tr data-report="{}"><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td>'
    '<td class="num">{}</td><td>{}{}</td>\n'
    '<td><form method="post" action="{}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<input type="hidden" name="version" value="{}">\n'
    '  <button class="btn" name="action" value="approve">{}</button>\n'
    '  <input name="reason" aria-label="{}" placeholder="{}">\n'
    '  <button name="action" value="return">{}</button></form></td></tr>'
)
_DECIDED_ROW = '<li>{} {} {}: {} — {}{} · <span class="muted">{} {}</span> {}</li>'
