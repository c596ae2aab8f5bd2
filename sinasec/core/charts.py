"""The one description of a chart that every page hands to ``core/_chart.html``.

A view builds a :class:`Chart` (categories on the x axis, one or more series, units and
Spanish labels already translated); the template writes its :meth:`Chart.spec` as JSON
with ``json_script`` and renders the same figures as a table for screen readers;
``static/sinasec/charts.js`` draws it with Apache ECharts and offers the PNG and the CSV.
Numbers therefore reach the chart as JSON numbers, never through the locale's decimal
comma, and the CSV, the table and the chart show the same values because they all come
from :meth:`Chart.columns` and :meth:`Chart.rows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Number = int | float | None


@dataclass(frozen=True)
class Series:
    """One labelled series; ``low``/``high`` make a band around it (a confidence
    interval) that the chart shades and the table and CSV list as two more columns."""

    key: str
    name: str
    values: Sequence[Number]
    colour: str
    kind: str = "line"  # "line" or "bar"
    low: Sequence[Number] | None = None
    high: Sequence[Number] | None = None
    low_name: str = ""
    high_name: str = ""


@dataclass(frozen=True)
class Marker:
    """A vertical line at one category (a barrio's launch month)."""

    index: int
    label: str


@dataclass(frozen=True)
class Chart:
    """A chart over categories (months, years): ``x_label`` names the axis, ``y_label``
    says what is counted and ``unit`` its unit ("%", "incidentes")."""

    id: str
    title: str
    x_label: str
    y_label: str
    unit: str
    categories: Sequence[str]
    series: Sequence[Series]
    file_name: str
    marker: Marker | None = None
    y_max: float | None = None
    decimals: int = 0

    @property
    def json_id(self) -> str:
        return f"{self.id}-data"

    @property
    def points(self) -> int:
        """How many known values the series hold (what a test expects drawn)."""
        return sum(v is not None for s in self.series for v in s.values)

    def columns(self) -> list[str]:
        """The table's and the CSV's header: the category, then each series (and its
        band's bounds)."""
        header = [self.x_label]
        for s in self.series:
            header.append(s.name)
            if s.low is not None and s.high is not None:
                header += [s.low_name, s.high_name]
        return header

    def rows(self) -> list[list[Any]]:
        """One row per category, the values in the order of :meth:`columns`."""
        rows: list[list[Any]] = []
        for i, category in enumerate(self.categories):
            row: list[Any] = [category]
            for s in self.series:
                row.append(s.values[i])
                if s.low is not None and s.high is not None:
                    row += [s.low[i], s.high[i]]
            rows.append(row)
        return rows

    def spec(self) -> dict[str, Any]:
        """What ``charts.js`` reads: JSON-safe, numbers as numbers."""
        return {
            "id": self.id,
            "title": self.title,
            "x_label": self.x_label,
            "y_label": self.y_label,
            "unit": self.unit,
            "categories": list(self.categories),
            "series": [
                {
                    "key": s.key,
                    "name": s.name,
                    "values": list(s.values),
                    "colour": s.colour,
                    "kind": s.kind,
                    "low": list(s.low) if s.low is not None else None,
                    "high": list(s.high) if s.high is not None else None,
                }
                for s in self.series
            ],
            "marker": {"index": self.marker.index, "label": self.marker.label}
            if self.marker
            else None,
            "y_max": self.y_max,
            "decimals": self.decimals,
            "file_name": self.file_name,
            "columns": self.columns(),
            "rows": self.rows(),
        }
