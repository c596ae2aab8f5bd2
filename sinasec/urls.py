from django.urls import include, path

from sinasec.api import api

urlpatterns = [
    path("", include("sinasec.core.urls")),
    path("territorios/", include("sinasec.territories.urls")),
    path("instituciones/", include("sinasec.institutions.urls")),
    path("servicios/", include("sinasec.catalog.urls")),
    path("cuentas/", include("sinasec.accounts.urls")),
    path("auditoria/", include("sinasec.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
