from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarriosConfig(AppConfig):
    name = "sinasec.barrios"
    label = "barrios"
    verbose_name = _("Barrio Seguro")

    def ready(self) -> None:
        # What `sinasec notify` asks of Barrio Seguro each day (overdue commitments, agreements).
        from sinasec.barrios.articulation.notices import barrios_source
        from sinasec.notifications.sources import register

        register("barrios", barrios_source)

        # Registers Barrio Seguro's background-job runners with sinasec.jobs.
        from sinasec.barrios.targeting import jobs  # noqa: F401
