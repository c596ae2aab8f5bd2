from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinasec.audit.access import get_audit_events_for_user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    events = get_audit_events_for_user(request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/index.html", {"page": page})
