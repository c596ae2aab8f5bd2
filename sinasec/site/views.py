from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sinasec.catalog.models import Service, ServiceType
from sinasec.committees.access import can_read_registry
from sinasec.core.cache import cached_public_page, generation
from sinasec.institutions.models import Institution
from sinasec.site.start import start_page
from sinasec.territories import selectors


def reference_counts() -> dict[str, Any]:
    """The reference modules' figures (ten queries), the same for every reader's start
    page: kept in the cache until the territories change (their generation is in the
    key), the institution and service counts for SINASEC_PAGE_CACHE_SECONDS at most, as
    on the cached public start page."""
    key = f"start:reference:{generation('territories')}"
    counts: dict[str, Any] | None = cache.get(key)
    if counts is None:
        counts = {
            "summary": selectors.summary(),
            "institutions": Institution.objects.filter(successor__isnull=True).count(),
            "service_types": ServiceType.objects.count(),
            "services": Service.objects.count(),
        }
        cache.set(key, counts, settings.PAGE_CACHE_SECONDS)
    return counts


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
            **reference_counts(),
        },
    )
