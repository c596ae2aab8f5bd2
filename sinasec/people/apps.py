from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Account administration: creating accounts, giving them a role and scope, and
    their personal API tokens.

    Kept apart from ``accounts`` (who someone is and what their role lets them do), which
    everything below reads, so that these audited writes can sit above ``audit``.
    """

    name = "sinasec.people"
    label = "people"
    verbose_name = "Personas"
