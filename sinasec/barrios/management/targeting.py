"""``sinasec barrios target`` and ``sinasec barrios backtest``: run a targeting from the
command line, store it and print it; backtest the targeting methods on a file of
incidents."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from sinasec.analytics.backtest.data import BacktestError, parse_period
from sinasec.analytics.backtest.report import format_table
from sinasec.analytics.targeting.params import (
    METHODS,
    UNITS,
    IndicatorChoice,
    TargetingError,
    TargetingParams,
)
from sinasec.barrios.messages import error_text, run_note_text
from sinasec.barrios.targeting.polygons import read_polygons
from sinasec.barrios.targeting.services import run_and_store_targeting
from sinasec.core.commands import add_actor_argument, domain_errors, print_json, resolve_actor
from sinasec.incidents.backtest import backtest
from sinasec.incidents.geocoding import StackRule


def add_parsers(sub: Any) -> None:
    target = sub.add_parser(
        "target",
        help="rank districts, grid cells or polygons by a weighted composite index, with Gi*",
        description=(
            "A targeting run: rank the units by a composite index of the chosen indicators "
            "(each normalised min-max or z over the units, weights made relative, a "
            "missing value contributing 0 and flagged), explain each score by the "
            "indicators' contributions and mark Getis-Ord Gi* hot spots of the index "
            "(queen contiguity of the polygons, or the 8 surrounding cells of a grid; "
            "Benjamini-Hochberg FDR). Districts use the observatory's crime counts; grid "
            "cells (--unit grid --cell-m M) and custom polygons (--unit polygons "
            "[--polygons FILE.geojson], default every barrio with a boundary) count the "
            "incident store's geocoded incidents of the year, optionally of one territory "
            "(--area UBIGEO). The run is stored with its parameters and the data it used, "
            "and printed."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "indicators: rate (all crimes per 100,000; not for grid cells), total (all "
            "crimes), homicides, count:<category code> (e.g. count:robo); append :WEIGHT "
            "(default 1)\n"
            "examples: sinasec barrios target --year 2024 --indicator rate:1 "
            "--indicator count:robo:0.5 --urban --top 20 --format json\n"
            "          sinasec barrios target --year 2024 --unit grid --cell-m 250 "
            "--area 1501 --indicator total --indicator homicides:2"
        ),
    )
    target.add_argument("--year", type=int, required=True)
    target.add_argument(
        "--indicator",
        action="append",
        metavar="KEY[:WEIGHT]",
        help="an indicator and its weight; repeat for several (default: rate:1)",
    )
    target.add_argument("--unit", choices=UNITS, default="district")
    target.add_argument("--method", choices=METHODS, default="minmax", help="normalisation")
    target.add_argument("--min-population", type=int, default=None)
    target.add_argument("--max-population", type=int, default=None)
    target.add_argument(
        "--urban",
        action="store_true",
        help="only districts whose capital is a 'Ciudad' (INEI capital category: a proxy)",
    )
    target.add_argument("--cell-m", type=float, default=None, help="grid cell size in metres")
    target.add_argument(
        "--area", default=None, help="ubigeo bounding the grid or the incidents counted"
    )
    target.add_argument(
        "--polygons", default=None, metavar="FILE", help="GeoJSON of the custom polygons"
    )
    target.add_argument("--q", type=float, default=0.05, help="false-discovery rate of Gi*")
    target.add_argument(
        "--include-forced",
        action="store_true",
        help=(
            "grid and polygons: also count incidents whose point is forced onto a police "
            "station or a centroid (left out by default, and counted)"
        ),
    )
    target.add_argument("--source", default=None, help="observatory source code")
    target.add_argument("--top", type=int, default=20, help="units printed (0: all)")
    target.add_argument("--format", choices=["json", "table"], default="table")
    add_actor_argument(target)
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
    backtest.add_argument(
        "--include-forced",
        action="store_true",
        help="also score incidents on a stack of identical points (probably placed on a "
        "police station or a centroid): left out by default and counted as skipped",
    )
    backtest.add_argument("--format", choices=["json", "table"], default="table")


def _polygons_label(options: dict[str, Any]) -> str | None:
    if options["unit"] != "polygons":
        return None
    return Path(options["polygons"]).name if options["polygons"] else "barrios"


def run_target(stdout: Any, options: dict[str, Any]) -> None:
    actor = resolve_actor(options["actor"])
    try:
        params = TargetingParams(
            year=options["year"],
            indicators=tuple(IndicatorChoice.parse(i) for i in options["indicator"] or ["rate"]),
            unit=options["unit"],
            method=options["method"],
            min_population=options["min_population"],
            max_population=options["max_population"],
            urban=options["urban"],
            q=options["q"],
            source=options["source"],
            cell_size_m=options["cell_m"],
            area=options["area"],
            polygons=_polygons_label(options),
            include_forced=options["include_forced"],
        )
        features = None
        if options["polygons"]:
            path = Path(options["polygons"])
            with domain_errors():
                features = read_polygons(path.name, path.read_bytes())
        with domain_errors():
            run = run_and_store_targeting(actor, params, features)
    except TargetingError as exc:
        raise CommandError(error_text(exc)) from None
    except NotImplementedError as exc:
        raise CommandError(str(exc)) from None
    results = run.results
    top = options["top"] or None
    units = results["units"] if top is None else results["units"][:top]
    if options["format"] == "json":
        print_json(
            stdout,
            {
                "run": run.pk,
                "parameters": run.parameters,
                "source": results["source"],
                "population_year": results["population_year"],
                "indicators": results["indicators"],
                "excluded": results["excluded"],
                "notes": [
                    n if isinstance(n, str) else run_note_text(n, params.year)
                    for n in results["notes"]
                ],
                "ranked": results.get("summary", {}).get("ranked", len(results["units"])),
                "hotspots": results.get("summary", {}).get("hotspots"),
                "units": units,
            },
        )
        return
    keys = [i["key"] for i in results["indicators"]]
    stdout.write(
        f"run #{run.pk}: {results.get('summary', {}).get('ranked', len(results['units']))} "
        f"{params.unit} units ranked, {params.year}, "
        f"source {results['source']}, population {results['population_year']}"
    )
    stdout.write(
        f"{'#':>4} {'ubigeo':<7} {'district':<28} {'score':>7}  hot spot  " + "  ".join(keys)
    )
    for u in units:
        parts = "  ".join(f"{u['contributions'][k]:.3f}" for k in keys)
        flag = " (missing: " + ", ".join(u["missing"]) + ")" if u["missing"] else ""
        stdout.write(
            f"{u['rank']:>4} {u['ubigeo']:<7} {u['name'][:28]:<28} {u['score']:>7.3f}  "
            f"{u['hotspot']:<8}  {parts}{flag}"
        )
    for note in results["notes"]:
        stdout.write(f"note: {run_note_text(note, run.parameters.get('year'))}")


def run_backtest(stdout: Any, options: dict[str, Any]) -> None:
    try:
        result = backtest(
            options["incidents"],
            parse_period(options["train"]),
            parse_period(options["test"]),
            options["cell_m"],
            options["coverage"] or [0.05],
            kde_bandwidth=options["kde_bandwidth"],
            crime_types=options["crime_type"],
            include_forced=options["include_forced"],
            stack_min=StackRule.from_settings().min_incidents,
        )
    except BacktestError as exc:
        raise CommandError(str(exc)) from None
    if options["format"] == "json":
        print_json(stdout, result.as_dict())
        return
    for line in format_table(result):
        stdout.write(line)


ACTIONS = {"target": run_target, "backtest": run_backtest}
