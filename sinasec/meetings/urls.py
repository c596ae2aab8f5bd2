from django.urls import path

from sinasec.meetings import views

app_name = "meetings"
urlpatterns = [
    path("<int:committee_id>/sesiones/", views.sessions, name="sessions"),
    path("<int:committee_id>/consultas/", views.consultations, name="consultations"),
    path("<int:committee_id>/sesiones/registrar/", views.record, name="record"),
    path(
        "<int:committee_id>/sesiones/acuerdos/<int:agreement_id>/cumplido/",
        views.mark_done,
        name="mark_done",
    ),
    path("<int:committee_id>/sesiones/<int:session_id>/acta/", views.minutes, name="minutes"),
]
