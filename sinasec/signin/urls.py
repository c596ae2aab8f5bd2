from django.urls import path

from sinasec.signin import passwords, views

app_name = "signin"
urlpatterns = [
    path("ingresar/", views.SignInView.as_view(), name="login"),
    path("ingresar/codigo/", views.verify, name="verify"),
    path("doble-factor/", views.two_factor, name="two_factor"),
    path("bloqueos/", views.locks, name="locks"),
    path("bloqueos/<str:username>/desbloquear/", views.unlock, name="unlock"),
    path("clave/olvido/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "clave/olvido/enviado/",
        passwords.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "clave/nueva/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "clave/nueva/lista/",
        passwords.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("clave/cambiar/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path(
        "clave/cambiar/lista/",
        passwords.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
