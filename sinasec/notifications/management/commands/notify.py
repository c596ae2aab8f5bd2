"""sinasec notify [--dry-run] [--date YYYY-MM-DD] [--digest]"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.notifications.periodic import run_notify

MONDAY = 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("The date must be YYYY-MM-DD: %s") % text, returncode=2) from None


class Command(BaseCommand):
    help = (
        "Create the day's notifications (reports due and overdue, Barrio Seguro commitments "
        "and agreements overdue, the approvers' weekly digest on Mondays) and e-mail what is "
        "pending. Idempotent: run it daily from a timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to compute for (default: today, Lima)")
        parser.add_argument(
            "--digest", action="store_true", help="send the weekly digest even if not Monday"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["date"]) if options["date"] else timezone.localdate()
        digest = options["digest"] or today.weekday() == MONDAY
        result = run_notify(today, digest=digest, dry_run=options["dry_run"])
        for n in result.created:
            self.stdout.write(f"{n.recipient.get_username()}\t{n.kind}\t{n.title}")
        counts = ", ".join(f"{name} {count}" for name, count in result.by_source.items())
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "Dry run for %(day)s: %(n)d notifications would be created (%(counts)s), "
                    "%(mail)d e-mails sent; nothing was written."
                )
                % {
                    "day": today,
                    "n": len(result.created),
                    "counts": counts,
                    "mail": result.to_email,
                }
            )
            return
        self.stdout.write(
            _(
                "%(day)s: %(n)d notifications created (%(counts)s); %(sent)d e-mails sent, "
                "%(failed)d failed (retried on the next run)."
            )
            % {
                "day": today,
                "n": len(result.created),
                "counts": counts,
                "sent": result.emailed,
                "failed": result.failed,
            }
        )
