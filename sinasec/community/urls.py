from django.urls import path

from sinasec.community import views

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("juntas/", views.juntas, name="juntas"),
    path("juntas/registrar/", views.register_junta, name="register_junta"),
    path("juntas/<int:junta_id>/", views.junta, name="junta"),
    path("juntas/<int:junta_id>/estado/", views.set_junta_status, name="junta_status"),
    path("capacitaciones/", views.trainings, name="trainings"),
    path("capacitaciones/registrar/", views.record_training, name="record_training"),
    path("capacitaciones/<int:training_id>/", views.training, name="training"),
    path(
        "capacitaciones/<int:training_id>/certificados/",
        views.add_certificate,
        name="add_certificate",
    ),
    path(
        "capacitaciones/<int:training_id>/certificados/<int:certificate_id>/",
        views.certificate,
        name="certificate",
    ),
    path("proyectos/", views.projects, name="projects"),
    path("proyectos/registrar/", views.register_project, name="register_project"),
    path("proyectos/<int:project_id>/etapa/", views.advance_project, name="advance_project"),
    path("importar/", views.import_file, name="import"),
    path("plan/<int:plan_id>/", views.plan_trainings, name="plan_trainings"),
]
