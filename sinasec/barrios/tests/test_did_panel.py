"""``sinasec barrios did --panel``: any staggered panel file, the robust estimators on
it, and the bad panels refused in Spanish naming the unit or column."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sinasec.analytics.evaluation.panel import simulate_dynamic_panel
from sinasec.analytics.evaluation.robust import REPORT_KEYS

COHORTS = {4: 1.0, 6: 0.5, 8: 0.25}  # effects grow after launch, faster for early cohorts
COLUMNS = ["--unit", "distrito", "--time", "anio", "--outcome", "delitos"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("barrios", "did", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def simulated() -> tuple[dict[str, Any], dict[tuple[int, int], float]]:
    return simulate_dynamic_panel(400, 12, COHORTS, seed=11)


def _table(columns: dict[str, Any]) -> pa.Table:
    return pa.table(
        {
            "distrito": [f"D{u:03d}" for u in columns["unit"]],
            "anio": columns["period"],
            "delitos": columns["outcome"],
            "inicio": columns["first_treated"],
            "x": columns["x"],
        }
    )


def _csv(path: Path, table: pa.Table) -> str:
    pa_csv.write_csv(table, path)
    return str(path)


def _report(path: str, *extra: str) -> dict[str, Any]:
    return json.loads(
        run("--panel", path, *COLUMNS, "--first-treated", "inicio", *extra, "--format", "json")
    )


def test_it_recovers_the_truth_where_twfe_misses_it(tmp_path, simulated) -> None:
    columns, truth = simulated
    path = _csv(tmp_path / "panel.csv", _table(columns))
    cs = _report(path)
    assert tuple(cs) == REPORT_KEYS  # exactly the documented keys
    sizes = {int(g): n for g, n in cs["cohorts"].items()}
    assert sizes == {0: 100, 4: 100, 6: 100, 8: 100}
    weight = {cell: sizes[cell[0]] for cell in truth}
    true_att = sum(truth[c] * weight[c] for c in truth) / sum(weight.values())
    assert cs["ci_low"] <= true_att <= cs["ci_high"]
    twfe = _report(path, "--estimator", "twfe")
    assert not twfe["ci_low"] <= true_att <= twfe["ci_high"]
    sun = _report(path, "--estimator", "sun-abraham")
    assert sun["ci_low"] <= true_att <= sun["ci_high"]
    assert (cs["n_units"], cs["n_periods"]) == (400, 12)
    assert {"statistic", "df", "p_value"} <= set(cs["pretrend"])
    assert cs["event_time"][0].keys() == {"e", "att", "se"}


@pytest.mark.parametrize("control", ["never", "not-yet"])
def test_group_time_effects_equal_csdid(tmp_path, simulated, control) -> None:
    from csdid.att_gt import ATTgt  # test-only dependency: the independent implementation

    columns, _ = simulated
    table = _table(columns)
    path = str(tmp_path / "panel.parquet")
    pq.write_table(table, path)
    ours = _report(path, "--control", control)
    frame = table.to_pandas()
    frame["id"] = columns["unit"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = ATTgt(
            yname="delitos",
            tname="anio",
            idname="id",
            gname="inicio",
            data=frame,
            control_group="nevertreated" if control == "never" else "notyettreated",
        ).fit(est_method="reg", bstrap=False)
    expected = reference.results
    got = ours["group_time"]
    assert [(r["group"], r["time"]) for r in got] == list(
        zip(expected["group"], expected["year"], strict=True)
    )
    np.testing.assert_allclose([r["att"] for r in got], expected["att"], atol=1e-6, rtol=0)
    np.testing.assert_allclose([r["se"] for r in got], expected["se"], atol=1e-6, rtol=0)


def test_the_table_shows_the_decomposition(tmp_path, simulated) -> None:
    path = _csv(tmp_path / "panel.csv", _table(simulated[0]))
    text = run("--panel", path, *COLUMNS, "--first-treated", "inicio", "--covariates", "x")
    assert "Goodman-Bacon" in text and "forbidden" in text


def _small(tmp_path: Path, rows: list[tuple[str, int, float, Any]]) -> str:
    unit, year, y, start = zip(*rows, strict=True)
    table = pa.table({"distrito": unit, "anio": year, "delitos": y, "inicio": start})
    return _csv(tmp_path / "small.csv", table)


GOOD = [
    ("A", 1, 1.0, 2),
    ("A", 2, 2.0, 2),
    ("A", 3, 3.0, 2),
    ("B", 1, 1.0, 0),
    ("B", 2, 1.5, 0),
    ("B", 3, 2.0, 0),
]


@pytest.mark.parametrize(
    ("rows", "extra", "expected"),
    [
        (GOOD[:-1], [], "desbalanceado: la unidad B"),
        ([*GOOD[:2], ("A", 3, 3.0, 3), *GOOD[3:]], [], "la unidad A"),
        ([(u, t, y, 2) for u, t, y, _ in GOOD], [], "nunca"),
        (GOOD, ["--first-treated", "comienzo"], "comienzo"),
    ],
)
def test_bad_panels_are_refused_in_spanish(tmp_path, rows, extra, expected) -> None:
    path = _small(tmp_path, rows)
    options = ["--first-treated", "inicio", *extra] if extra else ["--first-treated", "inicio"]
    with pytest.raises(CommandError) as caught:
        run("--panel", path, *COLUMNS, *options)
    assert expected in str(caught.value)


def test_an_unbalanced_panel_is_estimated_when_allowed(tmp_path) -> None:
    rows = [*GOOD, ("C", 1, 0.0, 0), ("C", 2, 0.5, 0)]
    path = _small(tmp_path, rows)
    report = _report(path, "--allow-unbalanced")
    assert report["n_units"] == 3
    assert report["group_time"][-1]["att"] == pytest.approx((3.0 - 1.0) - (2.0 - 1.0))


def test_it_needs_the_columns_and_a_readable_file(tmp_path) -> None:
    with pytest.raises(CommandError, match="--time"):
        run("--panel", "x.csv", "--unit", "u")
    with pytest.raises(CommandError, match="No se puede leer"):
        run("--panel", str(tmp_path / "none.csv"), *COLUMNS, "--first-treated", "inicio")
