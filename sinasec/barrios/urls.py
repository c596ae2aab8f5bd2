from django.urls import path

from sinasec.barrios import views, views_monitoring

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
    path(
        "<int:barrio_id>/monitoreo/series.csv",
        views_monitoring.monitoring_csv,
        name="monitoring_csv",
    ),
]
