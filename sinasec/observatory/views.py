"""The public observatory dashboard (no login) and its open-data downloads."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sinasec.core.filters import from_query
from sinasec.observatory import dashboard
from sinasec.observatory.filters import CrimeFigureFilter
from sinasec.observatory.indicators import territory_hotspots
from sinasec.observatory.models import CrimeCategory
from sinasec.territories.models import Territory

COLUMNS = ("rank", "ubigeo", "name", "count", "share_pct", "rate_per_100k", "population_year")


def _geojson_url(filters: dashboard.Filters) -> str:
    if filters.territory:
        return reverse("api:territory_geojson", args=[filters.territory])
    return reverse("api:territory_geojson_national")


def _filters(request: HttpRequest) -> dashboard.Filters:
    return dashboard.Filters.resolve(from_query(CrimeFigureFilter, request.GET))


def index(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    data = dashboard.table(filters)
    trend = dashboard.trend(filters)
    values = {
        t["ubigeo"]: t["rate_per_100k"] if filters.metric == "rate" else t["count"]
        for t in data["territories"]
    }
    context = {
        "filters": filters,
        "data": data,
        "values": values,
        "years": dashboard.available_years(),
        "categories": CrimeCategory.objects.all(),
        "departments": Territory.objects.filter(level="department").order_by("name"),
        "trend": trend,
        "trend_chart": dashboard.line_chart([(p.year, p.count or 0) for p in trend]),
        "surveys": [(s, dashboard.survey_chart(s)) for s in dashboard.surveys()],
        "hotspots": territory_hotspots(filters.year, filters.level, filters.category)
        if filters.year
        else None,
        "geojson_url": _geojson_url(filters),
        "query": request.GET.urlencode(),
    }
    template = (
        "observatory/_panel.html"
        if request.headers.get("HX-Request") == "true"
        else "observatory/index.html"
    )
    return render(request, template, context)


def download(request: HttpRequest, ext: str) -> HttpResponse:
    """The table shown, with the same filters, as CSV or Parquet."""
    filters = _filters(request)
    data = dashboard.table(filters)
    rows = [[dict(t)[c] for c in COLUMNS] for t in data["territories"]]
    name = f"delitos_{filters.year}_{filters.level}{'_' + filters.territory if filters.territory else ''}"
    if ext == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)})
        buffer = io.BytesIO()
        pq.write_table(
            table.append_column("year", pa.array([filters.year] * len(rows), pa.int16())), buffer
        )
        response = HttpResponse(buffer.getvalue(), content_type="application/vnd.apache.parquet")
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["year", *COLUMNS])
        for row in rows:
            writer.writerow([filters.year, *row])
        response = HttpResponse(
            text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response
