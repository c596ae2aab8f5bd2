"""sinasec committees: import committee events, list the committees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Max

from sinasec.committees import services
from sinasec.committees.models import ACRONYM, Committee, CommitteeEvent, CommitteeLevel, EventKind
from sinasec.core.commands import (
    add_actor_argument,
    domain_errors,
    print_json,
    progress_bar,
    resolve_actor,
)
from sinasec.territories.models import Region
from sinasec.territories.reference import region_code_for

KINDS = [str(kind) for kind in EventKind.values]
LEVEL_ORDER: list[str] = [
    CommitteeLevel.REGIONAL,
    CommitteeLevel.PROVINCIAL,
    CommitteeLevel.DISTRICT,
]


class Command(BaseCommand):
    help = (
        "Security committees (CORESEC, COPROSEC, CODISEC): import their events from a "
        "CSV or Excel file, list them with their latest events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        imp = sub.add_parser(
            "import",
            help="import committee events from a CSV or XLSX file (one row per event)",
            description=(
                "Import committee events from a CSV (UTF-8, ';', ',' or tab separated) or an "
                "Excel workbook (.xlsx, first sheet), one row per event with the columns "
                "ubigeo, level, event, date and, when needed, year, person and document "
                "(Spanish names accepted: nivel, evento, fecha, año, persona, documento). "
                "level: regional, provincial or district (CORESEC, COPROSEC, CODISEC); a "
                "CORESEC is named by its region code (07, 1501, 15). event: installed, "
                "sworn, plan or secretary (instalación, juramentación, plan, secretario). "
                "date: YYYY-MM-DD or DD/MM/YYYY. A plan needs its year; a secretary needs the "
                "person; a swearing-in lists its members in 'person' as "
                "'name|INSTITUTION|role' separated by ';'. All or nothing: a file with any "
                "bad row, or with a row for a committee the account may not record events "
                "for, changes nothing, and every problem is printed with its row and column "
                "(exit code 3). Re-importing the same file changes nothing."
            ),
        )
        imp.add_argument("file", type=Path, help="CSV or XLSX file, e.g. eventos.xlsx")
        add_actor_argument(imp)

        lst = sub.add_parser(
            "list",
            help="list the committees with the date of their latest event of each kind",
            description=(
                "List the committees with the date of their latest installation, "
                "swearing-in, plan and technical secretary accreditation."
            ),
        )
        lst.add_argument("--level", choices=CommitteeLevel.values, default=None)
        lst.add_argument(
            "--region",
            default=None,
            metavar="CODE",
            help="regional government code (e.g. 07 Callao, 1501 Lima Metropolitana)",
        )
        lst.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options["level"], options["region"], options["format"])
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = resolve_actor(options["actor"])
        with domain_errors(), progress_bar(path.name, self.stderr.isatty()) as progress:
            result = services.import_events(actor, path.name, path.read_bytes(), progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.file}: {result.rows} rows, {result.created} created, "
                f"{result.unchanged} unchanged"
            )
        )

    def _list(self, level: str | None, region: str | None, fmt: str) -> None:
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"unknown region code {region!r}")
        committees = sorted(
            Committee.objects.filter(level=level) if level else Committee.objects.all(),
            key=lambda c: (LEVEL_ORDER.index(c.level), c.ubigeo),
        )
        latest: dict[int, dict[str, str]] = {}
        last_events = (
            CommitteeEvent.objects.values("committee_id", "kind")
            .annotate(last=Max("date"))
            .order_by()
        )
        for row in last_events:
            latest.setdefault(row["committee_id"], {})[row["kind"]] = row["last"].isoformat()
        items: list[dict[str, Any]] = []
        for committee in committees:
            code = committee.region_id or region_code_for(committee.ubigeo) or ""
            if region and code != region:
                continue
            items.append(
                {
                    "id": committee.pk,
                    "level": committee.level,
                    "acronym": ACRONYM[CommitteeLevel(committee.level)],
                    "ubigeo": committee.ubigeo,
                    "name": committee.name,
                    "region": code,
                    "latest": {kind: latest.get(committee.pk, {}).get(kind) for kind in KINDS},
                }
            )
        if fmt == "json":
            print_json(self.stdout, items)
            return
        self.stdout.write(
            f"{'ubigeo':6}  {'committee':44}" + "".join(f"  {kind:10}" for kind in KINDS)
        )
        for item in items:
            dates = item["latest"]
            self.stdout.write(
                f"{item['ubigeo']:6}  {str(item['name'])[:44]:44}"
                + "".join(f"  {dates[kind] or '—':10}" for kind in KINDS)
            )
        self.stdout.write(f"{len(items)} committees")
