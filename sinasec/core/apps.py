from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sinasec.core"
    label = "core"
    verbose_name = "SINASEC"
