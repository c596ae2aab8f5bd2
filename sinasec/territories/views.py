"""Territory browser: regions > provinces > districts, with population and a map."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.core.errors import ImportRejected
from sinasec.core.filters import from_query, is_filtered
from sinasec.territories import selectors, services
from sinasec.territories.access import (
    can_import_territories,
    check_territories_write,
    get_region_for_user,
    get_territory_for_user,
)
from sinasec.territories.filters import TerritoryFilter, YearQuery
from sinasec.territories.models import Level, Territory


def _year(request: HttpRequest) -> int | None:
    return from_query(YearQuery, request.GET).year or selectors.latest_population_year()


def index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.regions_with_population(year)
    return render(
        request,
        "territories/index.html",
        {
            "rows": rows,
            "year": year,
            "total": selectors.population_total(year) if year else None,
            "summary": selectors.summary(),
            "geojson_url": reverse("api:territory_geojson_national"),
            "can_import": can_import_territories(request.user),
        },
    )


def region(request: HttpRequest, code: str) -> HttpResponse:
    item = get_region_for_user(request.user, code)
    year = _year(request)
    return render(
        request,
        "territories/region.html",
        {
            "region": item,
            "year": year,
            "population": selectors.population_total(year, region=item.code) if year else None,
            "rows": selectors.rows_with_population(selectors.region_children(item), year),
            "geojson_url": reverse("api:territory_geojson_region", args=[item.code]),
        },
    )


def territory(request: HttpRequest, ubigeo: str) -> HttpResponse:
    item = get_territory_for_user(request.user, ubigeo)
    year = _year(request)
    lineage: list[Territory] = []
    parent = item.parent
    while parent is not None:
        lineage.insert(0, parent)
        parent = parent.parent
    return render(
        request,
        "territories/detail.html",
        {
            "territory": item,
            "lineage": lineage,
            "year": year,
            "population": selectors.population_total(year, prefix=item.ubigeo) if year else None,
            "rows": selectors.rows_with_population(selectors.children(item), year),
            "has_boundary": hasattr(item, "boundary"),
            "geojson_url": reverse("api:territory_geojson", args=[item.ubigeo]),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    filters = from_query(TerritoryFilter, request.GET)
    results = (
        filters.filter(Territory.objects.select_related("parent", "region"))[:100]
        if is_filtered(filters)
        else []
    )
    partial = request.headers.get("HX-Request") == "true"
    template = "territories/_results.html" if partial else "territories/search.html"
    return render(
        request,
        template,
        {"results": results, "filters": filters, "levels": Level.choices},
    )


class PopulationForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=1900,
        max_value=2100,
        required=False,
        help_text=gettext_lazy("Leave empty when the file has a year (año) column."),
    )
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "Columns ubigeo and población: a ubigeo of 2, 4 or 6 digits is a department's, "
            "province's or district's estimate."
        ),
    )


class BoundariesForm(forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices)
    file = forms.FileField(label=gettext_lazy("GeoJSON file"))
    skip_unknown = forms.BooleanField(
        label=gettext_lazy("Skip codes that are not in the INEI list (they will be listed)"),
        required=False,
    )


@login_required
def import_files(request: HttpRequest) -> HttpResponse:
    check_territories_write(request.user)
    population_form = PopulationForm(prefix="pop")
    boundaries_form = BoundariesForm(prefix="geo")
    problems = None
    result = None
    if request.method == "POST":
        try:
            if "pop-year" in request.POST:
                population_form = PopulationForm(request.POST, request.FILES, prefix="pop")
                if population_form.is_valid():
                    upload = population_form.cleaned_data["file"]
                    result = services.import_population(
                        request.user,
                        upload.name,
                        upload.read(),
                        population_form.cleaned_data["year"],
                    )
            else:
                boundaries_form = BoundariesForm(request.POST, request.FILES, prefix="geo")
                if boundaries_form.is_valid():
                    upload = boundaries_form.cleaned_data["file"]
                    result = services.import_boundaries(
                        request.user,
                        upload.name,
                        upload.read(),
                        boundaries_form.cleaned_data["level"],
                        skip_unknown=boundaries_form.cleaned_data["skip_unknown"],
                    )
        except ImportRejected as exc:
            problems = exc.problems
        if result is not None:
            messages.success(
                request,
                _(
                    "%(file)s imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged."
                )
                % result.as_dict(),
            )
            for note in [*result.warnings, *result.skipped][:50]:
                messages.warning(request, str(note))
            return redirect("territories:import")
    return render(
        request,
        "territories/import.html",
        {
            "population_form": population_form,
            "boundaries_form": boundaries_form,
            "problems": problems,
        },
    )
