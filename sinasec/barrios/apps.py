from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarriosConfig(AppConfig):
    name = "sinasec.barrios"
    label = "barrios"
    verbose_name = _("Barrio Seguro")

    def ready(self) -> None:
        # Registers Barrio Seguro's background-job runners with sinasec.jobs.
        from sinasec.barrios.targeting import jobs  # noqa: F401
