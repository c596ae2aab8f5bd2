"""sinasec territories: the INEI hierarchy, population and boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.core.commands import (
    add_actor_argument,
    domain_errors,
    print_json,
    progress_bar,
    resolve_actor,
)
from sinasec.territories import selectors, services
from sinasec.territories.models import Level


class Command(BaseCommand):
    help = "Territories of Peru (INEI ubigeo): import population and boundaries, print a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        pop = sub.add_parser(
            "import-population",
            help="import district population from an INEI municipal directory CSV",
            description=(
                "Import population estimates from a CSV or XLSX table, e.g. INEI's municipal "
                "directory (columns 'ubigeo' and 'población'; a ubigeo of 2, 4 or 6 digits is "
                "a department's, province's or district's own estimate; an 'año' column gives "
                "each row's year, else --year; capital and coordinates are read when "
                "present). All or nothing: a file with "
                "any bad row changes nothing and every problem is printed with its row and "
                "column. Re-importing the same file changes nothing."
            ),
        )
        pop.add_argument("file", type=Path, help="CSV or XLSX file, e.g. ubigeo_inei_2025.csv")
        pop.add_argument(
            "--year",
            type=int,
            default=None,
            help="year the figures refer to (required unless the file has an 'año' column)",
        )
        pop.add_argument("--source", default="", help="source label stored with the figures")
        add_actor_argument(pop)

        geo = sub.add_parser(
            "import-boundaries",
            help="import polygons from a GeoJSON FeatureCollection",
            description=(
                "Import territory polygons from GeoJSON (properties IDDIST, FIRST_IDPR, "
                "FIRST_IDDP or UBIGEO). District files also give the creation law and date. "
                "A territory drawn as several features is merged into one multipolygon."
            ),
        )
        geo.add_argument("file", type=Path)
        geo.add_argument("--level", choices=Level.values, required=True)
        geo.add_argument("--source", default="")
        geo.add_argument(
            "--skip-unknown",
            action="store_true",
            help="skip (and list) codes not in the INEI list instead of rejecting the file",
        )
        add_actor_argument(geo)

        sta = sub.add_parser(
            "import-stations",
            help="import police stations (comisarías) from CSV or XLSX",
            description=(
                "Import police stations: columns codigo, nombre, ubigeo (the district), "
                "latitud, longitud. Matched on the code. All or nothing. Stacks of "
                "incidents near a station are then classed as forced onto it."
            ),
        )
        sta.add_argument("file", type=Path)
        sta.add_argument("--source", default="")
        add_actor_argument(sta)

        summary = sub.add_parser("summary", help="counts of the hierarchy and the population")
        summary.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "summary":
            self._summary(options["format"])
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = resolve_actor(options["actor"])
        show_bar = self.stderr.isatty()
        with domain_errors(), progress_bar(path.name, show_bar) as progress:
            if action == "import-population":
                result = services.import_population(
                    actor,
                    path.name,
                    path.read_bytes(),
                    options["year"],
                    options["source"],
                    progress,
                )
            elif action == "import-stations":
                result = services.import_police_stations(
                    actor, path.name, path.read_bytes(), options["source"]
                )
            else:
                result = services.import_boundaries(
                    actor,
                    path.name,
                    path.read_bytes(),
                    options["level"],
                    options["source"],
                    options["skip_unknown"],
                    progress,
                )
        for note in result.warnings:
            self.stderr.write(f"warning: {note}")
        for note in result.skipped:
            self.stderr.write(f"skipped: {note}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.file}: {result.rows} rows, {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged, "
                f"{len(result.warnings)} warnings, {len(result.skipped)} skipped"
            )
        )

    def _summary(self, fmt: str) -> None:
        data = selectors.summary()
        if fmt == "json":
            print_json(self.stdout, data)
            return
        population = data["population"]
        assert isinstance(population, dict)
        self.stdout.write(
            f"departments {data['departments']}\nprovinces   {data['provinces']}\n"
            f"districts   {data['districts']}\nregions     {data['regions']}\n"
            f"population  {population['total']} ({population['year']})"
        )
