"""``sinasec barrios goal``: the year's goal and the barrios of that year's cohort."""

from __future__ import annotations

from typing import Any

from sinasec.barrios.registry.selectors import goal_progress
from sinasec.core.commands import print_json


def add_parsers(sub: Any) -> None:
    goal = sub.add_parser(
        "goal",
        help="the year's goal, barrios launched and planned, by territory",
        description=(
            "The annual goal (number of barrios) and the barrios of that year's cohort by "
            "status and territory."
        ),
    )
    goal.add_argument("--year", type=int, required=True)
    goal.add_argument("--format", choices=["json", "table"], default="table")


def run_goal(stdout: Any, options: dict[str, Any]) -> None:
    data = goal_progress(options["year"])
    if options["format"] == "json":
        print_json(stdout, data)
        return
    stdout.write(
        f"{data['year']}: goal {data['goal']}, launched {data['launched']}, "
        f"planned {data['planned']}"
    )
    for territory, counts in sorted(data["by_territory"].items()):
        stdout.write(f"  {territory:<22} {counts}")


ACTIONS = {"goal": run_goal}
