from django.urls import path

from sinasec.people import account_views as views

app_name = "people_accounts"
urlpatterns = [
    path("administrar/", views.index, name="index"),
    path("administrar/nueva/", views.create, name="create"),
    path("administrar/importar/", views.import_file, name="import"),
    path("administrar/plantilla.xlsx", views.template, name="template"),
    path("administrar/revision/", views.review, name="review"),
    path("administrar/<str:username>/", views.edit, name="edit"),
    path("administrar/<str:username>/desactivar/", views.deactivate, name="deactivate"),
    path("administrar/<str:username>/reactivar/", views.reactivate, name="reactivate"),
    path("administrar/<str:username>/invitar/", views.resend, name="resend"),
    path("activar/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
]
