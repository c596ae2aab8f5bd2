from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "sinasec.observatory"
    label = "observatory"
    verbose_name = _("Crime and violence observatory")

    def ready(self) -> None:
        # Registers the observatory's background-job runners with sinasec.jobs.
        from sinasec.observatory import jobs  # noqa: F401
