"""sinasec observatory: crime statistics, surveys and hot spots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.core.commands import (
    add_actor_argument,
    domain_errors,
    print_json,
    progress_bar,
    resolve_actor,
)
from sinasec.incidents import IncidentStore
from sinasec.incidents.geocoding import value_map
from sinasec.observatory.geocoding_values import remove_geocoding_value, set_geocoding_value
from sinasec.observatory.grid_hotspots import grid_hotspots
from sinasec.observatory.indicators import (
    LEVEL_LENGTH,
    indicators,
    survey_series,
    territory_hotspots,
)
from sinasec.observatory.models import Survey
from sinasec.observatory.services import import_incidents, import_sidpol, import_table
from sinasec.territories.selectors import police_station_points


class Command(BaseCommand):
    help = "Crime and violence observatory: indicators from the aggregated counts and surveys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser(
            "import",
            help="import a table of counts, a SIDPOL monthly file or incidents",
            description=(
                "--kind table: a published table by department and year (a DEPARTAMENTO column, "
                "one column per year, an optional TOTAL row kept as the source's own national "
                "total). --kind sidpol: the police's monthly open data (ANIO, MES, "
                "DPTO_HECHO_NEW, PROV_HECHO, DIST_HECHO, UBIGEO_HECHO, P_MODALIDADES, cantidad). "
                "--kind incidents: incident-level records (id, date or datetime, lat, lon, "
                "crime_type, optional ubigeo) into the Parquet store. All or nothing: a bad file "
                "changes nothing and every problem is printed with its row and column."
            ),
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--kind", choices=["table", "sidpol", "incidents"], required=True)
        imp.add_argument("--source", default="", help="source name for --kind table")
        add_actor_argument(imp)
        ind = sub.add_parser(
            "indicators",
            help="counts, shares, change against the previous year, rates and ranking",
            description=(
                "National total (the source's published total when it printed one, else the "
                "sum), change against the previous year, and per territory: count, share of "
                "the national total, rank and rate per 100,000 with the population year used "
                "(only when the population of --year itself is loaded)."
            ),
        )
        ind.add_argument("--year", type=int, required=True)
        ind.add_argument("--level", choices=list(LEVEL_LENGTH), default="department")
        ind.add_argument("--category", default=None, help="a category code, e.g. robo")
        ind.add_argument("--format", choices=["json", "table"], default="table")
        srv = sub.add_parser(
            "survey",
            help="a survey indicator per wave with 95%% Wilson intervals and change tests",
            description=(
                "Per wave: the published percentage, the sample base n and its 95% Wilson "
                "interval; between consecutive waves: the two-proportion z test, and whether "
                "a published sentence about that change is supported by the data."
            ),
        )
        srv.add_argument("indicator", help="e.g. victimizacion, percepcion")
        hot = sub.add_parser(
            "hotspots",
            help="Getis-Ord Gi* over the territories, with false-discovery control",
            description=(
                "Gi* (focal unit included) over the territories that have a count for --year "
                "and an imported boundary, with queen contiguity; hot and cold spots are the "
                "Benjamini-Hochberg discoveries at FDR --q."
            ),
        )
        hot.add_argument("--year", type=int, required=True)
        hot.add_argument("--level", choices=list(LEVEL_LENGTH), default="department")
        hot.add_argument("--category", default=None)
        hot.add_argument(
            "--q", type=float, default=0.05, help="false discovery rate (default 0.05)"
        )
        hot.add_argument(
            "--grid-m",
            type=float,
            default=None,
            metavar="METRES",
            help="instead of territories, a grid of this cell size over the year's incidents",
        )
        hot.add_argument(
            "--department", default=None, help="with --grid-m: one department's incidents"
        )
        hot.add_argument(
            "--include-forced",
            action="store_true",
            help=(
                "with --grid-m: also count points forced onto a police station or another "
                "centroid (left out by default, and said how many)"
            ),
        )
        hot.add_argument("--format", choices=["json", "table"], default="table")
        srv.add_argument("--format", choices=["json", "table"], default="table")
        geo = sub.add_parser(
            "geocoding-values",
            help="list or edit the table mapping a source's geocoding values to a class",
            description=(
                "The table (SINASEC_GEOCODING_VALUES_FILE) that maps the values of a "
                "source's geocoding column (e.g. SIDPOL's 'SIN COORDENADA') to a class: "
                "exact, approximate, forced_station, forced_centroid or none. Without "
                "options it is listed; edits are audited and apply to later imports."
            ),
        )
        geo.add_argument("--set", metavar="VALUE=CLASS", default=None)
        geo.add_argument("--remove", metavar="VALUE", default=None)
        add_actor_argument(geo)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = resolve_actor(options["actor"])
        with domain_errors():
            if options["kind"] == "sidpol":
                result = import_sidpol(actor, path.name, path.read_bytes())
            elif options["kind"] == "table":
                result = import_table(actor, path.name, path.read_bytes(), options["source"])
            else:
                with progress_bar(path.name, self.stderr.isatty()) as progress:
                    result = import_incidents(actor, path, progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.file}: {result.rows} rows, {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
            )
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "hotspots" and options["grid_m"]:
            self._grid_hotspots(options)
            return
        actions = {
            "import": self._import,
            "indicators": self._indicators,
            "hotspots": self._hotspots,
            "survey": self._survey,
            "geocoding-values": self._geocoding_values,
        }
        actions[options["action"]](options)

    def _indicators(self, options: dict[str, Any]) -> None:
        data = indicators(options["year"], options["level"], options["category"])
        if options["format"] == "json":
            print_json(self.stdout, data)
            return
        self.stdout.write(
            f"{data['year']} total {data['national_total']} (change {data['change_pct']}%), "
            f"not broken down: {data['unlisted_remainder']}"
        )
        for t in data["territories"]:
            self.stdout.write(
                f"{t['rank']:>3} {t['ubigeo']:<6} {t['name']:<28} {t['count']:>8} {t['share_pct']}%"
            )

    def _grid_hotspots(self, options: dict[str, Any]) -> None:
        data = grid_hotspots(
            IncidentStore(settings.INCIDENTS_DIR),
            options["year"],
            options["grid_m"],
            department=options["department"],
            crime_type=options["category"],
            q=options["q"],
            include_forced=options["include_forced"],
            stations=police_station_points(options["department"] or ""),
        )
        print_json(self.stdout, data)

    def _hotspots(self, options: dict[str, Any]) -> None:
        data = territory_hotspots(
            options["year"], options["level"], options["category"], options["q"]
        )
        if options["format"] == "json":
            print_json(self.stdout, data)
            return
        for unit in data["units"]:
            self.stdout.write(
                f"{unit['ubigeo']:<6} {unit['name']:<28} {unit['count']:>8} z={unit['z']:+.2f} {unit['class']}"
            )

    def _geocoding_values(self, options: dict[str, Any]) -> None:
        mapping = value_map()
        if options["set"] or options["remove"]:
            actor = resolve_actor(options["actor"])
            with domain_errors():
                if options["set"]:
                    value, _sep, quality = options["set"].rpartition("=")
                    mapping = set_geocoding_value(actor, value, quality.strip())
                if options["remove"]:
                    mapping = remove_geocoding_value(actor, options["remove"])
        for value, quality in sorted(mapping.items()):
            self.stdout.write(f"{value}\t{quality}")

    def _survey(self, options: dict[str, Any]) -> None:
        if not Survey.objects.filter(code=options["indicator"]).exists():
            raise CommandError(f"unknown survey indicator {options['indicator']!r}")
        data = survey_series(options["indicator"])
        if options["format"] == "json":
            print_json(self.stdout, data)
            return
        for w in data["waves"]:
            self.stdout.write(
                f"{w['label']:<10} {w['pct']:>5}%  n={w['n']:<4} [{w['ci_low']}, {w['ci_high']}]"
            )
        for c in data["changes"]:
            verdict = "significant" if c["significant"] else "NOT significant"
            self.stdout.write(
                f"{c['from']}->{c['to']}: {c['difference_points']:+} points, p={c['p_value']} {verdict}"
            )
