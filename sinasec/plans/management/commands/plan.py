"""sinasec plan: operational plans."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.core.commands import print_json
from sinasec.plans.selectors import find_plan, validate_plan


class Command(BaseCommand):
    help = "Operational plans: validate a plan (PLAN is the national plan's year, e.g. 2010, or a plan id)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser(
            "validate",
            help="list the plan's findings",
            description=(
                "Run the validation rules: programmed months that do not add up to the annual "
                "goal, gaps in the activity numbering, responsibles not in the institutions "
                "catalogue, missing unit or goal (errors); cells of the source that hold two "
                "values or cannot be read (warnings)."
            ),
        )
        check.add_argument("plan", metavar="PLAN")
        check.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = find_plan(options["plan"])
        if plan is None:
            raise CommandError(f"no plan {options['plan']!r}")
        findings = validate_plan(plan)
        if options["format"] == "json":
            print_json(self.stdout, [f.as_dict() for f in findings])
            return
        for f in findings:
            self.stdout.write(f"{f.activity:>6}  {f.severity:<7}  {f.rule:<20}  {f.message}")
        errors = sum(1 for f in findings if f.severity == "error")
        self.stdout.write(f"{errors} errors, {len(findings) - errors} warnings")
