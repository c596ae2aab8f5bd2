from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import template
from django.utils.formats import date_format, number_format

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


P_FLOOR = 0.001


@register.filter
def p_value(value: float | None, digits: int = 3) -> str:
    """``p = 0,042`` in the locale's numbers, ``p < 0,001`` when it rounds to nothing
    ("p = 0,0" reads as certainty); ``p = ?`` when unknown."""
    if value is None:
        return "p = ?"
    if float(value) < P_FLOOR:
        return f"p < {number_format(P_FLOOR, 3)}"
    return f"p = {number_format(round(float(value), int(digits)), int(digits))}"
