"""sinasec compliance: the committees' indicators (the four milestones and those the
other apps register) as of a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinasec.committees.compliance import LEVEL_WORDS, LEVELS, compliance_as_of
from sinasec.core.commands import print_json
from sinasec.territories.models import Region


class Command(BaseCommand):
    help = (
        "Compliance of the security committees (installed, sworn in, plan formulated, "
        "technical secretary accredited, sessions, consultations, agreements, juntas "
        "vecinales, trainings, plan execution) by level, computed from the records as of a "
        "date. JSON adds the figures by region and province and the pending committees."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--region",
            default=None,
            metavar="CODE",
            help="regional government code (e.g. 07 Callao, 1501 Lima Metropolitana)",
        )
        parser.add_argument(
            "--plan-year",
            type=int,
            default=None,
            help="year of the plan counted (default: the year of --as-of)",
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        region = options["region"]
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"unknown region code {region!r}")
        report = compliance_as_of(options["as_of"], region, options["plan_year"])
        if options["format"] == "json":
            print_json(self.stdout, report.as_dict(full=True))
            return
        words = [str(LEVEL_WORDS[lv]) for lv in (*LEVELS, "total")]
        header = f"{'':40}" + "".join(f"{word:>22}" for word in words)
        self.stdout.write(f"Al {report.as_of.isoformat()} (plan {report.plan_year})")
        self.stdout.write(header)
        for item in report.definitions():
            cells = []
            for level in (*LEVELS, "total"):
                c = report.counts[item.code][level]
                if c is None:
                    cells.append(str(_("n/a")).rjust(22))
                    continue
                shown = "—" if c["pct"] is None else f"{c['pct']:.1f}%"
                cells.append(f"{c['done']}/{c['total']} ({shown})".rjust(22))
            self.stdout.write(f"{str(item.label)[:39]:40}" + "".join(cells))
