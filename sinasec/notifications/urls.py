from django.urls import path

from sinasec.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("leidos/", views.read_all, name="read_all"),
    path("preferencias/", views.preferences, name="preferences"),
    path("<int:notification_id>/leido/", views.read, name="read"),
]
