from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sinasec.catalog.models import Service, ServiceType
from sinasec.committees.access import can_read_registry
from sinasec.core.cache import cached_public_page
from sinasec.institutions.models import Institution
from sinasec.site.start import start_page
from sinasec.territories import selectors


# The public start page (the one a news-driven spike hits) shows compliance, the
# observatory's highlights and the territory summary: cached until one of those changes.
# The institution and service counts come from reference lists loaded with the release;
# they may lag an edit by SINASEC_PAGE_CACHE_SECONDS at most.
@cached_public_page("committees", "observatory", "territories")
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
