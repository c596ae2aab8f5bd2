from django.urls import URLPattern, URLResolver, include, path

from sinasec.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("sinasec.site.urls")),
    path("territorios/", include("sinasec.territories.urls")),
    path("instituciones/", include("sinasec.institutions.urls")),
    path("servicios/", include("sinasec.catalog.urls")),
    path("comites/", include("sinasec.committees.urls")),
    # A committee's sessions and public consultations (/comites/<id>/sesiones/).
    path("comites/", include("sinasec.meetings.urls")),
    # A committee's scorecard (/comites/<id>/ficha/) and a region's (/comites/fichas/).
    path("comites/", include("sinasec.scorecards.urls")),
    path("planes/", include("sinasec.plans.urls")),
    path("observatorio/", include("sinasec.observatory.urls")),
    path("barrios/", include("sinasec.barrios.urls")),
    path("comunidad/", include("sinasec.community.urls")),
    path("cuentas/tokens/", include("sinasec.people.urls")),
    path("cuentas/", include("sinasec.people.account_urls")),
    # Sign-in, passwords, locks and two-factor; before accounts (the same prefix).
    path("cuentas/", include("sinasec.signin.urls")),
    path("cuentas/", include("sinasec.accounts.urls")),
    path("auditoria/", include("sinasec.audit.urls")),
    path("avisos/", include("sinasec.notifications.urls")),
    path("tareas/", include("sinasec.jobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

# A view's BadRequest (a parameter out of range) and a body over the size limit, explained;
# the other errors in the site's layout and in Spanish (JSON under /api/).
handler400 = "sinasec.core.views.bad_request"
handler403 = "sinasec.core.views.permission_denied"
handler404 = "sinasec.core.views.page_not_found"
handler500 = "sinasec.core.views.server_error"
