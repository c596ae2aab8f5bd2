from django.urls import path

from sinasec.people import views

app_name = "people"
urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:token_id>/revocar/", views.revoke, name="revoke_token"),
]
