"""sinasec compliance: the committees' four milestones as of a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.committees.compliance import INDICATORS, LEVELS, compliance_as_of
from sinasec.core.commands import print_json
from sinasec.territories.models import Region

LABELS = {
    "installed": "Instalados",
    "sworn": "Juramentados",
    "plan": "Plan formulado",
    "secretary": "Secretario técnico acreditado",
}


class Command(BaseCommand):
    help = (
        "Compliance of the security committees (installed, sworn in, plan formulated, "
        "technical secretary accredited) by level, computed from the recorded events as "
        "of a date."
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
            print_json(self.stdout, report.as_dict())
            return
        header = f"{'':32}" + "".join(f"{lv:>22}" for lv in (*LEVELS, "total"))
        self.stdout.write(f"Al {report.as_of.isoformat()} (plan {report.plan_year})")
        self.stdout.write(header)
        for name in INDICATORS:
            cells = []
            for level in (*LEVELS, "total"):
                c = report.counts[name][level]
                shown = "—" if c["pct"] is None else f"{c['pct']:.1f}%"
                cells.append(f"{c['done']}/{c['total']} ({shown})".rjust(22))
            self.stdout.write(f"{LABELS[name]:32}" + "".join(cells))
