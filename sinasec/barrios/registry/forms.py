"""Forms of a barrio's registry page: they parse and check the fields; the services decide
access and the rules of the domain (status order, boundary validity, periods)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.barrios.models import BarrioStatus
from sinasec.core.params import SupportedDateField, YearField


def date_field(label: Any) -> forms.DateField:
    return SupportedDateField(label=label)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in BarrioStatus if s != BarrioStatus.TARGETED],
    )
    on_date = date_field(_("On"))


class DetailsForm(forms.Form):
    # The barrio's version the form was opened at: a barrio saved since is not reverted.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    name = forms.CharField(label=_("Name"), max_length=160, required=False)
    articulator = forms.CharField(
        label=_("Territorial articulator"), max_length=160, required=False
    )
    population = forms.IntegerField(label=_("Population"), min_value=0, required=False)
    goal_year = YearField(label=_("Goal year"), min_value=2016, required=False)


class BoundaryForm(forms.Form):
    file = forms.FileField(label=_("GeoJSON file"))
