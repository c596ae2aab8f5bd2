"""The monitoring page's charts: monthly incidents per area, the launch month marked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sinasec.core.charts import Chart, Marker, Series


def monitoring_chart(
    result: Mapping[str, Any],
    areas: tuple[str, ...],
    labels: Mapping[str, object],
    colours: Mapping[str, str],
    *,
    chart_id: str,
    title: str,
    file_name: str,
) -> Chart | None:
    """Monthly counts of the ``areas`` that have a series, on one scale; ``None`` when
    none has (no boundary, say)."""
    shown = [a for a in areas if result["areas"][a]["available"]]
    if not shown:
        return None
    months = list(result["months"])
    launch = result["launch_index"]
    return Chart(
        id=chart_id,
        title=title,
        x_label=_("Month"),
        y_label=_("Incidents per month"),
        unit=_("incidents"),
        categories=months,
        series=[
            Series(area, str(labels[area]), list(result["areas"][area]["count"]), colours[area])
            for area in shown
        ],
        file_name=file_name,
        marker=Marker(launch, _("launch"))
        if launch is not None and 0 <= launch < len(months)
        else None,
    )
