from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "sinasec.plans"
    label = "plans"
    verbose_name = _("Operational plans")

    def ready(self) -> None:
        # Registers the plans' background-job runners with sinasec.jobs.
        from sinasec.plans import jobs  # noqa: F401
