"""Monthly execution from a CSV file (all or nothing, submitted for approval), evidence
files on the report page, and timeliness against each month's due date."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied, ImportProblem, ImportRejected
from sinasec.institutions.models import Institution
from sinasec.plans.execution.importers import parse_execution_csv
from sinasec.plans.execution.selectors import timeliness
from sinasec.plans.execution.services import IMPORT_ACTION as ACTION
from sinasec.plans.execution.services import (
    add_evidence,
    approve_report,
    import_execution,
    save_report,
    submit_report,
)
from sinasec.plans.models import ActivityPart, Evidence, ExecutionReport, Plan, ReportStatus
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db

HEADER = "plan,activity,institution,year,month,executed,comment\n"
PNP = "2010,2.7,PNP,2010,1,18,dos operativos suspendidos\n"
MP = "2010,2.7,MP,2010,1,5,\n"
MINJUS = '2010,3.10,MINJUS,2010,2,10,"talleres en Lima, Callao"\n'
CODISEC = "2010,4.4,CODISEC,2010,3,2,\n"  # activity 4.4 has two parts: CODISEC's is the 2nd
SALUD = "2010,2.8,SALUD,2010,1,3,\n"  # an alias of MINSA


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages are asserted in English, whatever the Spanish catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def plan(db: None) -> Plan:
    return load_national_plan_2010()


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\ufeff" + header + "".join(rows)).encode("utf-8")


def part(strategy: int, number: int, order: int = 1) -> ActivityPart:
    return ActivityPart.objects.get(
        activity__strategy__number=strategy, activity__number=number, order=order
    )


def institution(acronym: str) -> int:
    return Institution.objects.get(acronym=acronym).pk


def report(strategy: int, number: int, acronym: str, month: int, order: int = 1):
    return ExecutionReport.objects.get(
        part=part(strategy, number, order), institution_id=institution(acronym), month=month
    )


def rejected(actor: User, data: bytes, name: str = "ejecucion.csv") -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as info:
        import_execution(actor, name, data)
    assert ExecutionReport.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="plans.").exists()
    return info.value.problems


def where(problems: list[ImportProblem]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in problems]


# --- good files ----------------------------------------------------------------------


def test_it_imports_execution_and_submits_it(admin: User, plan: Plan) -> None:
    result = import_execution(admin, "ejecucion.csv", csv_bytes(PNP, MP, MINJUS, CODISEC, SALUD))
    assert (result.rows, result.created, result.updated, result.unchanged) == (5, 5, 0, 0)
    assert set(ExecutionReport.objects.values_list("status", flat=True)) == {ReportStatus.SUBMITTED}
    pnp = report(2, 7, "PNP", 1)
    assert (pnp.executed, pnp.comment) == (18, "dos operativos suspendidos")
    assert pnp.submitted_at is not None
    assert report(2, 7, "MP", 1).executed == 5
    assert report(3, 10, "MINJUS", 2).comment == "talleres en Lima, Callao"
    assert report(4, 4, "CODISEC", 3, order=2).executed == 2
    assert report(2, 8, "MINSA", 1).executed == 3

    [audit] = AuditEvent.objects.filter(action=ACTION)
    assert audit.actor == admin and audit.object_type == "execution_reports"
    assert audit.after is not None and len(audit.after["sha256"]) == 64
    assert [r["row"] for r in audit.after["submitted"]] == [2, 3, 4, 5, 6]
    assert "5 new" in audit.summary


def test_it_counts_a_reimport_as_unchanged(admin: User, plan: Plan) -> None:
    data = csv_bytes(PNP, MP, MINJUS)
    import_execution(admin, "ejecucion.csv", data)
    approve_report(admin, report(2, 7, "PNP", 1).pk)  # approved with the same value
    audits = AuditEvent.objects.count()
    result = import_execution(admin, "ejecucion.csv", data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == audits
    assert AuditEvent.objects.filter(action=ACTION).count() == 1


def test_it_submits_a_draft_or_returned_month_with_the_file_value(
    admin: User, focal_point: User, plan: Plan
) -> None:
    save_report(focal_point, part(2, 7).pk, institution("PNP"), 1, 7, "borrador")
    result = import_execution(focal_point, "pnp.csv", csv_bytes(PNP))
    assert (result.created, result.updated) == (0, 1)
    pnp = report(2, 7, "PNP", 1)
    assert (pnp.status, pnp.executed) == (ReportStatus.SUBMITTED, 18)


def test_it_refuses_to_change_a_locked_month(admin: User, plan: Plan) -> None:
    import_execution(admin, "ejecucion.csv", csv_bytes(PNP, MP))
    approve_report(admin, report(2, 7, "PNP", 1).pk)
    before = list(ExecutionReport.objects.values_list("executed", "status").order_by("pk"))
    audits = AuditEvent.objects.count()
    changed = csv_bytes(MINJUS, PNP.replace(",18,", ",19,"), MP.replace(",5,", ",6,"))
    with pytest.raises(ImportRejected) as info:
        import_execution(admin, "ejecucion.csv", changed)
    problems = info.value.problems
    assert where(problems) == [(3, "executed"), (4, "executed")]
    assert "approved with 18: it is locked" in problems[0].reason
    assert "submitted with 5 and awaits approval" in problems[1].reason
    assert list(ExecutionReport.objects.values_list("executed", "status").order_by("pk")) == before
    assert AuditEvent.objects.count() == audits  # MINJUS's good row was not written either


# --- bad files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected", "reason"),
    [
        (
            csv_bytes(PNP, header="plan,activity,institution,year,month,comment\n"),
            [(1, "executed")],
            "required column missing",
        ),
        (csv_bytes(PNP, "2010,2.99,PNP,2010,1,1,\n"), [(3, "activity")], "has no activity 2.99"),
        (csv_bytes("2010,2.7,ACME,2010,1,1,\n"), [(2, "institution")], "unknown institution"),
        (
            csv_bytes("2010,3.10,PNP,2010,2,1,\n"),
            [(2, "institution")],
            "PNP is not responsible for activity 3.10 (responsible: MINJUS)",
        ),
        (csv_bytes("2010,2.7,PNP,2011,1,1,\n"), [(2, "year")], "is for 2010, not 2011"),
        (csv_bytes("2010,2.7,PNP,2010,13,1,\n"), [(2, "month")], "not a month (1 to 12)"),
        (csv_bytes("2010,2.7,PNP,2010,1,-3,\n"), [(2, "executed")], "cannot be negative"),
        (csv_bytes("2010,2.7,PNP,2010,1,2.5,\n"), [(2, "executed")], "not a whole number"),
        (csv_bytes(PNP, MP, PNP), [(4, None)], "duplicate row"),
        (csv_bytes("2010,2.7,Policía Nacional del Perú,2010,1,2,\n", PNP), [(3, None)], "in row 2"),
        (csv_bytes("2010,2.7,PNP,2010,1,\n"), [(2, None)], "expected 7 fields, found 6"),
        (csv_bytes("2099,2.7,PNP,2099,1,1,\n"), [(2, "plan")], "there is no plan 2099"),
        (b"", [(None, None)], "the file is empty"),
        (csv_bytes(), [(None, None)], "no data rows"),
        (HEADER.encode() + "2010,2.7,PNP,2010,1,1,Sí\n".encode("latin-1"), [(2, None)], "UTF-8"),
    ],
    ids=[
        "missing-column",
        "unknown-activity",
        "unknown-institution",
        "not-responsible",
        "wrong-year",
        "bad-month",
        "negative",
        "not-whole",
        "duplicate",
        "duplicate-by-alias",
        "short-row",
        "unknown-plan",
        "empty",
        "header-only",
        "not-utf8",
    ],
)
def test_it_rejects_a_bad_file_whole(
    admin: User, plan: Plan, data: bytes, expected: list, reason: str
) -> None:
    problems = rejected(admin, data)
    assert where(problems) == expected
    assert reason in problems[0].reason
    assert all(p.file == "ejecucion.csv" for p in problems)


def test_it_lists_every_problem_of_a_file(admin: User, plan: Plan) -> None:
    data = csv_bytes(
        PNP,
        "2010,2.7,PNP,2010,13,-1,\n",
        "2010,x,ACME,10,1,1,\n",
        "2010,3.10,PNP,2010,2,1,\n",
    )
    with pytest.raises(ImportRejected) as info:  # cell problems first: nothing read yet
        import_execution(admin, "ejecucion.csv", data)
    assert where(info.value.problems) == [
        (3, "month"),
        (3, "executed"),
        (4, "activity"),
        (4, "institution"),
        (4, "year"),
    ]
    assert ExecutionReport.objects.count() == 0


def test_it_names_the_part_when_an_institution_answers_for_two(admin: User, plan: Plan) -> None:
    pnp = institution("PNP")
    part(4, 4, 1).institutions.add(pnp)
    part(4, 4, 2).institutions.add(pnp)
    problems = rejected(admin, csv_bytes("2010,4.4,PNP,2010,3,1,\n"))
    assert where(problems) == [(2, "institution")]
    assert "responsible for 2 parts of activity 4.4" in problems[0].reason


def test_it_rejects_a_focal_points_file_with_another_institutions_row(
    focal_point: User, plan: Plan
) -> None:
    minsa_row = "2010,1.19,MINSA,2010,1,1,\n"
    problems = rejected(focal_point, csv_bytes(PNP, minsa_row))
    assert where(problems) == [(3, "institution")]
    assert "only report the activities your institution" in problems[0].reason
    # Its own institution's rows alone go through.
    assert import_execution(focal_point, "pnp.csv", csv_bytes(PNP)).created == 1


def test_it_refuses_an_account_that_reports_nothing(analyst: User, plan: Plan) -> None:
    with pytest.raises(AccessDenied):
        import_execution(analyst, "ejecucion.csv", csv_bytes(PNP))
    assert ExecutionReport.objects.count() == 0


def test_it_reads_spanish_headers_and_semicolons() -> None:
    header = "Plan;Actividad;Institución;Año;Mes;Ejecutado;Comentario\n"
    [row] = parse_execution_csv(csv_bytes("2010;3.10;Minjus;2010;02;10;ok\n", header=header), "x")
    assert (row.plan, row.code, row.institution, row.year, row.month, row.executed) == (
        "2010",
        "3.10",
        "MINJUS",
        2010,
        2,
        10,
    )


# --- command line --------------------------------------------------------------------


def test_the_command_imports_and_exits_3_on_a_bad_file(
    admin: User, plan: Plan, tmp_path: Path
) -> None:
    good = tmp_path / "ejecucion.csv"
    good.write_bytes(csv_bytes(PNP, MP))
    out = io.StringIO()
    call_command("plan", "execution", "import", str(good), "--as", admin.username, stdout=out)
    assert "2 new" in out.getvalue()
    assert ExecutionReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 2

    bad = tmp_path / "mala.csv"
    bad.write_bytes(csv_bytes("2010,2.7,PNP,2010,13,1,\n"))
    with pytest.raises(CommandError) as info:
        call_command("plan", "execution", "import", str(bad), "--as", admin.username)
    assert info.value.returncode == 3
    assert "mala.csv, row 2, column “month”" in str(info.value)


def test_the_command_exits_2_when_the_account_may_not_import(
    analyst: User, plan: Plan, tmp_path: Path
) -> None:
    good = tmp_path / "ejecucion.csv"
    good.write_bytes(csv_bytes(PNP))
    with pytest.raises(CommandError) as info:
        call_command("plan", "execution", "import", str(good), "--as", analyst.username)
    assert info.value.returncode == 2


# --- evidence ------------------------------------------------------------------------


def test_it_stores_evidence_uploaded_with_a_month(
    client: Client, focal_point: User, plan: Plan, media: Path
) -> None:
    login(client, focal_point)
    response = client.post(
        f"/planes/{plan.pk}/reportar/guardar/",
        {
            "part": part(2, 7).pk,
            "institution": institution("PNP"),
            "month": 1,
            "executed": 18,
            "comment": "con actas",
            "evidence": SimpleUploadedFile(
                "acta_enero.pdf", b"%PDF-1.4 acta", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    [evidence] = Evidence.objects.all()
    assert evidence.report == report(2, 7, "PNP", 1) and evidence.uploaded_by == focal_point
    assert evidence.file.read() == b"%PDF-1.4 acta"
    assert AuditEvent.objects.filter(action="plans.add_evidence").count() == 1
    page = client.get(f"/planes/{plan.pk}/reportar/").content.decode()
    assert f'href="/planes/{plan.pk}/evidencias/{evidence.pk}/"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="evidence"' in page


def test_it_refuses_evidence_on_an_approved_month(
    admin: User, focal_point: User, other_focal_point: User, plan: Plan, media: Path
) -> None:
    saved = save_report(focal_point, part(2, 7).pk, institution("PNP"), 1, 18)
    with pytest.raises(AccessDenied):
        add_evidence(other_focal_point, saved.pk, SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"))
    submit_report(focal_point, saved.pk)
    add_evidence(
        focal_point, saved.pk, SimpleUploadedFile("a.pdf", b"%PDF-1.4 a")
    )  # submitted: fine
    approve_report(admin, saved.pk)
    with pytest.raises(ValidationError):
        add_evidence(focal_point, saved.pk, SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"))
    assert Evidence.objects.count() == 1


def test_the_report_page_costs_the_same_queries_for_more_months(
    client: Client, focal_point: User, plan: Plan, media: Path
) -> None:
    def add_month(month: int) -> None:
        saved = save_report(focal_point, part(2, 7).pk, institution("PNP"), month, 10)
        add_evidence(focal_point, saved.pk, SimpleUploadedFile(f"m{month}.pdf", b"%PDF-1.4 m"))
        add_evidence(focal_point, saved.pk, SimpleUploadedFile(f"n{month}.pdf", b"%PDF-1.4 n"))

    login(client, focal_point)
    add_month(1)
    url = f"/planes/{plan.pk}/reportar/"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for month in range(2, 7):
        add_month(month)
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).content.decode()
    assert len(six) == len(one)
    assert page.count('data-testid="evidence"') == 12


# --- timeliness ----------------------------------------------------------------------

LIMA = ZoneInfo("America/Lima")


def lima(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LIMA)


@pytest.mark.parametrize(
    ("submitted_at", "today", "expected"),
    [
        (None, date(2010, 2, 9), "pending"),
        (None, date(2010, 2, 10), "pending"),  # the due date itself is still on time
        (None, date(2010, 2, 11), "late"),
        (lima(2010, 2, 10, 23, 59), date(2010, 6, 1), "on_time"),
        (lima(2010, 2, 11, 0, 1), date(2010, 6, 1), "late"),
        # 03:00 UTC on the 11th is still the 10th in Lima
        (datetime(2010, 2, 11, 3, 0, tzinfo=ZoneInfo("UTC")), date(2010, 6, 1), "on_time"),
    ],
)
def test_it_tells_whether_a_month_came_on_time(
    submitted_at: datetime | None, today: date, expected: str
) -> None:
    report = ExecutionReport(month=1, executed=1, submitted_at=submitted_at)
    assert timeliness(report, year=2010, today=today) == expected


def test_the_due_date_follows_the_setting(settings) -> None:
    settings.EXECUTION_DUE_DAYS = 5
    report = ExecutionReport(month=12, executed=1)
    assert timeliness(report, year=2010, today=date(2011, 1, 5)) == "pending"
    assert timeliness(report, year=2010, today=date(2011, 1, 6)) == "late"


def test_the_pages_show_due_dates_and_timeliness(
    client: Client, admin: User, focal_point: User, plan: Plan
) -> None:
    import_execution(focal_point, "pnp.csv", csv_bytes(PNP))  # 2010: long after the due date
    saved = report(2, 7, "PNP", 1)
    assert timeliness(saved) == "late"
    login(client, focal_point)
    page = client.get(f"/planes/{plan.pk}/reportar/").content.decode()
    assert 'data-timeliness="late"' in page and "10/02/2010" in page
    login(client, admin)
    page = client.get(f"/planes/{plan.pk}/revision/").content.decode()
    assert 'data-timeliness="late"' in page and "10/02/2010" in page
