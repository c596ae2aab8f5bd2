"""sinasec meetings: import sessions and public consultations, list them, count them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.core.commands import add_actor_argument, domain_errors, print_json, resolve_actor
from sinasec.meetings import selectors, services
from sinasec.meetings.access import get_sessions_for_user
from sinasec.meetings.models import SessionKind


class Command(BaseCommand):
    help = (
        "Sessions of the security committees (ordinary, extraordinary) and their public "
        "consultations: import them from an Excel or CSV file, list them, count them by "
        "quarter with their agreements' status as of a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser(
            "import",
            help="import sessions and public consultations from an XLSX or CSV file",
            description=(
                "Import sessions from an Excel workbook (.xlsx, first sheet) or a CSV, one "
                "row per session, with the columns ubigeo, level (nivel: regional, "
                "provincial, district), kind (tipo: ordinaria, extraordinaria, consulta), "
                "date (fecha: YYYY-MM-DD or DD/MM/YYYY) and optionally place (lugar), "
                "agenda, public_attendance (asistencia_publica: required for a "
                "consultation), citizen_topics (temas_ciudadanos), attendance (asistencia: "
                "'PNP:3; MINSA:2') and agreements (acuerdos: 'text | OWNER | YYYY-MM-DD' "
                "separated by ';' or line breaks; a consultation's are the committee's "
                "answers). All or nothing: a file with any bad row, or a row for a "
                "committee the account may not record sessions for, changes nothing and "
                "every problem is printed with its row and column (exit code 3). A session "
                "already recorded (committee, kind, date) is left unchanged."
            ),
        )
        imp.add_argument("file", type=Path, help="XLSX or CSV file, e.g. sesiones.xlsx")
        add_actor_argument(imp)

        lst = sub.add_parser(
            "list",
            help="list the sessions the account may read",
            description="List sessions, newest first, with attendance and agreements.",
        )
        lst.add_argument("--ubigeo", default=None, help="the committee's ubigeo, e.g. 150122")
        lst.add_argument("--level", choices=CommitteeLevel.values, default=None)
        lst.add_argument("--kind", choices=SessionKind.values, default=None)
        lst.add_argument("--format", choices=["json", "table"], default="table")
        add_actor_argument(lst)

        fig = sub.add_parser(
            "figures",
            help="per committee: sessions by quarter and kind, agreements by status",
            description=(
                "Per committee, as of a date: sessions held by year, quarter and kind, "
                "public consultations by quarter against those expected a year "
                "(SINASEC_CONSULTATIONS_PER_YEAR), and agreements pending, done and "
                "overdue. JSON. The figures the compliance report reads."
            ),
        )
        fig.add_argument("--as-of", type=date.fromisoformat, default=date.today())

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "figures":
            self._figures(options["as_of"])
        elif action == "list":
            self._list(options)
        else:
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = resolve_actor(options["actor"])
        with domain_errors():
            result = services.import_sessions(actor, path.name, path.read_bytes())
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.file}: {result.rows} rows, {result.created} created, "
                f"{result.unchanged} unchanged"
            )
        )

    def _list(self, options: dict[str, Any]) -> None:
        actor = resolve_actor(options["actor"])
        with domain_errors():
            found = get_sessions_for_user(actor)
        if options["ubigeo"]:
            found = found.filter(committee__ubigeo=options["ubigeo"])
        if options["level"]:
            found = found.filter(committee__level=options["level"])
        if options["kind"]:
            found = found.filter(kind=options["kind"])
        rows = selectors.session_rows(selectors.with_details(found), date.today())
        items = [
            {
                "id": r.session.pk,
                "committee": r.session.committee.name if r.session.committee else "",
                "ubigeo": r.session.committee.ubigeo if r.session.committee else "",
                "kind": r.session.kind,
                "held_on": r.session.held_on.isoformat(),
                "attendees": r.attendees,
                "public_attendance": r.session.public_attendance,
                "quorum": r.quorum.reached,
                "agreements": {
                    s: sum(1 for _a, st in r.agreements if st == s)
                    for s in ("pending", "done", "overdue")
                },
                "demo": r.session.is_demo,
            }
            for r in rows
        ]
        if options["format"] == "json":
            print_json(self.stdout, items)
            return
        for i in items:
            self.stdout.write(
                f"{i['held_on']}  {i['ubigeo']:6}  {str(i['committee'])[:36]:36}  {i['kind']:13}"
                f"  {i['attendees']:3}  {i['agreements']}"
            )
        self.stdout.write(f"{len(items)} sessions")

    def _figures(self, as_of: date) -> None:
        held = selectors.sessions_by_quarter(as_of)
        consulted = selectors.consultations_by_quarter(as_of)
        statuses = selectors.agreements_by_status(as_of)
        names = dict(
            Committee.objects.filter(pk__in={*held, *statuses}).values_list("pk", "ubigeo")
        )
        print_json(
            self.stdout,
            {
                "as_of": as_of.isoformat(),
                "expected_consultations_per_year": selectors.expected_consultations(),
                "committees": [
                    {
                        "id": pk,
                        "ubigeo": names.get(pk, ""),
                        "sessions": {
                            f"{y}-Q{q} {k}": n for (y, q, k), n in sorted(held.get(pk, {}).items())
                        },
                        "consultations": {
                            f"{y}-Q{q}": n for (y, q), n in sorted(consulted.get(pk, {}).items())
                        },
                        "agreements": statuses.get(pk, {}),
                    }
                    for pk in sorted(names)
                ],
            },
        )
