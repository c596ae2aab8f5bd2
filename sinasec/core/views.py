"""The pages every app shares for a refused or failed request: a bad parameter (400), a
refused access or form (403), an unknown address (404), a request over the size limit
(413) and a server error (500), in the site's layout and the user's language (JSON under
``/api/``)."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from sinasec.core.requestlog import current_request_id


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


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 403 handler: the same page as a refused getter (AccessDeniedMiddleware)."""
    reason = _("You do not have access to this page.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=403)
    return render(request, "core/forbidden.html", {"reason": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (an old tab, a forged post): what to do now."""
    message = _(
        "The form could not be accepted: it expired or was sent from another site. "
        "Reload the page and try again; nothing was saved."
    )
    return render(request, "core/forbidden.html", {"reason": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "core/not_found.html", {"path": request.path}, status=404)


# The navigation of an anonymous visitor: the error page asks nothing of the database.
_NO_SCOPE = SimpleNamespace(is_public=True)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler. It renders with no context processor (they read the session,
    the user and their scope from the database, which may be what failed): the page
    shows the public navigation."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Internal server error.")}, status=500)
    template = loader.get_template("core/server_error.html")
    context = {"scope": _NO_SCOPE, "request_id": current_request_id()}
    return HttpResponse(template.render(context), status=500)
