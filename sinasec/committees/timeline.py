"""A committee's timeline as its pages show it: the latest events on the committee's
page, every event, page by page, on its history.

A committee records events for as long as it exists (hundreds over the years), so the
committee's page shows the latest :data:`LATEST` with a link to the history, and each
event is written here as one ready ``<li>`` from two queries (the events, then their
members with their institution's acronym) instead of a template loop over model
objects: the page's cost no longer grows with the committee's age.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sinasec.committees.models import Committee, EventKind, Member

LATEST = 20  # events on the committee's page; the rest on its history
PER_PAGE = 100  # events a page of the history
FIELDS = ("id", "kind", "date", "year", "person", "document", "is_demo", "evidence")


@dataclass(frozen=True)
class Latest:
    items: list[SafeString]
    total: int  # every event of the committee (more than ``items``: a link to the rest)

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def _events(committee: Committee) -> QuerySet[Any]:
    return committee.events.order_by("-date", "-id").values(*FIELDS)


def latest(committee: Committee, n: int = LATEST) -> Latest:
    """The latest ``n`` events, newest first, and how many there are in all."""
    # The count over every event rides on the same query (a window, computed before
    # the LIMIT): no second query for "the latest 20 of 412".
    rows = list(_events(committee).annotate(total=Window(Count("id")))[:n])
    return Latest(items(committee, rows), rows[0]["total"] if rows else 0)


def history(committee: Committee, number: str | None) -> Page:
    """One page of every event, newest first; ``object_list`` holds the ready items."""
    page = Paginator(_events(committee), PER_PAGE).get_page(number)
    page.object_list = items(committee, list(page.object_list))
    return page


def items(committee: Committee, rows: list[dict[str, Any]]) -> list[SafeString]:
    """One ``<li>`` per event row (``FIELDS``), with its members (one query)."""
    members: dict[int, list[tuple[str, str | None, str]]] = defaultdict(list)
    found = Member.objects.filter(event_id__in=[row["id"] for row in rows]).order_by("id")
    for event_id, name, acronym, role in found.values_list(
        "event_id", "name", "institution__acronym", "role"
    ):
        members[event_id].append((name, acronym, role))
    labels = {kind: str(label) for kind, label in EventKind.choices}
    words = {"demo": _("demo data"), "evidence": _("evidence")}
    return [_item(committee, row, members.get(row["id"], []), labels, words) for row in rows]


def _item(
    committee: Committee,
    row: dict[str, Any],
    members: list[tuple[str, str | None, str]],
    labels: dict[str, str],
    words: dict[str, str],
) -> SafeString:
    # f-strings and html.escape (what format_html does to a plain string, without its
    # calls per value: a page writes dozens of these).
    kind = row["kind"]
    label = labels.get(kind, kind)
    parts = [
        f'<li data-kind="{escape(kind)}"><strong>{row["date"].isoformat()}</strong> — {escape(label)}'
    ]
    if row["year"]:
        parts.append(f" {row['year']}")
    if row["person"]:
        parts.append(f": {escape(row['person'])}")
    if row["document"]:
        parts.append(f' <span class="muted">({escape(row["document"])})</span>')
    if row["is_demo"]:
        parts.append(f' <span class="badge">{escape(words["demo"])}</span>')
    if row["evidence"]:
        url = reverse("committees:evidence", args=[committee.pk, row["id"]])
        parts.append(
            f' · <a href="{escape(url)}" data-testid="evidence">{escape(words["evidence"])}</a>'
        )
    if members:
        parts.append(f'<ul class="members">{"".join(_member(*m) for m in members)}</ul>')
    parts.append("</li>")
    return mark_safe("".join(parts))


def _member(name: str, acronym: str | None, role: str) -> str:
    institution = f" ({escape(acronym)})" if acronym else ""
    return f"<li>{escape(name)}{institution}{f' — {escape(role)}' if role else ''}</li>"
