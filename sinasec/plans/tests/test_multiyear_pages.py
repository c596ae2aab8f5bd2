"""Multi-year plans through the pages, the API and the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from sinasec.conftest import login
from sinasec.institutions.models import Institution
from sinasec.plans.models import ActivityPart, Plan
from sinasec.plans.tests.multiyear_support import committee, programme_csv

pytestmark = pytest.mark.django_db
API = "/api/v1/plans"
JSON = "application/json"
S1 = "anio=2024&semestre=1"


def report_through_the_api(client: Client, plan: Plan, per_month: int) -> None:
    part = ActivityPart.objects.get(activity__strategy__plan=plan)
    pnp = Institution.objects.get(acronym="PNP").pk
    for month in range(1, 7):
        body = {"part": part.pk, "institution": pnp, "month": month, "executed": per_month}
        saved = client.put(f"{API}/{plan.pk}/execution", {**body, "version": 0}, content_type=JSON)
        assert saved.status_code == 200, saved.content
        report = saved.json()
        for verb in ("submit", "approve"):
            done = client.post(
                f"{API}/{plan.pk}/execution/{report['id']}/{verb}",
                {"version": report["version"]},
                content_type=JSON,
            )
            assert done.status_code == 200, done.content
            report = done.json()


def test_it_runs_the_done_when_scenario_through_pages_and_api(
    client: Client, secretary: User
) -> None:
    login(client, secretary)
    started = client.post(
        "/planes/plurianual/",
        {"nivel": "district", "ubigeo": "150122", "desde": "2024", "hasta": "2027"},
    )
    assert started.status_code == 302
    upload = SimpleUploadedFile("padsc_2024.csv", programme_csv(2024), "text/csv")
    assert client.post("/planes/importar/", {"file": upload}).status_code == 302
    plan = Plan.objects.get(committee=committee("150122"), year=2024)
    years = client.get(f"/planes/{plan.pk}/anios/").content.decode()
    assert "2024-2027" in years and 'data-testid="copy-forward"' in years
    copied = client.post(f"/planes/{plan.pk}/copiar/")
    assert copied.status_code == 302
    plan_2025 = Plan.objects.get(committee=plan.committee, year=2025)
    assert copied["Location"] == f"/planes/{plan_2025.pk}/"
    assert (
        'data-testid="copy-forward"' not in client.get(f"/planes/{plan.pk}/anios/").content.decode()
    )

    report_through_the_api(client, plan, 6)  # 36 of 60: 60 %
    client.logout()
    page = client.get(f"/planes/ranking/?{S1}").content.decode()
    assert f'data-committee="{plan.committee_id}"' in page and 'data-flagged="1"' in page
    semesters = client.get(f"/planes/{plan.pk}/anios/").content.decode()
    assert 'data-period="2024-s1"' in semesters and "60,0" in semesters  # es-PE

    api = client.get(f"{API}/execution-ranking?{S1}").json()
    assert (api["threshold_pct"], api["flagged"]) == (75, 1)
    assert [(r["committee_id"], r["rate_pct"], r["flagged"], r["rank"]) for r in api["rows"]] == [
        (plan.committee_id, 60.0, True, 1)
    ]
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/planes/ranking/ranking.csv?{S1}").content.decode("utf-8-sig"))
        )
    )
    assert rows[0][6:] == ["tasa_pct", "bajo_umbral"] and rows[1][4:] == [
        "60",
        "36",
        "60.0",
        "True",
    ]
    book = load_workbook(io.BytesIO(client.get(f"/planes/ranking/ranking.xlsx?{S1}").content))
    assert [c.value for c in book.active[2]][4:] == [60, 36, 60, True]


def test_it_refuses_copy_and_start_outside_scope_and_bad_parameters(
    client: Client, secretary: User, regional_secretary: User
) -> None:
    login(client, secretary)
    client.post(
        "/planes/plurianual/",
        {"nivel": "district", "ubigeo": "150122", "desde": "2026", "hasta": "2027"},
    )
    plan = Plan.objects.get(committee=committee("150122"))
    login(client, regional_secretary)
    assert client.post(f"/planes/{plan.pk}/copiar/").status_code == 403
    assert client.post(f"{API}/{plan.pk}/copy-forward").status_code == 403
    refused = client.post(
        "/planes/plurianual/",
        {"nivel": "district", "ubigeo": "999999", "desde": "2026", "hasta": "2027"},
    )
    assert refused.status_code == 400 and 'data-testid="problems"' in refused.content.decode()
    assert client.get("/planes/ranking/?fecha=3000-01-01").status_code == 400
    assert client.get(f"{API}/execution-ranking?semestre=3").status_code == 422
    assert Plan.objects.count() == 1


def test_it_copies_forward_through_the_api(client: Client, secretary: User) -> None:
    login(client, secretary)
    client.post(
        "/planes/plurianual/",
        {"nivel": "district", "ubigeo": "150122", "desde": "2026", "hasta": "2027"},
    )
    plan = Plan.objects.get(committee=committee("150122"))
    answer = client.post(f"{API}/{plan.pk}/copy-forward")
    assert answer.status_code == 200
    assert (answer.json()["year"], answer.json()["start_year"], answer.json()["end_year"]) == (
        2027,
        2026,
        2027,
    )
    assert client.post(f"{API}/{plan.pk}/copy-forward").status_code == 422


def test_it_ranks_starts_and_copies_from_the_command_line(secretary: User) -> None:
    call_command(
        "plan", "start-multiyear", "--level", "district", "--ubigeo", "150122",
        "--from", "2026", "--to", "2027", "--as", secretary.username, stdout=io.StringIO(),
    )  # fmt: skip
    plan = Plan.objects.get(committee=committee("150122"))
    call_command(
        "plan", "copy-forward", str(plan.pk), "--as", secretary.username, stdout=io.StringIO()
    )
    with pytest.raises(CommandError):
        call_command("plan", "copy-forward", str(plan.pk), "--as", secretary.username)
    out = io.StringIO()
    call_command(
        "plans", "ranking", "--year", "2026", "--semester", "1", "--as-of", "2026-06-30",
        "--format", "json", stdout=out,
    )  # fmt: skip
    result = json.loads(out.getvalue())
    assert (result["period"], result["committees"], result["as_of"]) == (
        "semester",
        1,
        "2026-06-30",
    )
    assert result["rows"][0]["rate_pct"] is None  # an empty programme: nothing programmed
