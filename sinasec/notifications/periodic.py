"""``sinasec notify``: ask every registered source what a day calls for, create what was
not created before (the dedupe key), then e-mail what is pending, failed ones included.

Running it twice creates and sends nothing twice; ``dry_run`` computes the same and
writes and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sinasec.notifications.models import Notification
from sinasec.notifications.services import emit, pending_email, send_pending
from sinasec.notifications.sources import Day, sources


@dataclass
class RunResult:
    created: list[Notification] = field(default_factory=list)
    by_source: dict[str, int] = field(default_factory=dict)
    emailed: int = 0
    failed: int = 0
    to_email: int = 0  # dry run: what would be e-mailed (new and pending)


def run_notify(today: date, *, digest: bool, dry_run: bool = False) -> RunResult:
    result = RunResult()
    day = Day(today=today, digest=digest)
    for name, source in sources().items():
        new = emit(source(day), dry_run=dry_run)
        result.by_source[name] = len(new)
        result.created += new
    if dry_run:
        wanted = [n for n in result.created if n.email_wanted]
        result.to_email = len(wanted) + len(pending_email())
        return result
    result.emailed, result.failed = send_pending()
    return result
