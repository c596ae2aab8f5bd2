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


def synth_charts(figures: Mapping[str, Any]) -> tuple[Chart, Chart]:
    """The barrio beside its synthetic control on one scale, and the gap between them
    (barrio minus control, around zero), both with the launch month marked."""
    result = figures["result"]
    months = list(figures["months"])
    launch = result["launch_index"]
    marker = Marker(launch, _("launch")) if 0 <= launch < len(months) else None
    common: dict[str, Any] = {
        "x_label": _("Month"),
        "unit": _("incidents"),
        "categories": months,
        "marker": marker,
        "decimals": 2,
    }
    levels = Chart(
        id="synth-levels",
        title=_("The barrio and its synthetic control"),
        y_label=_("Incidents per month"),
        series=[
            Series("barrio", _("Barrio"), [round(v, 2) for v in result["treated"]], "#b3261e"),
            Series(
                "synthetic",
                _("Synthetic control"),
                [round(v, 2) for v in result["synthetic"]],
                "#0b5394",
            ),
        ],
        file_name="control_sintetico",
        **common,
    )
    gap = Chart(
        id="synth-gap",
        title=_("Gap: barrio minus synthetic control"),
        y_label=_("Difference per month"),
        series=[Series("gap", _("Gap"), [round(v, 2) for v in result["gap"]], "#1e7b34")],
        file_name="control_sintetico_brecha",
        **common,
    )
    return levels, gap
