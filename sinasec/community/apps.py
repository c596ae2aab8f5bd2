from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "sinasec.community"
    label = "community"
    verbose_name = _("Juntas vecinales, trainings and investment projects")

    def ready(self) -> None:
        # Its compliance indicators, with the committees' engine (which cannot import
        # this app: it sits below it).
        from sinasec.community.indicators import register_indicators

        register_indicators()
