from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinasec.audit.access import get_audit_events_for_user
from sinasec.audit.filters import AuditEventFilter
from sinasec.core.filters import from_query


@login_required
def index(request: HttpRequest) -> HttpResponse:
    filters = from_query(AuditEventFilter, request.GET)
    events = filters.filter(get_audit_events_for_user(request.user))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode(filters.model_dump(exclude_none=True))
    return render(request, "audit/index.html", {"page": page, "filters": filters, "query": query})
