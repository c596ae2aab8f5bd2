from django.urls import path

from sinasec.institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:acronym>/", views.detail, name="detail"),
    path("<str:acronym>/contacto/", views.edit_contact, name="edit_contact"),
    path("<str:acronym>/servicios/", views.declare_service, name="declare_service"),
    path(
        "<str:acronym>/servicios/<int:number>/retirar/",
        views.withdraw_service,
        name="withdraw_service",
    ),
]
