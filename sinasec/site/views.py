from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinasec.catalog.models import Service, ServiceType
from sinasec.institutions.models import Institution
from sinasec.territories import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/home.html",
        {
            "summary": selectors.summary(),
            "institutions": Institution.objects.filter(successor__isnull=True).count(),
            "service_types": ServiceType.objects.count(),
            "services": Service.objects.count(),
        },
    )
