from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "sinasec.plans"
    label = "plans"
    verbose_name = _("Operational plans")

    def ready(self) -> None:
        # What `sinasec notify` asks of plans each day (due, overdue, the digest).
        from sinasec.notifications.sources import register
        from sinasec.plans.execution.notices import plans_source

        register("plans", plans_source)

        # Registers the plans' background-job runners with sinasec.jobs.
        from sinasec.plans import jobs  # noqa: F401

        # Its compliance indicator (execution by semester), with the committees' engine.
        from sinasec.plans.multiyear.indicators import register_indicators

        register_indicators()

        # Keeps the committee x month execution summary the rates read.
        from sinasec.plans.multiyear import summary

        summary.connect()
