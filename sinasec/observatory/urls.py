from django.urls import path

from sinasec.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("datos.<str:ext>", views.download, name="download"),
    path("importar/", views.import_incidents, name="import"),
    path("coordenadas/", views.coordinates, name="coordinates"),
    path("coordenadas.csv", views.coordinates_csv, name="coordinates_csv"),
]
