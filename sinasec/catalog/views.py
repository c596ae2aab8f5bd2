from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinasec.catalog import selectors
from sinasec.catalog.access import get_service_for_user


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/index.html", {"moments": selectors.by_moment()})


def detail(request: HttpRequest, number: int) -> HttpResponse:
    service = get_service_for_user(request.user, number)
    return render(
        request,
        "catalog/detail.html",
        {
            "service": service,
            "provisions": service.provisions.select_related("institution"),
            "type_providers": service.type.providers.all(),
        },
    )
