"""The public dashboard's charts: the yearly trend and each survey's waves."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sinasec.core.charts import Chart, Series
from sinasec.observatory.dashboard import Filters, TrendPoint
from sinasec.observatory.types import SurveySeries


def trend_chart(trend: list[TrendPoint], filters: Filters) -> Chart:
    """Yearly totals; a year without a figure stays a gap, not a zero."""
    where = filters.territory or "pe"
    return Chart(
        id="trend",
        title=_("Crimes recorded per year"),
        x_label=_("Year"),
        y_label=_("Crimes recorded"),
        unit=_("crimes"),
        categories=[str(p.year) for p in trend],
        series=[Series("count", _("Crimes recorded"), [p.count for p in trend], "#b3261e")],
        file_name=f"tendencia_{where}{'_' + filters.category if filters.category else ''}",
    )


def survey_chart(series: SurveySeries) -> Chart | None:
    """A survey's percentage per wave with its 95 % Wilson interval, on 0-100 %."""
    waves = series["waves"]
    if not waves:
        return None
    return Chart(
        id=f"survey-{series['indicator']}",
        title=series["question"],
        x_label=_("Survey wave"),
        y_label=_("Share of respondents"),
        unit="%",
        categories=[w["label"] for w in waves],
        series=[
            Series(
                "pct",
                series["answer"],
                [w["pct"] for w in waves],
                "#0b5394",
                low=[w["ci_low"] for w in waves],
                high=[w["ci_high"] for w in waves],
                low_name=_("Lower bound of the interval"),
                high_name=_("Upper bound of the interval"),
            ),
        ],
        file_name=f"encuesta_{series['indicator']}",
        y_max=100,
        decimals=1,
    )
