"""The site's URLs plus two that fail on purpose, for the error page and log tests
(``@override_settings(ROOT_URLCONF="sinasec.core.tests.failing_urls")``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from sinasec.urls import handler400, handler403, handler404, handler500
from sinasec.urls import urlpatterns as site

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

FAILURE = "fallo provocado por la prueba"


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(FAILURE)


def forbid(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns: list[URLPattern | URLResolver] = [
    path("_prueba/error/", fail),
    path("_prueba/prohibido/", forbid),
    *site,
]
