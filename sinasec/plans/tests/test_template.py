"""The plan template: any plan exported to XLSX or CSV and imported back is the same
plan; a committee's secretary imports their own committee's plan only; a bad file
changes nothing and says which row and column is wrong."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from sinasec.audit.models import AuditEvent
from sinasec.committees.models import Committee
from sinasec.core.errors import AccessDenied, ImportRejected
from sinasec.institutions.models import Institution
from sinasec.plans.importers import parse_plan
from sinasec.plans.models import Activity, ActivityPart, ExecutionReport, Plan
from sinasec.plans.selectors import validate_plan
from sinasec.plans.services import import_plan, plan_digest
from sinasec.plans.template import (
    COLUMNS,
    export_plan,
    export_plan_csv,
    file_name_for,
)
from sinasec.plans.tests.template_support import (
    ACTION,
    csv_rows,
    findings_of,
    put,
    rejected,
    row_of,
    snapshot,
    to_csv,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_2010_plan_exported_and_imported_back_is_unchanged(
    admin: User, plan_2010: Plan, kind: str
) -> None:
    before, findings = snapshot(plan_2010), findings_of(plan_2010)
    data = export_plan(plan_2010) if kind == "xlsx" else export_plan_csv(plan_2010)

    parsed = parse_plan(data, f"plan.{kind}")
    assert (parsed.year, parsed.committee_level, parsed.committee_ubigeo) == (2010, "", "")
    assert (len(parsed.strategies), len(parsed.activities), parsed.parts) == (5, 51, 52)
    s4a4 = next(a for a in parsed.activities if a.code == "4.4")
    assert [(p.responsible, p.goal, p.months) for p in s4a4.parts] == [
        ("COPROSEC", 3, (0, 0, 1, 0, 0, 1, 0, 0, 1, 0, None, 0)),
        ("CODISEC", 4, (0, 0, 1, 0, 0, 1, 0, 0, 1, 0, None, 0)),
    ]

    assert import_plan(admin, f"plan.{kind}", data) == plan_2010
    assert snapshot(plan_2010) == before
    assert findings_of(plan_2010) == findings
    assert not AuditEvent.objects.filter(action=ACTION).exists()  # nothing changed


def test_the_workbook_is_the_template_with_the_findings_beside_it(plan_2010: Plan) -> None:
    workbook = load_workbook(io.BytesIO(export_plan(plan_2010)))
    assert workbook.sheetnames == ["plan", "hallazgos"]
    sheet = workbook["plan"]
    header = [c.value for c in sheet[1]]
    assert tuple(header) == COLUMNS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width == 60  # descripcion
    assert "“?”" in sheet.cell(row=1, column=COLUMNS.index("ene") + 1).comment.text
    assert sheet.max_row == 1 + 52  # one row per part: 4.4 is two rows
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    s4a4 = [r for r in rows if (r[3], r[5]) == (4, 4)]
    assert [(r[8], r[9], r[COLUMNS.index("nov")], r[COLUMNS.index("mar")]) for r in s4a4] == [
        (3, "COPROSEC", "?", 1),
        (4, "CODISEC", "?", 1),
    ]
    assert rows[0][:3] == [2010, None, None]  # the national plan: no committee

    findings = workbook["hallazgos"]
    assert [c.value for c in findings[1]] == ["actividad", "severidad", "regla", "mensaje"]
    listed = [tuple(c.value for c in row[:3]) for row in findings.iter_rows(min_row=2)]
    assert listed == [(f.activity, f.severity, f.rule) for f in validate_plan(plan_2010)]
    assert ("4.4", "warning", "ambiguous_cell") in listed


def test_the_csv_is_utf8_with_bom_and_semicolons(plan_2010: Plan) -> None:
    data = export_plan_csv(plan_2010)
    assert data.startswith(b"\xef\xbb\xbf" + ";".join(COLUMNS).encode())
    rows = csv_rows(data)
    assert len(rows) == 53
    first = rows[row_of(rows, "1.8") - 1]
    assert first[:10] == [
        "2010",
        "",
        "",
        "1",
        "Fortalecer los servicios institucionales de seguridad ciudadana.",
        "8",
        "Realizar eventos de capacitación dirigido a los magistrados del Poder Judicial a nivel nacional",
        "Eventos",
        "3",
        "PJ",
    ]
    assert first[10:] == ["0", "0", "0", "1", "1", "1", "0", "0", "0", "0", "0", "0"]
    assert rows[row_of(rows, "4.4", 2) - 1][COLUMNS.index("nov")] == "?"
    assert plan_digest(plan_2010) == hashlib.sha256(data).hexdigest()


def test_an_edited_file_updates_the_plan_in_place_and_the_original_restores_it(
    admin: User, plan_2010: Plan
) -> None:
    original = export_plan_csv(plan_2010)
    before = snapshot(plan_2010)
    rows = csv_rows(original)
    put(rows, row_of(rows, "1.8"), "meta_anual", "4")
    put(rows, row_of(rows, "1.8"), "dic", "1")
    put(rows, row_of(rows, "4.5"), "responsable", "MIMDES")  # the seed's "MIMDES /" fixed
    extra = list(rows[row_of(rows, "5.3") - 1])
    extra[COLUMNS.index("actividad")] = "4"
    extra[COLUMNS.index("descripcion")] = "Evaluar los proyectos formulados"
    rows.append(extra)
    edited = to_csv(rows)

    assert import_plan(admin, "editado.csv", edited).pk == plan_2010.pk
    part = ActivityPart.objects.get(
        activity__strategy__plan=plan_2010, activity__strategy__number=1, activity__number=8
    )
    assert (part.goal, part.programmed[-1]) == (4, 1)
    assert part.pk == next(p[0] for p in before["parts"] if p[1] == part.activity_id)
    mimdes = ActivityPart.objects.get(activity__strategy__number=4, activity__number=5)
    assert mimdes.responsible_text == "MIMDES" and mimdes.note  # the note stays with its row
    assert Activity.objects.filter(strategy__plan=plan_2010).count() == 52
    after = snapshot(plan_2010)
    assert after["strategies"] == before["strategies"]
    kept = {a[0] for a in before["activities"]}
    assert kept <= {a[0] for a in after["activities"]}

    audit = AuditEvent.objects.get(action=ACTION)
    assert audit.object_id == str(plan_2010.pk) and audit.territory_ubigeo == ""
    recorded_before, recorded_after = audit.before or {}, audit.after or {}
    assert recorded_before["activities"] == 51 and recorded_after["activities"] == 52
    assert recorded_before["content_sha256"] == hashlib.sha256(original).hexdigest()
    assert recorded_after["sha256"] == hashlib.sha256(edited).hexdigest()
    assert recorded_after["changes"] == {
        "activities_created": 1,
        "parts_created": 1,
        "parts_updated": 2,
    }

    import_plan(admin, "original.csv", original)
    assert snapshot(plan_2010) == before  # ids, source text and notes included
    assert AuditEvent.objects.filter(action=ACTION).count() == 2
    assert import_plan(admin, "original.csv", original) == plan_2010
    assert AuditEvent.objects.filter(action=ACTION).count() == 2  # the same file again


def test_an_import_keeps_execution_reports_and_refuses_to_drop_a_reported_part(
    admin: User, plan_2010: Plan
) -> None:
    reported = ActivityPart.objects.get(activity__strategy__number=2, activity__number=7)
    pnp = Institution.objects.get(acronym="PNP")
    ExecutionReport.objects.create(part=reported, institution=pnp, month=1, executed=18)
    rows = csv_rows(export_plan_csv(plan_2010))
    put(rows, row_of(rows, "2.7"), "meta_anual", "250")
    import_plan(admin, "plan.csv", to_csv(rows))
    assert ExecutionReport.objects.get().part_id == reported.pk
    assert ActivityPart.objects.get(pk=reported.pk).goal == 250

    before = snapshot(plan_2010)
    del rows[row_of(rows, "2.7") - 1]
    with pytest.raises(ImportRejected) as info:
        import_plan(admin, "plan.csv", to_csv(rows))
    assert "activity 2.7 (PNP / MP) has 1 execution reports" in str(info.value)
    assert snapshot(plan_2010) == before
    assert ExecutionReport.objects.count() == 1


# --- committee plans -----------------------------------------------------------------

COMMITTEE_PLAN = [
    list(COLUMNS),
    ["2025", "150122", "district", "1", "Patrullaje integrado", "1", "Patrullaje con serenazgo"]
    + ["Patrullajes", "24", "PNP / Gobiernos Locales"]
    + ["2"] * 12,
    ["2025", "150122", "district", "1", "", "3", "Operativos en zonas de riesgo"]  # no 1.2
    + ["Operativos", "10", "PNP"]
    + ["1"] * 12,  # 12 programmed, goal 10
    ["2025", "150122", "district", "2", "Prevención", "", ""] + [""] * 15,  # no activities
]


def test_a_secretary_imports_their_committee_s_plan(secretary: User) -> None:
    plan = import_plan(secretary, "plan_miraflores.csv", to_csv(COMMITTEE_PLAN))
    miraflores = Committee.objects.get(level="district", ubigeo="150122")
    assert (plan.committee, plan.year, plan.status) == (miraflores, 2025, "draft")
    assert plan.title == f"Plan Distrital de Seguridad Ciudadana 2025 — {miraflores.name}"
    assert list(plan.strategies.values_list("number", "name")) == [
        (1, "Patrullaje integrado"),
        (2, "Prevención"),
    ]
    part = ActivityPart.objects.get(activity__strategy__plan=plan, activity__number=1)
    assert sorted(part.institutions.values_list("acronym", flat=True)) == ["GL", "PNP"]
    # A gap and months that do not add up are findings, not import errors.
    rules = {(f.activity, f.rule) for f in validate_plan(plan)}
    assert {("1.2", "numbering_gap"), ("1.3", "schedule_vs_goal")} <= rules
    audit = AuditEvent.objects.get(action=ACTION)
    assert (audit.actor, audit.territory_ubigeo, audit.before) == (secretary, "150122", None)
    assert (audit.after or {})["parts"] == 2 and (audit.after or {})["strategies"] == 2

    # Exported, every row names its strategy.
    expected = [list(r) for r in COMMITTEE_PLAN]
    expected[2][COLUMNS.index("estrategia_nombre")] = "Patrullaje integrado"
    assert csv_rows(export_plan_csv(plan)) == expected
    assert file_name_for(plan, "csv") == "plan_2025_district_150122.csv"
    import_plan(secretary, "plan_miraflores.csv", export_plan(plan))
    assert AuditEvent.objects.filter(action=ACTION).count() == 1


def test_a_committee_workbook_may_write_the_ubigeo_as_a_number_and_the_level_as_acronym(
    admin: User,
) -> None:
    rows: list[list[object]] = [list(COLUMNS)]
    rows.append([2025, 7, "CORESEC", 1, "Estrategia", 1, "Actividad", "Eventos", 2, "PNP"])
    rows[1] += [1, None, None, None, None, None, "?", None, None, None, None, 1]
    plan = import_plan(admin, "callao.xlsx", xlsx_bytes(rows))  # 7: Callao lost its 0
    assert plan.committee == Committee.objects.get(level="regional", ubigeo="07")
    part = ActivityPart.objects.get(activity__strategy__plan=plan)
    assert part.programmed == [1, 0, 0, 0, 0, 0, None, 0, 0, 0, 0, 1]


def test_a_secretary_cannot_import_another_committee_s_plan_or_the_national_one(
    regional_secretary: User, secretary: User, focal_point: User, plan_2010: Plan
) -> None:
    before = snapshot(plan_2010)
    with pytest.raises(AccessDenied):
        import_plan(regional_secretary, "plan.csv", to_csv(COMMITTEE_PLAN))
    with pytest.raises(AccessDenied):
        import_plan(focal_point, "plan.csv", to_csv(COMMITTEE_PLAN))
    rows = csv_rows(export_plan_csv(plan_2010))
    put(rows, 2, "meta_anual", "9")
    with pytest.raises(AccessDenied):
        import_plan(secretary, "plan.csv", to_csv(rows))
    assert list(Plan.objects.all()) == [plan_2010]
    assert snapshot(plan_2010) == before
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_it_rejects_a_committee_that_does_not_exist(admin: User) -> None:
    rows = [list(r) for r in COMMITTEE_PLAN]
    for row in rows[1:]:
        row[1] = "150101"  # Lima district: the capital has no CODISEC
    problems = rejected(admin, to_csv(rows))
    assert [(p.row, p.column) for p in problems] == [(2, "comite_ubigeo")]
    assert "there is no CODISEC with ubigeo 150101" in problems[0].reason
