from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def json_script_value(value: Any) -> str:
    """JSON for a data- attribute (the template escapes it as an attribute value)."""
    return json.dumps(value)


@register.filter
def sub(value: float, other: float) -> float:
    """``a|sub:b``: a minus b (for SVG coordinates)."""
    return float(value) - float(other)


@register.filter
def month_of(month: int, year: int) -> str:
    """``r.month|month_of:plan.year``: "enero de 2010", as the locale names the month
    (never its number)."""
    return date_format(date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")
