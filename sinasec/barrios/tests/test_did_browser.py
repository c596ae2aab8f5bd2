"""The analyst uploads a panel file in real Chromium and the event-study chart is drawn
under the strict CSP: a point and a band per event time, the pre-period shaded."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from django.contrib.auth.models import User

from sinasec.analytics.evaluation.panel import simulate_dynamic_panel
from sinasec.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_sees_the_event_study_of_an_uploaded_panel(
    page, analyst: User, tmp_path: Path
) -> None:
    columns, _ = simulate_dynamic_panel(120, 8, {4: 1.0, 6: 0.5}, seed=2)
    path = tmp_path / "panel.csv"
    pa_csv.write_csv(
        pa.table({k: columns[k] for k in ("unit", "period", "outcome", "first_treated")}), path
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, analyst.username)
    page.goto(page.base + "/barrios/evaluacion/panel/")
    form = "[data-testid=did-upload-form]"
    page.set_input_files(f"{form} input[name=panel]", str(path))
    for name, column in {
        "unit": "unit",
        "time": "period",
        "outcome": "outcome",
        "first_treated": "first_treated",
    }.items():
        page.fill(f"{form} input[name={name}]", column)
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("[data-testid=event-chart-svg]")
    events = page.locator("[data-testid=event-table] tbody tr").count()
    assert page.locator("#did-chart circle[data-e]").count() == events
    assert page.locator("#did-chart line[data-band]").count() == events
    assert page.locator("[data-testid=pre-period]").count() == 1
    assert not errors, errors
