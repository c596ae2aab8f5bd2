from django.urls import path

from sinasec.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:number>/", views.detail, name="detail"),
]
