from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.committees.models import EventKind
from sinasec.core.params import SupportedDateField, YearField
from sinasec.core.uploads import EVIDENCE_ACCEPT

MEMBER_ROWS = 6


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices)
    date = SupportedDateField(label=_("Date"))
    year = YearField(label=_("Plan year"), required=False, min_value=2000)
    person = forms.CharField(label=_("Technical secretary"), required=False, max_length=160)
    document = forms.CharField(
        label=_("Document (acta, resolución)"), required=False, max_length=160
    )
    evidence = forms.FileField(
        label=_("Evidence (scanned acta or resolución)"),
        required=False,
        help_text=_("PDF, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
