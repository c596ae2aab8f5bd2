"""The compliance page's chart: each indicator's share of committees, month by month."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext as _

from sinasec.committees.series import MonthFigures, figure_of
from sinasec.core.charts import Chart, Series

COLOURS = {
    "installed": "#1e7b34",
    "sworn": "#0b5394",
    "plan": "#b3261e",
    "secretary": "#f0b429",
}


def series_chart(
    series: list[MonthFigures], labels: Mapping[str, object], as_of: date, region: str | None
) -> Chart:
    """One line per indicator: the percentage of the committees in the registry at each
    month end that had done it (a gap where there was no committee yet)."""
    return Chart(
        id="compliance-series",
        title=_("Committees that comply at each month end"),
        x_label=_("Month"),
        y_label=_("Committees that comply"),
        unit="%",
        categories=[row["date"].strftime("%Y-%m") for row in series],
        series=[
            Series(key, str(label), [figure_of(row, key)["pct"] for row in series], COLOURS[key])
            for key, label in labels.items()
        ],
        file_name=f"cumplimiento_serie_{region or 'pe'}_{as_of:%Y-%m-%d}",
        y_max=100,
        decimals=1,
    )
