from django.urls import path

from sinasec.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.index, name="index"),
    path("buscar/", views.search, name="search"),
    path("importar/", views.import_files, name="import"),
    path("region/<str:code>/", views.region, name="region"),
    path("<str:ubigeo>/", views.territory, name="detail"),
]
