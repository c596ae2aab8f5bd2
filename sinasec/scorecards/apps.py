from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "sinasec.scorecards"
    label = "scorecards"
    verbose_name = _("Committee scorecards")

    def ready(self) -> None:
        from sinasec.scorecards import jobs  # noqa: F401  (registers the PDF job's runner)
