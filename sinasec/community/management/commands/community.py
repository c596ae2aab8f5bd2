"""sinasec community: juntas vecinales, trainings and investment projects."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.community import importers, selectors
from sinasec.core.commands import add_actor_argument, domain_errors, print_json, resolve_actor


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Juntas vecinales, trainings and public investment projects of the committees: "
        "counts as of a date, all-or-nothing imports (XLSX or CSV), strategy 5 of the plan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        juntas = sub.add_parser(
            "juntas",
            help="active juntas vecinales and their members as of a date, by region and district",
        )
        juntas.add_argument("--as-of", type=_date, default=date.today(), help="YYYY-MM-DD")
        juntas.add_argument("--format", choices=["json", "table"], default="table")
        received = sub.add_parser(
            "trainings-received", help="trainings received per committee up to a date"
        )
        received.add_argument("--as-of", type=_date, default=date.today(), help="YYYY-MM-DD")
        received.add_argument("--since", type=_date, default=None, help="YYYY-MM-DD")
        strategy = sub.add_parser(
            "strategy5",
            help="projects formulated per month against strategy 5 activity 2 of the plan",
        )
        strategy.add_argument("--year", type=int, required=True)
        strategy.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD")
        for name, what in (
            ("import-juntas", "juntas vecinales"),
            ("import-trainings", "trainings"),
        ):
            imp = sub.add_parser(
                name,
                help=f"import {what} from an XLSX or CSV file, all or nothing",
                description=importers.__doc__,
            )
            imp.add_argument("file", type=Path)
            add_actor_argument(imp)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "juntas":
            counts = selectors.junta_counts(options["as_of"])
            if options["format"] == "json":
                print_json(
                    self.stdout,
                    {k: [dataclasses.asdict(c) for c in v] for k, v in counts.items()}
                    | {"as_of": options["as_of"].isoformat()},
                )
                return
            for c in counts["regions"]:
                self.stdout.write(f"{c.code:<6} {c.name:<28} {c.active:>6} {c.members:>8}")
        elif action == "trainings-received":
            received = selectors.trainings_by_committee(options["as_of"], options["since"])
            print_json(
                self.stdout,
                [{"committee": k, "trainings": n} for k, n in sorted(received.items())],
            )
        elif action == "strategy5":
            print_json(
                self.stdout,
                dataclasses.asdict(selectors.strategy5(options["year"], options["as_of"])),
            )
        else:
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            run = (
                importers.import_juntas if action == "import-juntas" else importers.import_trainings
            )
            with domain_errors():
                result = run(resolve_actor(options["actor"]), path.name, path.read_bytes())
            print_json(self.stdout, result.as_dict())
