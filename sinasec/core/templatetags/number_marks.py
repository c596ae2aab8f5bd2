"""The active language's decimal and thousands marks, for the scripts that format numbers
in the browser (charts, map legends): the same marks as the numbers the server renders."""

from __future__ import annotations

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.simple_tag
def decimal_mark() -> str:
    return str(get_format("DECIMAL_SEPARATOR"))


@register.simple_tag
def thousands_mark() -> str:
    return str(get_format("THOUSAND_SEPARATOR"))
