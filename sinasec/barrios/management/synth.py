"""``sinasec barrios synth``: the synthetic control of one barrio from the incident
store, with its placebo-in-space rank."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from sinasec.analytics.monitoring import MonitoringError
from sinasec.barrios.evaluation.synth import (
    MAX_DONORS,
    SYNTH_REASONS,
    SynthFigures,
    synth_of_barrio,
)
from sinasec.barrios.management.monitoring import WINDOW_HELP, add_window, window_of
from sinasec.barrios.messages import error_text
from sinasec.barrios.models import Barrio
from sinasec.core.commands import print_json
from sinasec.incidents import IncidentStore


def add_parsers(sub: Any) -> None:
    synth = sub.add_parser(
        "synth",
        help="synthetic control of one barrio, with placebo-in-space inference",
        description=(
            "The barrio's monthly incidents before the launch matched by a weighted "
            "average of donor barrios (weights non-negative, summing to one), the gap "
            "after the launch, and the rank of the barrio's post/pre RMSPE ratio among "
            "the donors' placebos (p = rank / (donors + 1)). Donors: every other barrio "
            "with a boundary not launched before the end of the window (the "
            f"{MAX_DONORS} closest before the launch), or --donors. " + WINDOW_HELP
        ),
        epilog="example: sinasec barrios synth 12 --from 2022-01 --to 2024-12 --format json",
    )
    synth.add_argument("barrio_id", type=int, metavar="BARRIO_ID")
    add_window(synth)
    synth.add_argument("--donors", metavar="ID,ID", help="donor barrios by id (default: all)")
    synth.add_argument("--format", choices=["json", "table"], default="table")


def run_synth(stdout: Any, options: dict[str, Any]) -> None:
    barrio = Barrio.objects.filter(pk=options["barrio_id"]).first()
    if barrio is None:
        raise CommandError(f"There is no barrio {options['barrio_id']}.")
    store = IncidentStore(settings.INCIDENTS_DIR)
    start, end = window_of(store, options)
    # The command line reads every barrio (as ``monitor`` does); the page, the user's.
    donors = Barrio.objects.exclude(pk=barrio.pk).exclude(boundary="")
    if options["donors"]:
        try:
            ids = [int(p) for p in options["donors"].split(",") if p.strip()]
        except ValueError:
            raise CommandError("--donors takes barrio ids separated by commas") from None
        donors = donors.filter(pk__in=ids)
    try:
        figures = synth_of_barrio(barrio, list(donors), store, start, end)
    except MonitoringError as exc:
        raise CommandError(error_text(exc)) from None
    if not figures["available"]:
        raise CommandError(str(SYNTH_REASONS.get(figures["reason"], figures["reason"])))
    if options["format"] == "json":
        print_json(stdout, figures)
        return
    for line in format_synth(figures):
        stdout.write(line)


def format_synth(figures: SynthFigures) -> list[str]:
    result = figures["result"]
    lines = [f"launch {figures['launch_month']}; weights (non-zero):"]
    lines += [
        f"  {d['weight']:.4f}  {d['id']} {d['label']}" for d in figures["donors"] if d["weight"] > 0
    ]
    lines.append(f"{'month':<8}{'barrio':>10}{'synthetic':>11}{'gap':>9}")
    for i, month in enumerate(figures["months"]):
        flag = "  <- launch" if i == result["launch_index"] else ""
        lines.append(
            f"{month:<8}{result['treated'][i]:>10.0f}{result['synthetic'][i]:>11.1f}"
            f"{result['gap'][i]:>+9.1f}{flag}"
        )
    ratio = "inf" if result["ratio"] is None else f"{result['ratio']:.2f}"
    lines.append(
        f"average gap after the launch {result['average_gap']:+.2f} a month; RMSPE before"
        f" {result['pre_rmspe']:.2f}, after {result['post_rmspe']:.2f} (ratio {ratio});"
        f" rank {result['rank']} of {result['n_placebos'] + 1}, p = {result['p_value']:.3f}"
    )
    return lines


ACTIONS = {"synth": run_synth}
