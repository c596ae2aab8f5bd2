from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sinasec.catalog.models import Service, ServiceType
from sinasec.committees.access import can_read_registry
from sinasec.institutions.models import Institution
from sinasec.site.start import start_page
from sinasec.territories import selectors


def home(request: HttpRequest) -> HttpResponse:
    """Each reader's start page (``site/start.py``), then the reference modules."""
    return render(
        request,
        "site/home.html",
        {
            **start_page(request.user, timezone.localdate()),
            "can_read_registry": can_read_registry(request.user),
            "summary": selectors.summary(),
            "institutions": Institution.objects.filter(successor__isnull=True).count(),
            "service_types": ServiceType.objects.count(),
            "services": Service.objects.count(),
        },
    )
