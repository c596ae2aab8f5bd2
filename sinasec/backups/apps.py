from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "sinasec.backups"
    label = "backups"
    verbose_name = "Backups"
