"""The fast form renderer writes the same HTML as Django's templates, widget by widget."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from sinasec.core.renderers import FastWidgets

CHOICES = [
    (1, "uno"),
    (2010, 2010),  # a number as label: localised as a template prints it
    ("a&b", '<b>"x"</b>'),
    ("", gettext_lazy("Month")),
    ("safe", mark_safe("<i>safe</i>")),
]
GROUPED = [("Grupo <1>", [(1, "a"), (2, "b")]), (3, "c")]
ATTRS = {"class": "x y", "data-n": 3, "required": True, "disabled": False, "title": 'a"<'}

WIDGETS: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(attrs=ATTRS), 'va"l<ue>'),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(), mark_safe("<b>")),
    (forms.NumberInput(attrs={"min": 0, "step": 1}), 12345),
    (forms.NumberInput(), 1.5),
    (forms.HiddenInput(), 7),
    (forms.EmailInput(), "a@b.pe"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.DateInput(attrs={"type": "date"}), date(2010, 3, 4)),
    (forms.DateInput(), date(2010, 3, 4)),
    (forms.URLInput(), "https://x.pe/?a=1&b=2"),
    (forms.FileInput(attrs={"accept": ".pdf,.png"}), None),
    (forms.ClearableFileInput(attrs={"accept": ".pdf"}), None),
    (forms.Textarea(attrs={"rows": 3}), "line 1\n<line 2>"),
    (forms.Textarea(), ""),
    (forms.Select(choices=CHOICES, attrs={"id": "s"}), 2010),
    (forms.Select(choices=CHOICES), "a&b"),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=GROUPED), 2),
    (forms.SelectMultiple(choices=CHOICES), [1, "a&b"]),
    (forms.NullBooleanSelect(), True),
    (forms.CheckboxInput(), True),
    (forms.RadioSelect(choices=CHOICES), 1),  # not in Python: Django's template
]


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_it_renders_each_widget_as_django_does(widget: forms.Widget, value: Any, language: str):
    with translation.override(language):
        django_html = widget.render("campo", value, {"id": "id_campo"}, DjangoTemplates())
        ours = widget.render("campo", value, {"id": "id_campo"}, FastWidgets())
    assert ours == django_html


@pytest.mark.parametrize("language", ["es", "en"])
def test_it_renders_a_whole_form_as_django_does(language: str):
    class Everything(forms.Form):
        name = forms.CharField(max_length=20, help_text="h")
        month = forms.TypedChoiceField(choices=CHOICES[:2], coerce=int)
        count = forms.IntegerField(min_value=0)
        when = forms.DateField()
        note = forms.CharField(widget=forms.Textarea, required=False)
        file = forms.FileField(required=False)

    data = {"name": "<x>", "month": "9", "count": "-1", "when": "no"}
    with translation.override(language):
        django_html = Everything(data, renderer=DjangoTemplates()).as_div()
        ours = Everything(data, renderer=FastWidgets()).as_div()
    assert 'aria-invalid="true"' in ours
    assert ours == django_html


def test_it_is_the_renderer_the_settings_use():
    assert settings.FORM_RENDERER == "sinasec.core.renderers.FastWidgets"
