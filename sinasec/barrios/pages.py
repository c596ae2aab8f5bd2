"""What the Barrio Seguro pages share: the filtered barrio list with its form, form and
service errors as messages, and the way back to a section of a barrio's page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from sinasec.barrios.access import get_barrios_for_user
from sinasec.barrios.filters import BarrioFilter, chosen
from sinasec.barrios.models import Barrio
from sinasec.barrios.registry.selectors import FilterOptions, filter_options
from sinasec.core.errors import EditConflict, ImportRejected
from sinasec.core.filters import from_query

LIST_FILTERS = ("status", "cohort", "region")  # the fields the pages' filter form shows


@dataclass(frozen=True)
class ListFilters:
    """The filter form of the registry and the matrix: what is chosen, the query string
    that keeps it across pages, and the options."""

    chosen: dict[str, str]
    query: str
    options: FilterOptions

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return self.options.statuses

    @property
    def cohorts(self) -> list[str]:
        return self.options.cohorts

    @property
    def regions(self) -> object:
        return self.options.regions


def filtered_barrios(request: HttpRequest) -> tuple[QuerySet[Barrio], ListFilters]:
    """The barrios the user reads, filtered by the page's query through ``BarrioFilter``
    (the API list's filter)."""
    barrios = get_barrios_for_user(request.user)
    filters = from_query(BarrioFilter, request.GET)
    values = chosen(filters)
    query = urlencode({k: v for k, v in values.items() if v})
    form = ListFilters({k: values[k] for k in LIST_FILTERS}, query, filter_options(barrios))
    return filters.filter(barrios), form


def form_errors(request: HttpRequest, form: Form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(map(str, errors))
        messages.error(request, f"{label}: {text}" if label else text)


def service_errors(request: HttpRequest, exc: ValidationError | ImportRejected) -> None:
    for text in exc.messages if isinstance(exc, ValidationError) else map(str, exc.problems):
        messages.error(request, text)


def opened_version(request: HttpRequest) -> int | None:
    """The record's version the page's form was opened at (``None``: not sent)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def back(barrio: Barrio, section: str = "") -> HttpResponse:
    """To the barrio's page, at a section."""
    response = redirect("barrios:detail", barrio_id=barrio.pk)
    if section:
        response["Location"] += f"#{section}"
    return response


def save_and_back(
    request: HttpRequest,
    barrio: Barrio,
    section: str,
    form: Form | None,
    write: Callable[[], object],
    success: str,
    on_conflict: Callable[[EditConflict], None] | None = None,
) -> HttpResponse:
    """A barrio page's form: the form's errors, or the service's refusal, or ``success``
    as messages; then back to the barrio's section. A conflict is said as is, or by
    ``on_conflict`` (which keeps what the user typed)."""
    if form is not None and not form.is_valid():
        form_errors(request, form)
        return back(barrio, section)
    try:
        write()
    except (ValidationError, ImportRejected) as exc:
        service_errors(request, exc)
    except EditConflict as exc:  # saved by someone else since the page was opened
        if on_conflict is None:
            messages.error(request, str(exc))
        else:
            on_conflict(exc)
    else:
        messages.success(request, success)
    return back(barrio, section)
