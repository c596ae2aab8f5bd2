from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "sinasec.committees"
    label = "committees"
    verbose_name = _("Security committees")

    def ready(self) -> None:
        # Registers the committees' background-job runners with sinasec.jobs.
        from sinasec.committees import jobs  # noqa: F401
