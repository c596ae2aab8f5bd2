"""sinasec barrios: Barrio Seguro."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sinasec.barrios.selectors import goal_progress
from sinasec.core.commands import print_json


class Command(BaseCommand):
    help = "Barrio Seguro: progress against the annual goal."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        goal = sub.add_parser(
            "goal",
            help="the year's goal, barrios launched and planned, by territory",
            description="The annual goal (number of barrios) and the barrios of that year's cohort by status and territory.",
        )
        goal.add_argument("--year", type=int, required=True)
        goal.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        data = goal_progress(options["year"])
        if options["format"] == "json":
            print_json(self.stdout, data)
            return
        self.stdout.write(
            f"{data['year']}: goal {data['goal']}, launched {data['launched']}, planned {data['planned']}"
        )
        for territory, counts in sorted(data["by_territory"].items()):
            self.stdout.write(f"  {territory:<22} {counts}")
