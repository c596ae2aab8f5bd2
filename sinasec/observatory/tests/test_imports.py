"""Imports of aggregated counts: SIDPOL monthly files and published tables."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sinasec.core.errors import AccessDenied, ImportRejected
from sinasec.observatory.indicators import indicators
from sinasec.observatory.models import CrimeCount
from sinasec.observatory.services import import_sidpol, import_table

pytestmark = pytest.mark.django_db
HEADER = "ANIO,MES,DPTO_HECHO_NEW,PROV_HECHO,DIST_HECHO,UBIGEO_HECHO,P_MODALIDADES,cantidad\n"
GOOD = (
    HEADER
    + "2024,1,LIMA METROPOLITANA,LIMA,MIRAFLORES,150122,ROBO,40\n"
    + "2024,1,LIMA METROPOLITANA,LIMA,MIRAFLORES,150122,HURTO AGRAVADO,60\n"
    + "2024,1,PROV. CONST. DEL CALLAO,CALLAO,BELLAVISTA,70102,EXTORSION,5\n"
    + "2024,1,REGION LIMA,HUAURA,HUACHO,150801,ESTAFA,7\n"
    + "2024,1,AMAZONAS,CHACHAPOYAS,CHACHAPOYAS,10101,COBRO INDEBIDO,3\n"
)


def test_it_imports_sidpol_with_lost_zeros_and_lima_s_two_regions(admin: User) -> None:
    result = import_sidpol(admin, "sidpol.csv", GOOD.encode())
    assert (result.rows, result.created) == (5, 5)
    callao = CrimeCount.objects.get(territory_id="070102")
    assert (callao.category.code, callao.count) == ("extorsion", 5)  # type: ignore[union-attr]
    unknown = CrimeCount.objects.get(territory_id="010101")
    assert unknown.category.code == "otros" and unknown.modality == "COBRO INDEBIDO"  # type: ignore[union-attr]
    again = import_sidpol(admin, "sidpol.csv", GOOD.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    data = indicators(2024, "district")
    assert data["national_total"] == 115 and data["territories"][0]["ubigeo"] == "150122"
    robberies = indicators(2024, "department", category="robo")
    assert robberies["national_total"] == 40


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("2024,1,LIMA METROPOLITANA,LIMA,X,150199,ROBO,4\n", "UBIGEO_HECHO"),
        ("2024,13,LIMA METROPOLITANA,LIMA,MIRAFLORES,150122,ROBO,4\n", "MES"),
        ("2024,1,REGION LIMA,LIMA,MIRAFLORES,150122,ROBO,4\n", "DPTO_HECHO_NEW"),
        ("2024,1,LIMA METROPOLITANA,LIMA,MIRAFLORES,150122,ROBO,muchos\n", "cantidad"),
        ("2024,1,LIMA METROPOLITANA,LIMA,MIRAFLORES,150122,ROBO,40\n", "P_MODALIDADES"),
    ],
)
def test_it_rejects_a_bad_sidpol_row_and_writes_nothing(
    admin: User, line: str, column: str
) -> None:
    with pytest.raises(ImportRejected) as info:
        import_sidpol(admin, "sidpol.csv", (GOOD + line).encode())
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (7, column)
    assert CrimeCount.objects.count() == 0


def test_it_rejects_a_file_without_a_column_and_non_admins(admin: User, analyst: User) -> None:
    with pytest.raises(ImportRejected):
        import_sidpol(admin, "sidpol.csv", GOOD.replace("cantidad", "total").encode())
    with pytest.raises(AccessDenied):
        import_sidpol(analyst, "sidpol.csv", GOOD.encode())
    assert CrimeCount.objects.count() == 0


def test_it_imports_a_published_table_keeping_its_total(admin: User, tmp_path: Path) -> None:
    table = (
        "DEPARTAMENTO;2007;2008\nTOTAL;144,203;151,560\nLIMA;67,832;67,768\nCALLAO;8,129;8,219\n"
    )
    path = tmp_path / "tabla4.csv"
    path.write_text(table, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "observatory", "import", str(path), "--kind", "table", "--source", "PNP", stdout=out
    )
    assert "6 rows, 6 created" in out.getvalue()
    data = indicators(2008, "department")
    assert data["national_total"] == 151_560 and data["listed_total"] == 67_768 + 8_219
    assert data["change_pct"] == 5.1
    bad = tmp_path / "malo.csv"
    bad.write_text("DEPARTAMENTO;2008\nATLANTIDA;5\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("observatory", "import", str(bad), "--kind", "table")
    assert "ATLANTIDA" in str(info.value) and info.value.returncode == 3
    with pytest.raises(ImportRejected):
        import_table(admin, "dup.csv", b"DEPARTAMENTO;2008\nLIMA;1\nLIMA;2\n")


def test_it_serves_the_same_figures_through_the_api(client: Client) -> None:
    from sinasec.observatory.services import load_seed_demo

    load_seed_demo()
    data = client.get("/api/v1/observatory/indicators", {"year": 2008}).json()
    assert data["national_total"] == 151_560 and data["territories"][0]["share_pct"] == 44.7
    survey = client.get("/api/v1/observatory/surveys/victimizacion").json()
    assert survey["changes"][-1]["significant"] is False
    assert client.get("/api/v1/observatory/surveys/nada").status_code == 404
    sections = {
        c["code"]: c["iccs_section"]
        for c in client.get("/api/v1/observatory/categories").json()["items"]
    }
    assert sections["robo"] == "04"
