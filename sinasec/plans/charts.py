"""The progress page's chart: programmed and approved execution per month."""

from __future__ import annotations

from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sinasec.core.charts import Chart, Series
from sinasec.plans.evaluation import Line


def month_chart(plan_id: int, year: int, months: list[Line]) -> Chart:
    """Bars of each month's programmed units (the schedule, due or not) and the units
    executed in approved reports; the units are the activities' own, added up."""
    return Chart(
        id=f"plan-{plan_id}-by-month",
        title=_("Programmed and executed per month"),
        x_label=_("Month"),
        y_label=_("Programmed or executed"),
        unit=_("units of measure"),
        categories=[str(capfirst(MONTHS_3[i + 1])) for i in range(len(months))],
        series=[
            Series(
                "programmed",
                _("Programmed"),
                [m.goal or 0 for m in months],
                "#8a96a3",
                kind="bar",
            ),
            Series(
                "executed",
                _("Executed (approved)"),
                [m.executed for m in months],
                "#1e7b34",
                kind="bar",
            ),
        ],
        file_name=f"avance_por_mes_{year}_{plan_id}",
    )
