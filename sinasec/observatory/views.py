"""The public observatory dashboard (no login) and its open-data downloads."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.core.cache import cached_public_page
from sinasec.core.exports import (
    CSV_TYPE,
    PARQUET_TYPE,
    Column,
    attachment_response,
    csv_bytes,
    table_rows,
    wants_codes,
)
from sinasec.core.filters import from_query
from sinasec.incidents import IncidentStore
from sinasec.incidents.geocoding import CoordinateShare, coordinate_shares
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job
from sinasec.observatory import dashboard, selectors
from sinasec.observatory.access import can_import_crime_data, check_crime_data_write
from sinasec.observatory.charts import survey_chart, trend_chart
from sinasec.observatory.filters import CrimeFigureFilter
from sinasec.observatory.indicators import territory_hotspots
from sinasec.observatory.models import CrimeCategory
from sinasec.territories import selectors as territory_selectors
from sinasec.territories.models import Territory
from sinasec.territories.selectors import by_name

COLUMNS = ("rank", "ubigeo", "name", "count", "share_pct", "rate_per_100k", "population_year")
# The CSV's columns: the year, then COLUMNS, in words (or machine names on request).
CSV_COLUMNS = (
    Column("year", gettext_lazy("year")),
    Column("rank", gettext_lazy("rank")),
    Column("ubigeo", "ubigeo"),
    Column("name", gettext_lazy("name")),
    Column("count", gettext_lazy("crimes")),
    Column("share_pct", gettext_lazy("share (%)")),
    Column("rate_per_100k", gettext_lazy("rate per 100,000 inhabitants")),
    Column("population_year", gettext_lazy("population year")),
)


def _geojson_url(filters: dashboard.Filters) -> str:
    if filters.territory:
        return reverse("api:territory_geojson", args=[filters.territory])
    return reverse("api:territory_geojson_national")


def _filters(request: HttpRequest) -> dashboard.Filters:
    return dashboard.Filters.resolve(from_query(CrimeFigureFilter, request.GET))


@cached_public_page("observatory")
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
        "departments": by_name(Territory.objects.filter(level="department")),
        "trend": trend,
        "trend_chart": trend_chart(trend, filters),
        "surveys": [(s, survey_chart(s)) for s in dashboard.surveys()],
        "hotspots": territory_hotspots(filters.year, filters.level, filters.category)
        if filters.year
        else None,
        "geojson_url": _geojson_url(filters),
        "query": request.GET.urlencode(),
        "can_import": can_import_crime_data(request.user),
    }
    template = (
        "observatory/_panel.html"
        if request.headers.get("HX-Request") == "true"
        else "observatory/index.html"
    )
    return render(request, template, context)


DOWNLOAD_FORMATS = ("csv", "parquet")


@cached_public_page("observatory")
def download(request: HttpRequest, ext: str) -> HttpResponse:
    """The table shown, with the same filters, as CSV or Parquet (any other suffix: 404)."""
    if ext not in DOWNLOAD_FORMATS:
        raise Http404
    filters = _filters(request)
    data = dashboard.table(filters)
    rows = [[dict(t)[c] for c in COLUMNS] for t in data["territories"]]
    name = f"delitos_{filters.year}_{filters.level}{'_' + filters.territory if filters.territory else ''}"
    if data.get("is_demo"):
        name += "_DEMO_no_son_datos_reales"  # demo data says so wherever it goes
    if ext == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)})
        buffer = io.BytesIO()
        pq.write_table(
            table.append_column("year", pa.array([filters.year] * len(rows), pa.int16())), buffer
        )
        return attachment_response(buffer.getvalue(), f"{name}.parquet", PARQUET_TYPE)
    lines = table_rows(CSV_COLUMNS, ([filters.year, *row] for row in rows), wants_codes(request))
    content = csv_bytes(lines)
    return attachment_response(content, f"{name}.csv", CSV_TYPE)


INCIDENT_SUFFIXES = (".csv", ".parquet")


@login_required
def import_incidents(request: HttpRequest) -> HttpResponse:
    """Upload an incident file (CSV or Parquet): it is imported by the background worker
    and the page goes to the job, which shows its progress and result."""
    check_crime_data_write(request.user)
    error = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if isinstance(upload, UploadedFile):
        if not (upload.name or "").lower().endswith(INCIDENT_SUFFIXES):
            error = _("The file must be a CSV or Parquet file.")
        else:
            job = enqueue_job(request.user, Job.Kind.INCIDENTS_IMPORT, {}, file=upload)
            return redirect("jobs:detail", job.pk)
    return render(
        request,
        "observatory/import.html",
        {
            "error": error,
            "store": selectors.incident_store_summary(),
            "demo_incidents": selectors.demo_incident_count(),
        },
    )


def _coordinate_rows(request: HttpRequest) -> tuple[int | None, str, list[CoordinateShare]]:
    """The year and department asked (``anio``, ``territorio``) and their shares."""
    filters = from_query(CrimeFigureFilter, request.GET)
    years = [y for y, _m in IncidentStore(settings.INCIDENTS_DIR).partitions()]
    year = filters.year or (max(years) if years else None)
    prefix = filters.territory or ""
    if year is None:
        return None, prefix, []
    store = IncidentStore(settings.INCIDENTS_DIR)
    stations = territory_selectors.police_station_points(prefix)
    return year, prefix, coordinate_shares(store, year, prefix, stations=stations)


def coordinates(request: HttpRequest) -> HttpResponse:
    """Per district and month, the share of incidents with usable coordinates (not
    forced onto a police station or a centroid, not missing)."""
    year, prefix, rows = _coordinate_rows(request)
    names = dict(
        Territory.objects.filter(ubigeo__in={r["ubigeo"] for r in rows}).values_list(
            "ubigeo", "name"
        )
    )
    return render(
        request,
        "observatory/coordinates.html",
        {
            "year": year,
            "territory": prefix,
            "rows": [{**r, "name": names.get(r["ubigeo"], "")} for r in rows],
            "query": request.GET.urlencode(),
        },
    )


def coordinates_csv(request: HttpRequest) -> HttpResponse:
    year, prefix, rows = _coordinate_rows(request)
    columns = list(CoordinateShare.__annotations__)
    content = csv_bytes([columns, *([dict(r)[c] for c in columns] for r in rows)])
    name = f"coordenadas_{year or ''}{'_' + prefix if prefix else ''}.csv"
    return attachment_response(content, name, CSV_TYPE)
