"""The JSON API, mounted at /api/v1/ with its OpenAPI schema and docs page.

Each app contributes a router; errors raised by services get one meaning here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputInvalid
from ninja.operation import Operation
from ninja.params.models import BodyModel
from ninja.security import APIKeyCookie

from sinasec import __version__
from sinasec.accounts.auth import user_or_public_auth
from sinasec.core.errors import AccessDenied, EditConflict, ImportRejected
from sinasec.core.params import ParamParser, translated_errors
from sinasec.core.schemas import ErrorOut, InvalidOut

api = NinjaAPI(
    title="SINASEC API",
    version=__version__,
    description=(
        "API del Sistema de Información del SINASEC. Lecturas públicas de datos de "
        "referencia; escrituras con sesión iniciada y según el alcance del usuario."
    ),
    urls_namespace="api",
    parser=ParamParser(),
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


@api.exception_handler(InputInvalid)
def input_invalid(request: HttpRequest, exc: InputInvalid) -> HttpResponse:
    """Ninja's 422 for a request its schema refuses, with the messages translated."""
    return api.create_response(request, {"detail": translated_errors(exc.errors)}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """The access getter's reason ("There is no committee 7."), else a plain one."""
    reason = str(exc) if exc.args else _("Not found.")
    return api.create_response(request, {"detail": reason}, status=404)


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals, in the user's language: no credentials (401), a session
    without its CSRF token (403), a body that is not JSON or has a NUL character (400)."""
    messages = {
        400: _("The request body could not be read: it is not valid JSON, or has a NUL."),
        401: _("Sign in or send an API token (Authorization: Bearer ...)."),
        403: _("The security check (CSRF) failed: send the CSRF token or use an API token."),
    }
    if isinstance(exc, AuthenticationError):
        detail = messages[401]
    else:
        detail = messages.get(exc.status_code, str(exc))
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC = user_or_public_auth[-1]  # the fallback that lets anyone in


def _declare_framework_answers(operation: Operation) -> None:
    """Declare the answers ninja itself gives before the endpoint runs, so that every
    status an operation can send is in its OpenAPI description (the fuzz checks it):
    422 when it has inputs, 400 when it reads a JSON body (413 over the size limit,
    ``core.middleware.RequestSizeLimitMiddleware``), 401 when it needs a user,
    403 when a session may call it without its CSRF token. An operation's own answers
    (403 from access, 404, 409, a service's 422) it declares itself."""
    declared = operation.response_models
    public = PUBLIC in operation.auth_callbacks
    body = any(issubclass(model, BodyModel) for model in operation.models)
    answers = {
        422: InvalidOut if operation.models else None,
        400: ErrorOut if body else None,
        413: ErrorOut if body else None,
        401: ErrorOut if operation.auth_callbacks and not public else None,
        403: ErrorOut
        if UNSAFE_METHODS & set(operation.methods)
        and any(isinstance(c, APIKeyCookie) and c.csrf for c in operation.auth_callbacks)
        else None,
    }
    for status, schema in answers.items():
        if schema is not None and status not in declared:
            declared[status] = operation._create_response_model(schema)


def _mount() -> None:
    from sinasec.accounts.api import router as accounts_router
    from sinasec.audit.api import router as audit_router
    from sinasec.barrios.api import router as barrios_router
    from sinasec.catalog.api import router as catalog_router
    from sinasec.committees.api import router as committees_router
    from sinasec.community.api import router as community_router
    from sinasec.institutions.api import router as institutions_router
    from sinasec.jobs.api import router as jobs_router
    from sinasec.meetings.api import router as meetings_router
    from sinasec.notifications.api import router as notifications_router
    from sinasec.observatory.api import router as observatory_router
    from sinasec.people.account_api import router as people_router
    from sinasec.people.api import router as tokens_router
    from sinasec.plans.api import router as plans_router
    from sinasec.territories.api import router as territories_router

    api.add_router("/territories", territories_router)
    api.add_router("/institutions", institutions_router)
    api.add_router("/services", catalog_router)
    api.add_router("/committees", committees_router)
    api.add_router("/observatory", observatory_router)
    api.add_router("/plans", plans_router)
    api.add_router("/meetings", meetings_router)
    api.add_router("/barrios", barrios_router)
    api.add_router("/community", community_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/accounts/tokens", tokens_router)
    api.add_router("/accounts/users", people_router)
    api.add_router("/audit", audit_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/jobs", jobs_router)
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                _declare_framework_answers(operation)


_mount()
__all__ = ["api"]
