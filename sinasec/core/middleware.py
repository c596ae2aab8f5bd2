from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sinasec.core.errors import AccessDenied
from sinasec.core.views import refused, too_large_reason


class AccessDeniedMiddleware:
    """Turn ``AccessDenied`` raised by a permission-checked getter into a 403 page.

    Views call ``get_<thing>_for_user`` and never check permissions themselves; this is
    the one place that decides what a refused request looks like.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AccessDenied):
            return None
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "core/forbidden.html",
            {"reason": str(exception) or _("You do not have access to this page.")},
            status=403,
        )


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is over ``SINASEC_MAX_UPLOAD_MB`` before anything
    reads it (Django's own limit, ``DATA_UPLOAD_MAX_MEMORY_SIZE``, leaves uploaded files
    out): a 413 with the limit, as a page or as the API's JSON. A path with a NUL
    character names nothing: a 404 before a database is asked."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_MB * 1024 * 1024:
            return refused(request, too_large_reason(), 413)
        if "\x00" in request.path:  # no object's key has one (PostgreSQL cannot compare it)
            return refused(request, _("Not found."), 404)
        return self.get_response(request)


def build_policy(config: dict[str, list[str]]) -> str:
    """``{"default-src": ["'self'"], ...}`` as a header value."""
    return "; ".join(" ".join([directive, *values]) for directive, values in config.items())


class ContentSecurityPolicyMiddleware:
    """``settings.SECURE_CSP`` as the Content-Security-Policy header of every response,
    for Django versions without ``django.middleware.csp`` (before 6.0). Like Django's, a
    view may set ``response._csp_config`` (see ``relaxed_csp``) and an existing header is
    kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        config = getattr(response, "_csp_config", None) or getattr(settings, "SECURE_CSP", None)
        if config and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = build_policy(config)
        return response
