from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "sinasec.signin"
    label = "signin"
    verbose_name = _("Sign-in and passwords")

    def ready(self) -> None:
        # The lock events of django-axes, written to the audit log.
        from sinasec.signin import receivers  # noqa: F401
