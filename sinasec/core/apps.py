from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sinasec.core"
    label = "core"
    verbose_name = "SINASEC"

    def ready(self) -> None:
        # Registers the deploy check of the secret key (`sinasec check --deploy`).
        from sinasec.core import deploy  # noqa: F401
