"""The robust staggered DiD over the barrios in the database (the function, the command
with --estimator, the page) and the upload page for any panel file."""

from __future__ import annotations

import io
import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sinasec.analytics.evaluation.panel import simulate_dynamic_panel
from sinasec.barrios.evaluation.panels import barrio_report
from sinasec.barrios.models import Barrio
from sinasec.barrios.tests import monitoring_data as data
from sinasec.incidents import IncidentStore

EFFECT, MONTHS = -8.0, 24


def _barrios_and_store(tmp_path: Path) -> tuple[list[Barrio], IncidentStore]:
    """Twelve barrios, six launched in waves with a known effect, one launched before
    the window (left out: no month before its launch), one without a boundary."""
    rng = np.random.default_rng(20261203)
    launches = [8, 8, 12, 12, 16, 16, None, None, None, None, None, None]
    barrios, incidents = [], []
    for i, launch in enumerate(launches):
        dx, dy = 1_500.0 * (i % 4) - 2_000.0, 1_500.0 * (i // 4) - 2_000.0
        launched_on = None if launch is None else date(2023 + launch // 12, launch % 12 + 1, 5)
        barrios.append(data.barrio(f"B{i}", dx, dy, launched_on=launched_on))
        level = 25.0 + rng.normal(0, 4)
        for t in range(MONTHS):
            mean = (
                level + 3 * math.sin(t / 3) + (EFFECT if launch is not None and t >= launch else 0)
            )
            day = date(2023 + t // 12, t % 12 + 1, 1)
            for _k in range(int(rng.poisson(mean))):
                ox, oy = rng.uniform(-0.45, 0.45, 2) * data.SIDE_M
                incidents.append((day, dx + ox, dy + oy))
    barrios.append(data.barrio("Ya lanzado", 4_000.0, 4_000.0, launched_on=date(2022, 5, 1)))
    barrios.append(data.barrio("Sin límite", None, launched_on=date(2023, 6, 1)))
    return barrios, data.write_store(tmp_path, incidents)


def test_the_barrio_panel_recovers_the_launch_effect(db: None, tmp_path: Path) -> None:
    barrios, store = _barrios_and_store(tmp_path)
    report = barrio_report(barrios, store, "2023-01", "2024-12")
    assert report["n_units"] == 12 and report["n_periods"] == MONTHS
    assert report["cohorts"] == {"0": 6, "9": 2, "13": 2, "17": 2}  # months numbered from 1
    assert {e["reason"] for e in report["excluded"]} == {"no_boundary", "no_pre_launch_months"}
    assert report["ci_low"] < EFFECT < report["ci_high"]
    json.dumps(report)


def test_the_command_runs_the_estimators_on_the_barrios(db: None, tmp_path: Path, settings) -> None:
    _barrios, store = _barrios_and_store(tmp_path)
    settings.INCIDENTS_DIR = store.root
    out = io.StringIO()
    call_command(
        "barrios", "did", "--from", "2023-01", "--to", "2024-12", "--estimator", "sun-abraham",
        "--format", "json", stdout=out,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["estimator"] == "sun-abraham"
    assert report["ci_low"] < EFFECT < report["ci_high"]


def test_the_barrios_page_shows_the_estimate_chart_and_decomposition(
    analyst: User, tmp_path: Path, settings
) -> None:
    _barrios, store = _barrios_and_store(tmp_path)
    settings.INCIDENTS_DIR = store.root
    client = Client()
    client.force_login(analyst)
    query = {"estimator": "callaway-santanna", "control": "not-yet"}
    response = client.get(reverse("barrios:did"), {**query, "desde": "2023-01", "hasta": "2024-12"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="did-result"' in text and 'data-control="not-yet"' in text
    assert 'id="did-chart-data"' in text and "did-chart.js" in text
    assert 'data-testid="decomposition"' in text
    assert "Diferencias en diferencias escalonadas" in text  # Spanish first
    default = client.get(reverse("barrios:did"))  # the store's last months, CS
    assert 'data-estimator="callaway-santanna"' in default.content.decode()


def _panel_csv(columns: dict) -> bytes:
    table = pa.table(
        {
            "distrito": [f"D{u:03d}" for u in columns["unit"]],
            "anio": columns["period"],
            "delitos": columns["outcome"],
            "inicio": columns["first_treated"],
        }
    )
    sink = io.BytesIO()
    pa_csv.write_csv(table, sink)
    return sink.getvalue()


FIELDS = {"unit": "distrito", "time": "anio", "outcome": "delitos", "first_treated": "inicio"}


def test_the_upload_page_estimates_a_panel_file(observatory_analyst: User) -> None:
    columns, _truth = simulate_dynamic_panel(200, 10, {4: 1.0, 7: 0.5}, seed=5)
    client = Client()
    client.force_login(observatory_analyst)
    assert client.get(reverse("barrios:did_upload")).status_code == 200
    upload = SimpleUploadedFile("panel.csv", _panel_csv(columns), content_type="text/csv")
    response = client.post(
        reverse("barrios:did_upload"),
        {**FIELDS, "panel": upload, "estimator": "twfe", "control": "never"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-estimator="twfe"' in text and 'data-forbidden="true"' in text
    assert 'id="did-chart-data"' in text


def test_the_upload_page_refuses_a_bad_panel_in_spanish(analyst: User) -> None:
    body = b"distrito,anio,delitos,inicio\nA,1,1,2\nA,2,2,3\nB,1,1,0\nB,2,1,0\n"
    client = Client()
    client.force_login(analyst)
    response = client.post(
        reverse("barrios:did_upload"),
        {**FIELDS, "panel": SimpleUploadedFile("p.csv", body), "estimator": "callaway-santanna",
         "control": "never"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "la unidad A tiene más de un primer periodo tratado" in response.content.decode()


@pytest.mark.parametrize("name", ["secretary", "focal_point"])
def test_the_evaluation_pages_are_for_national_staff(request, name: str) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("barrios:did_upload")).status_code == 403
    assert client.get(reverse("barrios:did")).status_code == 403
