"""sinasec barrios: Barrio Seguro."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.analytics.evaluation.wdd import weighted_displacement_difference
from sinasec.barrios.registry.selectors import goal_progress
from sinasec.core.commands import print_json


class Command(BaseCommand):
    def _evaluate(self, options: dict[str, Any]) -> None:
        buffer = options["buffer"] or (None, None)
        control_buffer = options["control_buffer"] or (None, None)
        if (options["buffer"] is None) != (options["control_buffer"] is None):
            raise CommandError("give both --buffer and --control-buffer, or neither")
        result = weighted_displacement_difference(
            *options["treated"], *options["control"], *buffer, *control_buffer
        )
        data = {
            "wdd": result.wdd,
            "variance": result.variance,
            "standard_error": round(result.standard_error, 4),
            "z": round(result.z, 4),
            "p_value": round(result.p_value, 6),
        }
        if options["format"] == "json":
            print_json(self.stdout, data)
            return
        self.stdout.write(
            f"WDD {data['wdd']:+.0f}, SE {data['standard_error']} (sqrt {data['variance']:.0f}), "
            f"Z {data['z']:.2f}, p {data['p_value']}"
        )

    def _backtest(self, options: dict[str, Any]) -> None:
        from sinasec.analytics.backtest.loop import (
            BacktestError,
            backtest,
            format_table,
            parse_period,
        )

        try:
            result = backtest(
                options["incidents"],
                parse_period(options["train"]),
                parse_period(options["test"]),
                options["cell_m"],
                options["coverage"] or [0.05],
                kde_bandwidth=options["kde_bandwidth"],
                crime_types=options["crime_type"],
            )
        except BacktestError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            print_json(self.stdout, result.as_dict())
            return
        for line in format_table(result):
            self.stdout.write(line)

    help = (
        "Barrio Seguro: progress against the annual goal, targeting, monitoring and impact "
        "evaluation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        from sinasec.barrios.targeting.command import add_target_parser

        add_target_parser(sub)
        from sinasec.barrios.monitoring.command import add_monitor_parsers

        add_monitor_parsers(sub)
        goal = sub.add_parser(
            "goal",
            help="the year's goal, barrios launched and planned, by territory",
            description="The annual goal (number of barrios) and the barrios of that year's cohort by status and territory.",
        )
        goal.add_argument("--year", type=int, required=True)
        goal.add_argument("--format", choices=["json", "table"], default="table")
        evaluate = sub.add_parser(
            "evaluate",
            help="weighted displacement difference test for one barrio",
            description=(
                "Wheeler & Ratcliffe's weighted displacement difference: crime counts before and "
                "after in the treated area, its control area and, optionally, the treated "
                "buffer (displacement) and the control buffer. Prints the estimate, its "
                "standard error under Poisson assumptions, Z and the two-sided p-value."
            ),
        )
        evaluate.add_argument(
            "--treated", nargs=2, type=float, required=True, metavar=("BEFORE", "AFTER")
        )
        evaluate.add_argument(
            "--control", nargs=2, type=float, required=True, metavar=("BEFORE", "AFTER")
        )
        evaluate.add_argument(
            "--buffer", nargs=2, type=float, default=None, metavar=("BEFORE", "AFTER")
        )
        evaluate.add_argument(
            "--control-buffer", nargs=2, type=float, default=None, metavar=("BEFORE", "AFTER")
        )
        evaluate.add_argument("--format", choices=["json", "table"], default="table")
        backtest = sub.add_parser(
            "backtest",
            help="backtest the targeting: hit rate, PAI and PEI against the baselines",
            description=(
                "Train on one period and test on a later one: the cells each method would "
                "have chosen with the training incidents (ours, previous-period counts, "
                "kernel density, random), scored on the test incidents at the given "
                "coverages (shares of the area): hit rate, PAI (hit rate / area share) and "
                "PEI (hit rate / the best possible with that area). Periods are FROM:TO, "
                "both included (2022-01-01:2023-12-31, or months: 2022-01:2023-12)."
            ),
        )
        backtest.add_argument(
            "--incidents",
            required=True,
            metavar="FILE",
            help="CSV or Parquet with the incident columns (id, date, lat, lon, crime_type)",
        )
        backtest.add_argument("--train", required=True, metavar="FROM:TO")
        backtest.add_argument("--test", required=True, metavar="FROM:TO")
        backtest.add_argument("--cell-m", type=float, default=250.0, metavar="METERS")
        backtest.add_argument(
            "--coverage",
            type=float,
            action="append",
            metavar="SHARE",
            help="share of the area to select, e.g. 0.05; repeat for several (default 0.05)",
        )
        backtest.add_argument(
            "--kde-bandwidth",
            type=float,
            default=2.0,
            metavar="CELLS",
            help="standard deviation of the kernel density baseline, in cells (default 2)",
        )
        backtest.add_argument(
            "--crime-type",
            action="append",
            metavar="CATEGORY",
            help="only these categories (repeat for several)",
        )
        backtest.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backtest":
            self._backtest(options)
            return
        if options["action"] == "target":
            from sinasec.barrios.targeting.command import run_target

            run_target(self.stdout, options)
            return
        if options["action"] in ("monitor", "did"):
            from sinasec.barrios.monitoring import command as monitor_command

            run = (
                monitor_command.run_monitor
                if options["action"] == "monitor"
                else monitor_command.run_did
            )
            run(self.stdout, options)
            return
        if options["action"] == "evaluate":
            self._evaluate(options)
            return
        data = goal_progress(options["year"])
        if options["format"] == "json":
            print_json(self.stdout, data)
            return
        self.stdout.write(
            f"{data['year']}: goal {data['goal']}, launched {data['launched']}, planned {data['planned']}"
        )
        for territory, counts in sorted(data["by_territory"].items()):
            self.stdout.write(f"  {territory:<22} {counts}")
