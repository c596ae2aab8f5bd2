"""The JSON API, mounted at /api/v1/ with its OpenAPI schema and docs page.

Each app contributes a router; errors raised by services get one meaning here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from sinasec import __version__
from sinasec.core.errors import AccessDenied, EditConflict, ImportRejected

api = NinjaAPI(
    title="SINASEC API",
    version=__version__,
    description=(
        "API del Sistema de Información del SINASEC. Lecturas públicas de datos de "
        "referencia; escrituras con sesión iniciada y según el alcance del usuario."
    ),
    urls_namespace="api",
)


@api.exception_handler(AccessDenied)
def access_denied(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
    status = 403 if request.user.is_authenticated else 401
    return api.create_response(request, {"detail": str(exc)}, status=status)


@api.exception_handler(ImportRejected)
def import_rejected(request: HttpRequest, exc: ImportRejected) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _("The file was rejected; nothing was saved."),
            "problems": [p.as_dict() for p in exc.problems],
        },
        status=422,
    )


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(EditConflict)
def edit_conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    body = {"detail": str(exc), "your_version": exc.expected, "current_version": exc.current}
    return api.create_response(request, body, status=409)


def _mount() -> None:
    from sinasec.accounts.api import router as accounts_router
    from sinasec.audit.api import router as audit_router
    from sinasec.barrios.api import router as barrios_router
    from sinasec.catalog.api import router as catalog_router
    from sinasec.committees.api import router as committees_router
    from sinasec.institutions.api import router as institutions_router
    from sinasec.observatory.api import router as observatory_router
    from sinasec.people.api import router as tokens_router
    from sinasec.plans.api import router as plans_router
    from sinasec.territories.api import router as territories_router

    api.add_router("/territories", territories_router)
    api.add_router("/institutions", institutions_router)
    api.add_router("/services", catalog_router)
    api.add_router("/committees", committees_router)
    api.add_router("/observatory", observatory_router)
    api.add_router("/plans", plans_router)
    api.add_router("/barrios", barrios_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/accounts/tokens", tokens_router)
    api.add_router("/audit", audit_router)


_mount()
__all__ = ["api"]
