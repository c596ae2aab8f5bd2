"""The data behind the public dashboard: one function per panel, all from records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from sinasec.observatory.indicators import LEVEL_LENGTH, indicators, pick_source, survey_series
from sinasec.observatory.models import CrimeCategory, CrimeCount, Source, Survey


@dataclass(frozen=True)
class Filters:
    year: int | None
    level: str
    category: str | None
    territory: str | None  # a department ubigeo to focus on
    metric: str  # "count" or "rate"

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        years = available_years()
        raw_year = query.get("anio", "")
        year = (
            int(raw_year)
            if raw_year.isdigit() and int(raw_year) in years
            else (years[-1] if years else None)
        )
        level = query.get("nivel", "department")
        category = query.get("categoria") or None
        territory = query.get("territorio") or None
        return cls(
            year=year,
            level=level if level in LEVEL_LENGTH else "department",
            category=category
            if category and CrimeCategory.objects.filter(code=category).exists()
            else None,
            territory=territory
            if territory and territory.isdigit() and len(territory) == 2
            else None,
            metric="rate" if query.get("medida") == "rate" else "count",
        )


def available_years() -> list[int]:
    return sorted(set(CrimeCount.objects.values_list("year", flat=True)))


def table(filters: Filters) -> dict[str, Any]:
    """The indicators table, restricted to the focused department when one is chosen."""
    if filters.year is None:
        return {"territories": [], "national_total": None}
    data = indicators(filters.year, filters.level, filters.category)
    if filters.territory:
        data["territories"] = [
            t for t in data["territories"] if t["ubigeo"].startswith(filters.territory)
        ]
    return data


def trend(filters: Filters) -> list[dict[str, Any]]:
    """Yearly totals of the same source (the focused department's, or national)."""
    if filters.year is None:
        return []
    source: Source | None = pick_source(filters.year)
    rows = CrimeCount.objects.filter(source=source)
    if filters.category:
        rows = rows.filter(category__code=filters.category)
    if filters.territory:
        rows = rows.filter(territory__ubigeo__startswith=filters.territory)
        totals = dict(rows.values_list("year").annotate(n=Sum("count")).order_by())
    else:
        published = dict(
            rows.filter(scope="PE").values_list("year").annotate(n=Sum("count")).order_by()
        )
        summed = dict(
            rows.filter(territory__isnull=False)
            .values_list("year")
            .annotate(n=Sum("count"))
            .order_by()
        )
        totals = {y: published.get(y, summed.get(y)) for y in set(published) | set(summed)}
    return [{"year": y, "count": totals[y]} for y in sorted(totals)]


def surveys() -> list[dict[str, Any]]:
    return [survey_series(code) for code in Survey.objects.values_list("code", flat=True)]


def line_chart(
    points: list[tuple[float, float]], width: int = 560, height: int = 160
) -> dict[str, Any]:
    """Scale (x, y) points to an SVG box: the polyline string and the axis extremes."""
    if not points:
        return {"points": "", "width": width, "height": height, "ymax": 0, "xs": []}
    xs = [p[0] for p in points]
    ymax = max(p[1] for p in points) or 1
    span = (max(xs) - min(xs)) or 1

    def x(v: float) -> float:
        return (v - min(xs)) * width / span

    def y(v: float) -> float:
        return height - v * height / ymax

    return {
        "points": " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in points),
        "dots": [
            {"x": round(x(a), 1), "y": round(y(b), 1), "label": f"{int(a)}: {b:,.0f}"}
            for a, b in points
        ],
        "width": width,
        "height": height,
        "ymax": ymax,
    }


def survey_chart(series: dict[str, Any], width: int = 560, height: int = 160) -> dict[str, Any]:
    """A survey's percentages with their 95 % Wilson band, on a 0-100 scale."""
    waves = series["waves"]
    if not waves:
        return {}
    years = [w["year"] for w in waves]
    span = (max(years) - min(years)) or 1

    def x(year: int) -> float:
        return (year - min(years)) * width / span

    def y(value: float) -> float:
        return height - value * height / 100

    upper = [f"{x(w['year']):.1f},{y(w['ci_high']):.1f}" for w in waves]
    lower = [f"{x(w['year']):.1f},{y(w['ci_low']):.1f}" for w in reversed(waves)]
    return {
        "band": " ".join(upper + lower),
        "line": " ".join(f"{x(w['year']):.1f},{y(w['pct']):.1f}" for w in waves),
        "dots": [
            {
                "x": round(x(w["year"]), 1),
                "y": round(y(w["pct"]), 1),
                "label": f"{w['label']}: {w['pct']} % [{w['ci_low']}, {w['ci_high']}] n={w['n']}",
            }
            for w in waves
        ],
        "width": width,
        "height": height,
    }
