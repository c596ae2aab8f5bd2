"""The pages every app shares for a refused request: a bad parameter (400) and a request
over the size limit (413), with the reason in the user's language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def too_large_reason() -> str:
    return _("The request is larger than the limit of %(mb)d MB; nothing was saved.") % {
        "mb": settings.MAX_UPLOAD_MB
    }


def refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    """The refusal as the caller reads it: JSON for the API, a page for a browser."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=status)
    return render(request, "core/refused.html", {"reason": reason}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 handler. A view's ``BadRequest`` says why (a parameter out of range);
    any other suspicious request gets no detail."""
    if isinstance(exception, RequestDataTooBig):
        return refused(request, too_large_reason(), 413)
    if type(exception) is BadRequest and exception.args:
        return refused(request, str(exception), 400)
    return refused(request, _("The request could not be understood."), 400)
