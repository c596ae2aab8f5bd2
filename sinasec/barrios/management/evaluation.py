"""``sinasec barrios evaluate`` and ``sinasec barrios did``: the weighted displacement
difference test from counts given on the command line, and the staggered difference in
differences over every barrio, from the incident store."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from sinasec.analytics.evaluation.wdd import weighted_displacement_difference
from sinasec.analytics.monitoring import MonitoringError
from sinasec.barrios.evaluation.did import panel_for_did
from sinasec.barrios.management.did_panel import add_panel_options, run_robust_did
from sinasec.barrios.management.monitoring import WINDOW_HELP, add_window, window_of
from sinasec.barrios.messages import error_text
from sinasec.barrios.models import Barrio
from sinasec.core.commands import print_json
from sinasec.incidents import IncidentStore


def add_parsers(sub: Any) -> None:
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

    did = sub.add_parser(
        "did",
        help="staggered difference in differences over the barrios, or over any panel file",
        description=(
            "Without --panel or --estimator: the barrio x month panel of incidents inside "
            "each barrio with a boundary and the TWFE event study with staggered launch "
            "dates (unit and month fixed effects, one coefficient per month since launch, "
            "binned beyond --leads and --lags, SE clustered by barrio). With --estimator: "
            "the heterogeneity-robust estimators on the same barrio panel. With --panel "
            "FILE (CSV or Parquet, one row per unit and period): the same on any panel, "
            "naming its columns; --first-treated holds the first treated period, 0 or "
            "empty for never treated. " + WINDOW_HELP
        ),
    )
    add_window(did)
    did.add_argument("--leads", type=int, default=6, help="months before launch (default 6)")
    did.add_argument("--lags", type=int, default=12, help="months after launch (default 12)")
    add_panel_options(did)
    did.add_argument("--format", choices=["json", "table"], default="table")


def run_evaluate(stdout: Any, options: dict[str, Any]) -> None:
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
        print_json(stdout, data)
        return
    stdout.write(
        f"WDD {data['wdd']:+.0f}, SE {data['standard_error']} (sqrt {data['variance']:.0f}), "
        f"Z {data['z']:.2f}, p {data['p_value']}"
    )


def run_did(stdout: Any, options: dict[str, Any]) -> None:
    if options["panel"] or options["estimator"]:
        run_robust_did(stdout, options)
        return
    store = IncidentStore(settings.INCIDENTS_DIR)
    start, end = window_of(store, options)
    try:
        result = panel_for_did(
            list(Barrio.objects.order_by("pk")),
            store,
            start,
            end,
            leads=options["leads"],
            lags=options["lags"],
        )
    except MonitoringError as exc:
        raise CommandError(error_text(exc)) from None
    if options["format"] == "json":
        print_json(stdout, result)
        return
    stdout.write(
        f"{result['window']['start']} to {result['window']['end']}: {len(result['barrios'])} "
        f"barrios ({result['treated']} launched in or before the window, "
        f"{result['controls']} controls), {len(result['excluded'])} without a boundary"
    )
    if not result["available"]:
        stdout.write(f"not estimated: {result['reason']}")
        return
    estimate = result["estimate"]
    stdout.write(
        f"average effect after launch {_fmt(estimate['average_effect'], '+.2f')} incidents a "
        f"month (SE {_fmt(estimate['average_standard_error'], '.2f')}, "
        f"p {_fmt(estimate['average_p_value'], '.4f')}); "
        f"pre-trend test p {_fmt(estimate['pretrend_p'], '.4f')}"
    )
    stdout.write(f"{'k':>4} {'effect':>9} {'SE':>8} {'p':>8}")
    for row in estimate["event_times"]:
        stdout.write(
            f"{row['k']:>4} {_fmt(row['coefficient'], '.2f'):>9} "
            f"{_fmt(row['standard_error'], '.2f'):>8} {_fmt(row['p_value'], '.4f'):>8}"
        )


def _fmt(value: float | None, spec: str) -> str:
    return "?" if value is None else format(value, spec)


ACTIONS = {"evaluate": run_evaluate, "did": run_did}
