from django.urls import path

from sinasec.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("<int:committee_id>/ficha/", views.committee, name="committee"),
    path("<int:committee_id>/ficha.pdf", views.committee_pdf, name="committee_pdf"),
    path("fichas/", views.regions, name="regions"),
    path("fichas.pdf", views.region_pdf, name="region_pdf"),
    path("fichas/descarga/<str:token>.pdf", views.job_pdf, name="job_pdf"),
]
