"""``sinasec barrios did --panel FILE ...`` and ``sinasec barrios did --estimator ...``:
the heterogeneity-robust staggered DiD over any panel file, or over the barrios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from sinasec.analytics.evaluation.robust import (
    ESTIMATORS,
    REPORT_KEYS,
    Estimator,
    staggered_report,
)
from sinasec.analytics.evaluation.staggered import PanelError
from sinasec.analytics.monitoring import MonitoringError
from sinasec.barrios.evaluation.panels import PanelColumns, barrio_report, read_panel
from sinasec.barrios.management.monitoring import window_of
from sinasec.barrios.messages import error_text
from sinasec.barrios.models import Barrio
from sinasec.core.commands import print_json
from sinasec.incidents import IncidentStore


def add_panel_options(parser: Any) -> None:
    parser.add_argument("--panel", metavar="FILE", help="a panel file, CSV or Parquet")
    parser.add_argument("--unit", metavar="COL", help="the panel's unit column")
    parser.add_argument("--time", metavar="COL", help="the panel's integer period column")
    parser.add_argument("--outcome", metavar="COL", help="the panel's outcome column")
    parser.add_argument(
        "--first-treated", metavar="COL", help="first treated period, 0 or empty if never"
    )
    parser.add_argument(
        "--covariates", metavar="COL,COL", default="", help="outcome regression covariates"
    )
    parser.add_argument("--estimator", choices=ESTIMATORS, default=None)
    parser.add_argument("--control", choices=["never", "not-yet"], default="never")
    parser.add_argument(
        "--allow-unbalanced",
        action="store_true",
        help="accept units missing some periods (each comparison uses the units it sees)",
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")


def _spanish(exc: PanelError | MonitoringError) -> CommandError:
    with override(settings.LANGUAGE_CODE):
        return CommandError(error_text(exc))


def run_robust_did(stdout: Any, options: dict[str, Any]) -> None:
    estimator: Estimator = options["estimator"] or "callaway-santanna"
    try:
        if options["panel"]:
            report = _from_file(options, estimator)
        else:
            store = IncidentStore(settings.INCIDENTS_DIR)
            start, end = window_of(store, options)
            report = barrio_report(
                list(Barrio.objects.order_by("pk")),
                store,
                start,
                end,
                estimator=estimator,
                control=options["control"],
            )
    except (PanelError, MonitoringError) as exc:
        raise _spanish(exc) from None
    if options["format"] == "json":
        print_json(stdout, {key: report[key] for key in REPORT_KEYS})
        return
    _print_table(stdout, report)


def _from_file(options: dict[str, Any], estimator: Estimator) -> dict[str, Any]:
    missing = [
        f"--{name.replace('_', '-')}"
        for name in ("unit", "time", "outcome", "first_treated")
        if not options[name]
    ]
    if missing:
        with override(settings.LANGUAGE_CODE):
            raise CommandError(
                _("--panel also needs %(options)s") % {"options": ", ".join(missing)}
            )
    path = Path(options["panel"])
    try:
        data = path.read_bytes()
    except OSError as exc:
        with override(settings.LANGUAGE_CODE):
            text = _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
        raise CommandError(text) from None
    columns = PanelColumns(
        unit=options["unit"],
        time=options["time"],
        outcome=options["outcome"],
        first_treated=options["first_treated"],
        covariates=tuple(c.strip() for c in options["covariates"].split(",") if c.strip()),
    )
    panel = read_panel(data, path.name, columns, allow_unbalanced=options["allow_unbalanced"])
    return staggered_report(
        panel,
        estimator=estimator,
        control=options["control"],
        covariates=bool(columns.covariates),
        seed=options["seed"],
    )


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "?" if value is None else format(value, spec)


def _print_table(stdout: Any, report: dict[str, Any]) -> None:
    stdout.write(
        f"{report['estimator']} ({report['control']} controls): {report['n_units']} units, "
        f"{report['n_periods']} periods, cohorts {report['cohorts']}"
    )
    stdout.write(
        f"ATT {_fmt(report['att'])} (SE {_fmt(report['se'])}, "
        f"{report['confidence']:.0%} CI {_fmt(report['ci_low'])} to {_fmt(report['ci_high'])}); "
        f"pre-trend p {_fmt(report['pretrend'].get('p_value'), '.4f')}"
    )
    stdout.write(f"{'e':>4} {'ATT':>9} {'SE':>8} {'band':>20}")
    for row, band in zip(report["event_time"], report["bands"], strict=True):
        stdout.write(
            f"{row['e']:>4} {_fmt(row['att']):>9} {_fmt(row['se']):>8} "
            f"{_fmt(band['low']):>9} {_fmt(band['high']):>9}"
        )
    comparison = report["comparison"]
    if comparison:
        stdout.write(f"TWFE {_fmt(comparison['twfe']['att'])}; Goodman-Bacon decomposition:")
        for c in comparison["decomposition"]:
            mark = "  forbidden" if c["forbidden"] else ""
            stdout.write(
                f"  {c['kind']:<18} {c['treated']} vs {c['control'] or 'never'}: "
                f"{_fmt(c['estimate'])} weight {_fmt(c['weight'], '.4f')}{mark}"
            )
