from __future__ import annotations

import json
from typing import Any

from django import template

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
