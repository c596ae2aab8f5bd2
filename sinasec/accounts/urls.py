from django.contrib.auth import views as auth_views
from django.urls import path

from sinasec.accounts import views

app_name = "accounts"
urlpatterns = [
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("yo/", views.me, name="me"),
]
