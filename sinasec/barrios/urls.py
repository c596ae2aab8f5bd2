from django.urls import path

from sinasec.barrios.articulation import views as views_articulation
from sinasec.barrios.evaluation import views as views_evaluation
from sinasec.barrios.monitoring import views as views_monitoring
from sinasec.barrios.registry import views as views_registry
from sinasec.barrios.targeting import views

app_name = "barrios"
urlpatterns = [
    path("focalizacion/", views.targeting, name="targeting"),
    path("focalizacion/<int:run_id>/", views.run_detail, name="run"),
    path("focalizacion/<int:run_id>/mapa.geojson", views.run_geojson, name="run_geojson"),
    path("focalizacion/<int:run_id>/resultados.csv", views.run_csv, name="run_csv"),
    path("focalizacion/<int:run_id>/<str:ubigeo>/", views.unit, name="unit"),
    path(
        "focalizacion/<int:run_id>/<str:ubigeo>/crear-barrio/",
        views.create_barrio,
        name="create_barrio",
    ),
    path("<int:barrio_id>/monitoreo/", views_monitoring.monitoring, name="monitoring"),
    path("evaluacion/did/", views_evaluation.did, name="did"),
    path(
        "<int:barrio_id>/monitoreo/series.csv",
        views_monitoring.monitoring_csv,
        name="monitoring_csv",
    ),
]

# The registry and one barrio's page; its articulation forms and the barrio x sector matrix.
urlpatterns += [
    path("", views_registry.index, name="index"),
    path("articulacion/", views_articulation.matrix, name="matrix"),
    path("articulacion/matriz.csv", views_articulation.matrix_csv, name="matrix_csv"),
    path("<int:barrio_id>/", views_registry.detail, name="detail"),
    path("<int:barrio_id>/estado/", views_registry.change_status, name="change_status"),
    path("<int:barrio_id>/datos/", views_registry.edit_details, name="edit_details"),
    path("<int:barrio_id>/limite/", views_registry.upload_boundary, name="upload_boundary"),
    path("<int:barrio_id>/limite/dibujo/", views_registry.draw_boundary, name="draw_boundary"),
    path("<int:barrio_id>/compromisos/", views_articulation.add_commitment, name="add_commitment"),
    path("<int:barrio_id>/entregas/", views_articulation.report_delivery, name="report_delivery"),
    path("<int:barrio_id>/mesas/", views_articulation.record_session, name="record_session"),
    path(
        "<int:barrio_id>/acuerdos/<int:agreement_id>/cumplido/",
        views_articulation.mark_agreement_done,
        name="mark_agreement_done",
    ),
]
