from django.urls import path

from sinasec.committees import compliance_views, views

app_name = "committees"
urlpatterns = [
    path("", views.index, name="index"),
    path("cumplimiento/", compliance_views.compliance, name="compliance"),
    path("cumplimiento.csv", compliance_views.compliance_csv, name="compliance_csv"),
    path("cumplimiento.xlsx", compliance_views.compliance_xlsx, name="compliance_xlsx"),
    path("cumplimiento.pdf", compliance_views.compliance_pdf, name="compliance_pdf"),
    path("importar/", views.import_events, name="import"),
    path("<int:committee_id>/", views.detail, name="detail"),
    path("<int:committee_id>/historial/", views.history, name="history"),
    path("<int:committee_id>/registrar/", views.record, name="record"),
    path("<int:committee_id>/eventos/<int:event_id>/evidencia/", views.evidence, name="evidence"),
]
