"""The report page's months table, written in Python: one row per month of a part, with
each institution's report of it (executed, status and reason, due date and timeliness,
evidence, "Corregir").

Why not a template loop: a focal point's page has ~8 parts x 12 months, each row five
cells looping over the month's reports; through the template engine that was ~100 ms of
the page's ~120 ms of CPU (every ``{{ }}`` a lookup, a localisation and an escape). Here
each value is escaped once (``escape``) and the page's repeated words (statuses, due
dates, labels) are looked up once per page, not once per cell.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from html import escape as _escape

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sinasec.plans.execution.forms import month_name, part_anchor
from sinasec.plans.execution.selectors import TIMELINESS_LABELS, Timely
from sinasec.plans.models import MONTHS, ActivityPart, ExecutionReport, ReportStatus

CORRECTABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def timeliness_badge(status: str, label: str) -> str:
    """A report's timeliness badge (``label`` already escaped): the report page's and
    the review queue's rows write it alike."""
    return (
        f'<span class="badge timeliness {_escape(status)}" '
        f'data-timeliness="{_escape(status)}">{label}</span>'
    )


class Words:
    """What every row of a page says alike, in the request's language: computed once per
    page (a status label, a month's due date written out)."""

    def __init__(self, plan_id: int, year: int, timely: dict[int, Timely]) -> None:
        self.timely = timely
        self.months = [escape(capfirst(month_name(year, m))) for m in range(1, MONTHS + 1)]
        self.status = {value: escape(label) for value, label in ReportStatus.choices}
        self.timeliness = {key: escape(label) for key, label in TIMELINESS_LABELS.items()}
        self.correct, self.edit = escape(_("Correct")), escape(_("Edit"))
        self.not_reported = escape(_("not reported"))
        heads = [_("Month"), _("Programmed"), _("Executed"), _("Status"), _("Due"), _("Evidence")]
        numeric = {1, 2}
        self.thead = mark_safe(  # the same for every part of the page (escaped words)
            "<thead><tr>"
            + "".join(
                f'<th class="num">{escape(h)}</th>' if n in numeric else f"<th>{escape(h)}</th>"
                for n, h in enumerate(heads)
            )
            + "<th></th></tr></thead>"
        )
        # The evidence view's address with a placeholder id, filled per file.
        self._evidence = reverse("plans:evidence", args=[plan_id, 0])[:-2] + "{}/"
        self.due = cache(self._due)

    @staticmethod
    def _due(day: date) -> str:
        return escape(date_format(day, "SHORT_DATE_FORMAT"))

    def evidence_url(self, evidence_id: int) -> str:
        return self._evidence.format(evidence_id)


def escape(value: object) -> str:
    """``{{ value }}`` of a string: the standard library's escape (Django's is the same,
    behind a lazy-string wrapper that costs more than the escaping)."""
    return _escape(str(value))


def _number(value: object) -> str:
    """``{{ value|default_if_none:"?" }}``: an integer is its digits unless thousands are
    grouped (``localize`` costs ~10 us a call; a page prints ~150 numbers)."""
    if value is None:
        return "?"
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escape(localize(value))


def _cells(reports: list[ExecutionReport], institution_id: int | None, words: Words) -> list[str]:
    """The executed, status, due, evidence and action cells of a month with reports."""
    executed, status, due, evidence, actions = [], [], [], [], []
    for r in reports:
        whose = "" if institution_id else f"{escape(r.institution.acronym)}: "
        executed.append(f"<div>{whose}{_number(r.executed)}</div>")
        said: str = words.status.get(r.status, escape(r.status))
        if r.status == ReportStatus.RETURNED and r.reason:
            said += f': <span class="reason" data-testid="reason">{escape(r.reason)}</span>'
        if r.comment:
            said += f' <span class="muted">({escape(r.comment)})</span>'
        status.append(f'<div data-month="{r.month}" data-status="{escape(r.status)}">{said}</div>')
        t = words.timely.get(r.pk)
        if t is not None:
            label = words.timeliness.get(t.status, "")
            due.append(f"<div>{words.due(t.due)} {timeliness_badge(t.status, label)}</div>")
        for e in r.evidence.all():
            evidence.append(
                f'<div><a href="{words.evidence_url(e.pk)}" data-testid="evidence">'
                f"{escape(str(e))}</a></div>"
            )
        if r.status in CORRECTABLE and (not institution_id or r.institution_id == institution_id):
            word = words.correct if r.status == ReportStatus.RETURNED else words.edit
            actions.append(
                f'<div><a class="btn" href="?corregir={r.pk}#corregir" '
                f'data-testid="correct">{word}</a></div>'
            )
    return [
        f'<td class="num">{"".join(executed)}</td>',
        f"<td>{''.join(status)}</td>",
        f"<td>{''.join(due)}</td>",
        f"<td>{''.join(evidence)}</td>",
        f"<td>{''.join(actions)}</td>",
    ]


def month_rows(
    part: ActivityPart,
    institution_id: int | None,
    current_month: int | None,
    words: Words,
) -> SafeString:
    """The ``<tr>`` of each month of ``part`` (its reports prefetched, by month);
    ``current_month``: the month being corrected, highlighted."""
    programmed = list(part.programmed or [])
    by_month: dict[int, list[ExecutionReport]] = {}
    for report in part.reports.all():
        by_month.setdefault(report.month, []).append(report)
    empty = (
        f'<td class="num muted">—</td><td class="muted">{words.not_reported}</td>'
        "<td></td><td></td><td></td>"
    )
    anchor = escape(part_anchor(part))
    rows = []
    for m in range(1, MONTHS + 1):
        planned = programmed[m - 1] if m <= len(programmed) else None
        reports = by_month.get(m)
        cells = "".join(_cells(reports, institution_id, words)) if reports else empty
        current = ' class="current"' if current_month == m else ""
        rows.append(
            f'<tr id="{anchor}-mes-{m}" data-month-row="{m}"{current}>'
            f'<th scope="row">{words.months[m - 1]}</th>'
            f'<td class="num">{_number(planned)}</td>{cells}</tr>'
        )
    # Every value interpolated above went through escape() or is a number.
    return mark_safe("\n".join(rows))


def version_inputs(part: ActivityPart) -> SafeString:
    """The version of each month as the page shows it (the lost-write check)."""
    return mark_safe(  # numbers only
        "".join(
            f'<input type="hidden" name="version-{r.institution_id}-{r.month}" value="{r.version}">'
            for r in part.reports.all()
        )
    )
