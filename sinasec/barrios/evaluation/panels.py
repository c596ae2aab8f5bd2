"""Any panel for the heterogeneity-robust staggered DiD (Callaway & Sant'Anna, Sun &
Abraham, TWFE with its Goodman-Bacon decomposition): read from a CSV or Parquet file
(:func:`read_panel`) or built from the barrios in the database (:func:`barrio_report`),
and estimated by :func:`sinasec.analytics.evaluation.robust.staggered_report`.

Errors are :class:`~sinasec.analytics.evaluation.staggered.PanelError`, translated by
:func:`sinasec.barrios.messages.error_text`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from sinasec.analytics.evaluation.robust import Estimator, staggered_report
from sinasec.analytics.evaluation.staggered import Control, PanelError, build_panel
from sinasec.analytics.monitoring import Month
from sinasec.barrios.evaluation.did import ExcludedBarrio, barrio_counts
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import describe_barrio
from sinasec.incidents import IncidentStore

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class PanelColumns:
    """Which columns of the file hold the unit, the period, the outcome, the first
    treated period (0 or empty: never treated) and the optional covariates."""

    unit: str
    time: str
    outcome: str
    first_treated: str
    covariates: tuple[str, ...] = field(default=())


def read_table(data: bytes, name: str, max_rows: int | None = None) -> pa.Table:
    """The table in a CSV or Parquet file (by its name's suffix). Refuses unreadable
    files and files with more than ``max_rows`` rows."""
    try:
        if name.lower().endswith(PARQUET_SUFFIXES):
            table = pq.read_table(io.BytesIO(data))
        else:
            table = pa_csv.read_csv(
                io.BytesIO(data), convert_options=pa_csv.ConvertOptions(strings_can_be_null=True)
            )
    except (pa.ArrowException, OSError, ValueError):
        raise PanelError("panel_unreadable", name=name) from None
    if max_rows is not None and table.num_rows > max_rows:
        raise PanelError("panel_too_many_rows", rows=table.num_rows, limit=max_rows)
    return table


def read_panel(
    data: bytes,
    name: str,
    columns: PanelColumns,
    *,
    allow_unbalanced: bool = False,
    max_rows: int | None = None,
) -> Any:
    """The :class:`~sinasec.analytics.evaluation.staggered.StaggeredPanel` in a CSV or
    Parquet file."""
    table = read_table(data, name, max_rows)
    wanted = [columns.unit, columns.time, columns.outcome, columns.first_treated]
    for column in [*wanted, *columns.covariates]:
        if column not in table.column_names:
            raise PanelError("panel_column_missing", column=column)
    values = {c: table.column(c).to_pylist() for c in [*wanted, *columns.covariates]}
    return build_panel(
        values[columns.unit],
        values[columns.time],
        values[columns.outcome],
        values[columns.first_treated],
        covariates={c: values[c] for c in columns.covariates} or None,
        allow_unbalanced=allow_unbalanced,
        columns={
            "unit": columns.unit,
            "period": columns.time,
            "outcome": columns.outcome,
            "first_treated": columns.first_treated,
        },
    )


def barrio_report(
    barrios: Sequence[Barrio],
    store: IncidentStore,
    start: date | Month | str,
    end: date | Month | str,
    *,
    estimator: Estimator = "callaway-santanna",
    control: Control = "never",
) -> dict[str, Any]:
    """The robust staggered DiD over the barrio x month panel of incidents: periods are
    the window's months numbered from 1, the cohort the launch month; barrios without a
    boundary, or launched in the window's first month or before it (no month before
    their launch), are left out and listed in ``excluded``. ``months`` labels the
    periods."""
    window, units, excluded = barrio_counts(barrios, store, start, end)
    kept = []
    by_id = {b.pk: b for b in barrios}
    for unit in units:
        if unit["start"] is not None and unit["start"] <= 0:
            excluded.append(
                ExcludedBarrio(**describe_barrio(by_id[unit["id"]]), reason="no_pre_launch_months")
            )
        else:
            kept.append(unit)
    panel = build_panel(
        [u["id"] for u in kept for _ in u["count"]],
        [t + 1 for u in kept for t in range(len(u["count"]))],
        [c for u in kept for c in u["count"]],
        [0 if u["start"] is None else u["start"] + 1 for u in kept for _ in u["count"]],
    )
    report = staggered_report(panel, estimator=estimator, control=control)
    return {**report, "months": window.labels, "excluded": excluded}
