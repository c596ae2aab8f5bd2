"""Texts of Django's own that its Spanish catalogue leaves untranslated (Django 6.1's
new blank choice of a select, two error messages). Marked here so that ``makemessages``
keeps them in the project's catalogue, which Django reads before its own
(``LOCALE_PATHS``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

BORROWED = (
    gettext_noop("- Select an option -"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
)
