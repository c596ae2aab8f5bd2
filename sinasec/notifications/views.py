"""The signed-in person's notifications: the list (newest first), mark one or all as
read (POST), and the e-mail preferences per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.notifications import services
from sinasec.notifications.access import get_notifications_for_user
from sinasec.notifications.models import Kind
from sinasec.notifications.selectors import email_preferences

PER_PAGE = 25


@login_required
def index(request: HttpRequest) -> HttpResponse:
    notifications = get_notifications_for_user(request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/index.html", {"page": page})


@login_required
@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read; with ``open``, go on to what it links to."""
    notification = services.mark_read(request.user, notification_id)
    target = notification.link
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, None):
        return redirect(target)
    return redirect("notifications:index")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    messages.success(request, _("%d notifications marked as read.") % count)
    return redirect("notifications:index")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = {k for k in request.POST.getlist("email") if k in Kind.values}
        services.set_email_preferences(request.user, chosen)
        messages.success(request, _("Your preferences were saved."))
        return redirect("notifications:preferences")
    wanted = email_preferences(request.user)  # type: ignore[arg-type]
    kinds = [(value, label, wanted[value]) for value, label in Kind.choices]
    return render(request, "notifications/preferences.html", {"kinds": kinds})
