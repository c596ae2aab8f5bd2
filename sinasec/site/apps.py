from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top of the stack: the start page and the demo, which gather every module."""

    name = "sinasec.site"
    label = "site"
    verbose_name = "SINASEC"
