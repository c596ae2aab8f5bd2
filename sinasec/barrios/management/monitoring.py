"""``sinasec barrios monitor``: the monitoring of one barrio from the incident store, and
the window of months that the monitoring and the evaluation commands take."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from sinasec.analytics.monitoring import month_from_number, month_label, month_number
from sinasec.barrios.messages import REASONS, error_text
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import (
    AREAS,
    DEFAULT_BUFFER_M,
    WINDOW_MONTHS,
    MonitoringError,
    default_window,
    monitor_barrio,
    month_key,
)
from sinasec.barrios.monitoring.types import Monitoring
from sinasec.core.commands import print_json
from sinasec.incidents import IncidentStore

WINDOW_HELP = (
    "Months are YYYY-MM, both included; without --to the window ends at the store's last "
    f"month, without --from it starts {WINDOW_MONTHS - 1} months before --to."
)


def add_window(parser: Any) -> None:
    parser.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month")


def add_parsers(sub: Any) -> None:
    monitor = sub.add_parser(
        "monitor",
        help="monthly incidents of one barrio, its buffer, district and comparison barrios",
        description=(
            "Monthly incidents (and rates per 100,000 where the population is known) in "
            "the barrio, in a ring of --buffer-m metres around it, in its district and in "
            "its comparison barrios (and their rings), counted by coordinates from the "
            "incident store, with the weighted displacement difference test of the "
            "launch (before and after: up to 12 months each, the same number). Without "
            "--compare, the comparison barrios are the 3 not launched before the end of "
            "the window whose pre-launch monthly counts are closest to the barrio's. " + WINDOW_HELP
        ),
        epilog="example: sinasec barrios monitor 12 --from 2023-01 --to 2024-12 --format json",
    )
    monitor.add_argument("barrio_id", type=int, metavar="BARRIO_ID")
    add_window(monitor)
    monitor.add_argument(
        "--buffer-m",
        type=float,
        default=DEFAULT_BUFFER_M,
        metavar="METRES",
        help=f"width of the ring around the barrio (default {DEFAULT_BUFFER_M:g})",
    )
    monitor.add_argument(
        "--compare", metavar="ID,ID", help="comparison barrios by id (default: the most similar)"
    )
    monitor.add_argument("--format", choices=["json", "table"], default="table")


def window_of(store: IncidentStore, options: dict[str, Any]) -> tuple[str, str]:
    start, end = options["start"], options["end"]
    try:
        if not end:
            window = default_window(store)
            if window is None:
                raise CommandError("The incident store is empty: give --to (and --from).")
            end = month_label(window[1])
        if not start:
            start = month_label(month_from_number(month_number(month_key(end)) - WINDOW_MONTHS + 1))
        month_key(start)
    except MonitoringError as exc:
        raise CommandError(error_text(exc)) from None
    return start, end


def _ids(raw: str | None) -> list[int] | None:
    if raw is None:
        return None
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise CommandError("--compare takes barrio ids separated by commas") from None


def run_monitor(stdout: Any, options: dict[str, Any]) -> None:
    barrio = Barrio.objects.select_related("district").filter(pk=options["barrio_id"]).first()
    if barrio is None:
        raise CommandError(f"There is no barrio {options['barrio_id']}.")
    store = IncidentStore(settings.INCIDENTS_DIR)
    start, end = window_of(store, options)
    try:
        result = monitor_barrio(
            barrio, store, start, end, options["buffer_m"], _ids(options["compare"])
        )
    except MonitoringError as exc:
        raise CommandError(error_text(exc)) from None
    if options["format"] == "json":
        print_json(stdout, result)
        return
    for line in format_monitoring(result):
        stdout.write(line)


def format_monitoring(result: Monitoring) -> list[str]:
    """The monitoring as text: one line per month, one column per area."""
    lines = [
        f"barrio {result['barrio']['id']} {result['barrio']['label']}: "
        f"{result['window']['start']} to {result['window']['end']}, "
        f"buffer {result['buffer_m']:g} m, launch {result['launch_month'] or 'unknown'}"
    ]
    if not result["available"]:
        return [*lines, f"not available: {REASONS[result['reason'] or '']}"]
    compared = ", ".join(str(c["id"]) for c in result["comparison"].get("barrios", []))
    lines.append(f"comparison barrios: {compared or 'none'}")
    lines.append(f"{'month':<8} " + " ".join(f"{a:>17}" for a in AREAS))
    for i, month in enumerate(result["months"]):
        cells = []
        for area in AREAS:
            count, rate = result["areas"][area]["count"][i], result["areas"][area]["rate"][i]
            text = "?" if count is None else str(count)
            if rate is not None:
                text += f" ({rate:.1f})"
            cells.append(f"{text:>17}")
        flag = "  <- launch" if i == result["launch_index"] else ""
        lines.append(f"{month:<8} " + " ".join(cells) + flag)
    lines.append("(rates per 100,000 in brackets where the population is known)")
    wdd = result["wdd"]
    if wdd["available"]:
        z = "?" if wdd["z"] is None else f"{wdd['z']:.2f}"
        p = "?" if wdd["p_value"] is None else f"{wdd['p_value']:.4f}"
        lines.append(
            f"WDD {wdd['wdd']:+.0f}, SE {wdd['standard_error']:.2f}, Z {z}, p {p} "
            f"(before {wdd['before'][0]}..{wdd['before'][1]}, "
            f"after {wdd['after'][0]}..{wdd['after'][1]}): {wdd['reading']['total']}, "
            f"buffer: {wdd['reading']['displacement']}"
        )
    else:
        lines.append(f"WDD not available: {REASONS[wdd['reason']]}")
    return lines + [f"note: {note}" for note in result["notes"]]


ACTIONS = {"monitor": run_monitor}
