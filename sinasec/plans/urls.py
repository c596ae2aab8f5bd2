from django.urls import path

from sinasec.plans import views
from sinasec.plans.execution import views as execution
from sinasec.plans.multiyear import views as multiyear

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("importar/", views.upload, name="upload"),
    path("plurianual/", multiyear.start, name="start_multiyear"),
    path("ranking/", multiyear.ranking, name="ranking"),
    path("ranking/ranking.<str:ext>", multiyear.ranking_download, name="ranking_download"),
    path("<int:plan_id>/anios/", multiyear.years, name="years"),
    path("<int:plan_id>/copiar/", multiyear.copy_forward, name="copy_forward"),
    path("<int:plan_id>/", views.detail, name="detail"),
    path("<int:plan_id>/plan.<str:ext>", views.download, name="download"),
    path("<int:plan_id>/avance/", views.progress, name="progress"),
    path("<int:plan_id>/evaluacion.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("<int:plan_id>/evaluacion.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("<int:plan_id>/presentar/", views.submit, name="submit"),
    path("<int:plan_id>/reportar/", execution.report, name="report"),
    path("<int:plan_id>/reportar/guardar/", execution.save_report, name="save_report"),
    path("<int:plan_id>/revision/", views.review, name="review"),
    path("<int:plan_id>/evidencias/<int:evidence_id>/", views.evidence, name="evidence"),
    path("<int:plan_id>/revision/<int:report_id>/", views.decide, name="decide"),
]
