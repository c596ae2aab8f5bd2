from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sinasec.meetings"
    label = "meetings"
    verbose_name = _("Sessions and public consultations")

    def ready(self) -> None:
        # Its compliance indicators, with the committees' engine (which cannot import
        # this app: it sits below it).
        from sinasec.meetings.indicators import register_indicators

        register_indicators()
