"""The form renderer: Django's own, with its plainest widget templates written in Python.

A signed-in page renders many form controls (the report page: ~50, each month select
with 12 options), and each goes through the template engine: ``input.html`` includes
``attrs.html``, a select includes ``select_option.html`` once per option. That was the
largest share of those pages' CPU time (``bench/web_cpu.py``). :class:`FastWidgets`
produces the same HTML, character for character, for Django's templates below, and
hands every other template (and any widget whose context it does not know) to Django;
``core/tests/test_renderers.py`` compares the two outputs widget by widget.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"
# Templates that are only {% include "django/forms/widgets/input.html" %}.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "file",
    )
)
_CONTEXT = Context()  # autoescape on; localisation and time zone as the settings say


def _out(value: Any) -> str:
    """``{{ value }}``: localised and escaped as a template prints it (a plain string,
    most values, is only escaped: what ``render_value_in_context`` does to it)."""
    if type(value) is str:
        return html.escape(value)
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (the filter keeps a safe value safe)."""
    text = stringformat(value, "s")
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_out(option['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    html = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None  # a widget with its own option template: Django renders it
            # select_option.html ends with a newline, kept where it is included.
            html.append(f"\n  {_option(option)}\n")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _file_input(widget: Mapping[str, Any]) -> str | None:
    if widget.get("is_initial"):
        return None  # the "currently: <link>, clear" variant: Django renders it
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>'


_IN_PYTHON: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(INPUTS, _input),
    WIDGETS + "select.html": _select,
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "clearable_file_input.html": _file_input,
}


class FastWidgets(DjangoTemplates):
    """Django's default renderer (templates from the apps, then Django's), except for the
    widget templates above, rendered in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = _IN_PYTHON.get(template_name)
        widget = context.get("widget")
        if write is not None and isinstance(widget, dict) and "items" not in widget["attrs"]:
            html = write(widget)
            if html is not None:
                return SafeString(html.strip())
        return super().render(template_name, context, request)
