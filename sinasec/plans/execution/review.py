"""The approver's review queue: one page of the reports waiting (oldest first, every one
reachable page by page) and the last decisions, read as plain values and rendered in
Python.

The queue grows with every month a focal point submits; rendering it row by row in the
template language cost more CPU than everything else in the request, so the rows are
built here (every value escaped) from one query per list, and the page
template only places them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sinasec.plans.execution.forms import month_name
from sinasec.plans.execution.grid import timeliness_badge
from sinasec.plans.execution.selectors import TIMELINESS_LABELS, due_date, timeliness_by_due
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
    """The words, links and month names of one request, looked up once for every row;
    each row one f-string of escaped values (``format_html`` per cell cost more than the
    rest of the request)."""

    def __init__(self, plan: Plan, csrf_token: str) -> None:
        self.plan, self.csrf_token = plan, escape(csrf_token)
        self.today = timezone.localdate()
        self.due = {m: due_date(plan.year, m) for m in range(1, 13)}
        self.months = {m: escape(month_name(plan.year, m)) for m in range(1, 13)}
        self.timeliness = {key: escape(str(label)) for key, label in TIMELINESS_LABELS.items()}
        self.statuses = {value: escape(str(label)) for value, label in ReportStatus.choices}
        # One reverse each; the ids are appended (both patterns end in "<int:...>/").
        self.decide = escape(reverse("plans:decide", args=[plan.pk, 0])[:-2])
        self.evidence = escape(reverse("plans:evidence", args=[plan.pk, 0])[:-2])

    def _when(self, row: dict[str, Any]) -> tuple[str, str]:
        """The due date (dd/mm/yyyy) and the timeliness badge."""
        due = self.due[row["month"]]
        status = timeliness_by_due(due, row["submitted_at"], self.today)
        return due.strftime("%d/%m/%Y"), timeliness_badge(status, self.timeliness[status])

    @staticmethod
    def _lead(row: dict[str, Any]) -> tuple[str, str]:
        """The activity's number and the institution."""
        code = f"{row['part__activity__strategy__number']}.{row['part__activity__number']}"
        return escape(code), escape(row["institution__acronym"])

    def pending(self, rows: list[dict[str, Any]]) -> SafeString:
        if not rows:
            return format_html(
                '<tr><td colspan="7" class="muted">{}</td></tr>',
                _("Nothing waiting for approval."),
            )
        files: dict[int, str] = {}
        evidence = Evidence.objects.filter(report_id__in=[r["pk"] for r in rows])
        for pk, report_id, name, path in evidence.order_by("pk").values_list(
            "pk", "report_id", "original_name", "file"
        ):
            link = f' · <a href="{self.evidence}{pk}/" data-testid="evidence">'
            files[report_id] = files.get(report_id, "") + link + escape(name or path) + "</a>"
        approve, reason, placeholder, give_back = (
            escape(_(word)) for word in ("Approve", "Reason", "Reason to return", "Return")
        )
        out = []
        for row in rows:
            pk = int(row["pk"])
            code, institution = self._lead(row)
            due, badge = self._when(row)
            out.append(
                f'<tr data-report="{pk}"><td>{code}</td><td>{institution}</td>'
                f"<td>{capfirst(self.months[row['month']])}</td><td>{due} {badge}</td>"
                f'<td class="num">{int(row["executed"])}</td>'
                f"<td>{escape(row['comment'])}{files.get(pk, '')}</td>\n"
                f'<td><form method="post" action="{self.decide}{pk}/">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf_token}">'
                f'<input type="hidden" name="version" value="{int(row["version"])}">\n'
                f'  <button class="btn" name="action" value="approve">{approve}</button>\n'
                f'  <input name="reason" aria-label="{reason}" placeholder="{placeholder}">\n'
                f'  <button name="action" value="return">{give_back}</button></form></td></tr>'
            )
        return mark_safe("\n".join(out))  # every value escaped above

    def decided(self, rows: list[dict[str, Any]]) -> SafeString:
        due_word = escape(_("due"))
        out = []
        for row in rows:
            code, institution = self._lead(row)
            due, badge = self._when(row)
            reason = f" ({escape(row['reason'])})" if row["reason"] else ""
            out.append(
                f"<li>{code} {institution} {self.months[row['month']]}: "
                f"{int(row['executed'])} — {self.statuses[row['status']]}{reason} · "
                f'<span class="muted">{due_word} {due}</span> {badge}</li>'
            )
        return mark_safe("".join(out))  # every value escaped above
