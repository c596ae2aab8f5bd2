"""sinasec plan: operational plans."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinasec.committees.models import Committee
from sinasec.core.commands import add_actor_argument, domain_errors, print_json, resolve_actor
from sinasec.core.exports import csv_bytes
from sinasec.plans import services, template
from sinasec.plans.execution.services import import_execution
from sinasec.plans.models import Activity, ActivityPart, Plan
from sinasec.plans.multiyear.rates import (
    HEADER,
    QUARTER,
    SEMESTER,
    Period,
    national_ranking,
    table_rows,
)
from sinasec.plans.multiyear.services import copy_forward, start_multiyear_plan
from sinasec.plans.progress import plan_progress
from sinasec.plans.selectors import find_plan, validate_plan

EXPORTS = {".xlsx": template.export_plan, ".csv": template.export_plan_csv}


class Command(BaseCommand):
    help = (
        "Operational plans: validate a plan, import one from the plan template (CSV or "
        "XLSX), export one to it; multi-year plans (start one, copy a year forward) and the "
        "committees' execution ranking. PLAN is the national plan's year (e.g. 2010) or a "
        "plan id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser(
            "validate",
            help="list the plan's findings",
            description=(
                "Run the validation rules: programmed months that do not add up to the annual "
                "goal, gaps in the activity numbering, responsibles not in the institutions "
                "catalogue, missing unit or goal (errors); cells of the source that hold two "
                "values or cannot be read (warnings)."
            ),
        )
        check.add_argument("plan", metavar="PLAN")
        check.add_argument("--format", choices=["json", "table"], default="table")

        imp = sub.add_parser(
            "import",
            help="import a plan from the plan template (CSV or XLSX)",
            description=(
                "Import a plan written in the plan template: a CSV (UTF-8, ';', ',' or tab "
                "separated) or an Excel workbook (.xlsx, first sheet) with the columns "
                "plan_anio, comite_ubigeo, comite_nivel (both empty for the national plan), "
                "estrategia, estrategia_nombre, actividad, descripcion, unidad_medida, "
                "meta_anual, responsable and ene..dic, one row per activity part. An empty "
                "month is 0; '?' is a month that is unknown. The plan's strategies, "
                "activities and parts become the file's. All or nothing: a file with any bad "
                "row changes nothing, and every problem is printed with its row and column "
                "(exit code 3); the national plan is for national administrators, a "
                "committee's plan for them and its secretary (exit code 2 otherwise). "
                "Months that do not add up or numbering gaps are imported and reported by "
                "'sinasec plan validate'. Re-importing the same file changes nothing."
            ),
        )
        imp.add_argument("file", type=Path, metavar="FILE", help="CSV or XLSX file")
        add_actor_argument(imp)

        exp = sub.add_parser(
            "export",
            help="export a plan to the plan template (CSV or XLSX)",
            description=(
                "Write a plan in the plan template, the format 'sinasec plan import' reads: "
                "an Excel workbook when FILE ends in .xlsx (with the validation findings on "
                "a second sheet, 'hallazgos'), a CSV (UTF-8 with BOM, ';' separated) when it "
                "ends in .csv. Unknown months are written '?'."
            ),
        )
        exp.add_argument("plan", metavar="PLAN")
        exp.add_argument("file", type=Path, metavar="FILE", help="e.g. plan_2010.xlsx")

        prog = sub.add_parser(
            "progress",
            help="programmed vs executed to a date, per activity",
            description=(
                "Per activity: the quantity programmed for the months ended by --as-of, the "
                "approved execution of the months up to that date, the annual goal, the "
                "percentage of the goal and a traffic light (green / yellow / red by executed "
                "÷ programmed; not_due when nothing was programmed yet)."
            ),
        )
        prog.add_argument("plan", metavar="PLAN")
        prog.add_argument("--as-of", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
        prog.add_argument("--format", choices=["json", "table"], default="table")

        self._add_multiyear(sub)

        execution = sub.add_parser(
            "execution",
            help="monthly execution reports (import)",
            description="Monthly execution reports of the plans' activities.",
        )
        execution_sub = execution.add_subparsers(
            dest="execution_action", required=True, metavar="ACTION"
        )
        exe_import = execution_sub.add_parser(
            "import",
            help="import monthly execution from a CSV file and submit it for approval",
            description=(
                "Import monthly execution from a CSV (UTF-8, ';', ',' or tab separated) with "
                "the columns plan, activity, institution, year, month, executed, comment (or "
                "plan, actividad, institucion, año, mes, ejecutado, comentario), one row per "
                "activity, institution and month: plan is the national plan's year (e.g. "
                "2010) or a plan id; activity is strategy.activity (e.g. 3.10); institution "
                "an acronym or a name as the plan writes it (PNP, SALUD, Poder Judicial); "
                "year must be the plan's; month 1 to 12; executed a whole number, 0 or more; "
                "comment optional. Each row becomes that month's report, submitted for "
                "approval; an activity with several parts is reported on the part the "
                "institution is responsible for. A month already submitted or approved with "
                "the same quantity is unchanged, with another quantity an error (approved "
                "months are locked unless reopened). All or nothing: a file with any bad row "
                "changes nothing, and every problem is printed with its row and column (exit "
                "code 3); a row the account may not report (a focal point reports only its "
                "institution's activities) rejects the file too. Exit code 2 when the "
                "account may not import execution at all. Re-importing the same file "
                "changes nothing."
            ),
        )
        exe_import.add_argument("file", type=Path, metavar="FILE", help="CSV file")
        add_actor_argument(exe_import)

    @staticmethod
    def _add_multiyear(sub: Any) -> None:
        ranking = sub.add_parser(
            "ranking",
            help="committees ranked by execution rate for a semester or quarter",
            description=(
                "The national ranking of committees by execution rate: executed ÷ programmed "
                "of each committee's programme for --year, over the months of the semester "
                "(or quarter) ended by --as-of; only months approved by that date count. "
                "Flagged below SINASEC_EXECUTION_THRESHOLD_PCT (default 75). Equal rates "
                "share a rank; committees with nothing programmed yet come last."
            ),
        )
        ranking.add_argument("--year", required=True, type=int)
        period = ranking.add_mutually_exclusive_group(required=True)
        period.add_argument("--semester", type=int, choices=[1, 2])
        period.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        ranking.add_argument(
            "--as-of", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD"
        )
        ranking.add_argument("--format", choices=["json", "table", "csv"], default="table")

        start = sub.add_parser(
            "start-multiyear",
            help="start a committee's multi-year plan (its first year's programme)",
            description=(
                "Start the multi-year plan of the committee of --level and --ubigeo for "
                "--from..--to (at most four years: 2024-2027 under Directiva "
                "006-2023-IN-DGSC): creates the first year's programme, empty, to be filled "
                "with 'sinasec plan import'. The committee's single-year plans of those "
                "years become its programmes. Exit code 2 outside the account's scope."
            ),
        )
        start.add_argument("--level", required=True, choices=["regional", "provincial", "district"])
        start.add_argument("--ubigeo", required=True)
        start.add_argument("--from", dest="first", required=True, type=int)
        start.add_argument("--to", dest="last", required=True, type=int)
        add_actor_argument(start)

        copy = sub.add_parser(
            "copy-forward",
            help="copy a year's programme of a multi-year plan to the next year",
            description=(
                "Copy the programme PLAN (a plan id) to the next year of its plan: "
                "strategies, activities, responsibles, goals and months, as a draft; no "
                "execution. Refused when the plan ends that year or the next year's "
                "programme exists (it is never overwritten)."
            ),
        )
        copy.add_argument("plan", metavar="PLAN")
        add_actor_argument(copy)

    def _multiyear(self, action: str, options: dict[str, Any]) -> None:
        if action == "ranking":
            kind = SEMESTER if options["semester"] else QUARTER
            number = options["semester"] or options["quarter"]
            result = national_ranking(Period(options["year"], kind, number), options["as_of"])
            if options["format"] == "json":
                print_json(self.stdout, result.as_dict())
            elif options["format"] == "csv":
                self.stdout.write(
                    csv_bytes([HEADER, *table_rows(result)], bom=False).decode(), ending=""
                )
            else:
                for r in result.rows:
                    rate = "—" if r.rate is None else f"{r.rate:.1f}"
                    flag = "  below threshold" if r.flagged else ""
                    self.stdout.write(
                        f"{r.rank:>5}  {r.level:<8} {r.ubigeo:<6}  {r.committee[:40]:<40}  "
                        f"{r.executed:>6}/{r.programmed:<6} {rate:>6}{flag}"
                    )
            return
        actor = resolve_actor(options["actor"])
        try:
            plan = self._write_multiyear(action, actor, options)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{plan.title} (id {plan.pk}, {plan.year})"))

    @staticmethod
    def _write_multiyear(action: str, actor: Any, options: dict[str, Any]) -> Plan:
        with domain_errors():
            if action == "start-multiyear":
                committee = Committee.objects.filter(
                    level=options["level"], ubigeo=options["ubigeo"]
                ).first()
                if committee is None:
                    raise CommandError(f"no {options['level']} committee {options['ubigeo']}")
                return start_multiyear_plan(actor, committee.pk, options["first"], options["last"])
            source = find_plan(options["plan"])
            if source is None:
                raise CommandError(f"no plan {options['plan']!r}")
            return copy_forward(actor, source.pk)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in ("ranking", "start-multiyear", "copy-forward"):
            self._multiyear(action, options)
            return
        if action == "execution":
            self._import_execution(options["file"], options["actor"])
            return
        if action == "import":
            self._import(options["file"], options["actor"])
            return
        plan = find_plan(options["plan"])
        if plan is None:
            raise CommandError(f"no plan {options['plan']!r}")
        if action == "export":
            self._export(plan, options["file"])
            return
        if action == "progress":
            self._progress(plan, options["as_of"], options["format"])
            return
        findings = validate_plan(plan)
        if options["format"] == "json":
            print_json(self.stdout, [f.as_dict() for f in findings])
            return
        for f in findings:
            self.stdout.write(f"{f.activity:>6}  {f.severity:<7}  {f.rule:<20}  {f.message}")
        errors = sum(1 for f in findings if f.severity == "error")
        self.stdout.write(f"{errors} errors, {len(findings) - errors} warnings")

    def _progress(self, plan: Plan, as_of: date, fmt: str) -> None:
        rows = plan_progress(plan, as_of)
        if fmt == "json":
            print_json(
                self.stdout,
                {
                    "plan": plan.pk,
                    "as_of": as_of.isoformat(),
                    "activities": [r.as_dict() for r in rows],
                },
            )
            return
        for r in rows:
            self.stdout.write(
                f"{r.activity:>6}  {r.programmed_to_date:>6}  {r.executed_to_date:>6}  "
                f"{r.goal if r.goal is not None else '?':>6}  {r.status}"
            )

    def _import_execution(self, path: Path, username: str) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = resolve_actor(username)
        with domain_errors():
            result = import_execution(actor, path.name, path.read_bytes())
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {result.rows} rows: {result.created} new, {result.updated} "
                f"corrected, {result.unchanged} unchanged; submitted for approval"
            )
        )

    def _import(self, path: Path, username: str) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = resolve_actor(username)
        with domain_errors():
            plan = services.import_plan(actor, path.name, path.read_bytes())
        findings = validate_plan(plan)
        errors = sum(1 for f in findings if f.severity == "error")
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {plan.title} (id {plan.pk}): {self._contents(plan)}; "
                f"{errors} errors, {len(findings) - errors} warnings "
                f"(sinasec plan validate {plan.pk})"
            )
        )

    def _export(self, plan: Plan, path: Path) -> None:
        export = EXPORTS.get(path.suffix.lower())
        if export is None:
            raise CommandError(f"{path}: the file name must end in .xlsx or .csv")
        try:
            path.write_bytes(export(plan))
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"{path}: {plan.title}: {self._contents(plan)}"))

    @staticmethod
    def _contents(plan: Plan) -> str:
        strategies = plan.strategies.count()
        activities = Activity.objects.filter(strategy__plan=plan).count()
        parts = ActivityPart.objects.filter(activity__strategy__plan=plan).count()
        return f"{strategies} strategies, {activities} activities, {parts} parts"
