"""Forms of sector articulation: commitments, deliveries, technical table sessions
(with their attendance and agreement rows) and agreements done. They parse and check
the fields; the services decide access and the rules of the domain."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.barrios.registry.forms import date_field

# The rows of a session form are the meetings app's (one parser for every body).
from sinasec.meetings.forms import (  # noqa: F401
    AGREEMENT_ROWS,
    ATTENDANCE_ROWS,
    parse_session_rows,
)


class CommitmentForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"))
    description = forms.CharField(label=_("Service committed"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    target = forms.IntegerField(label=_("Target quantity"), min_value=1)
    starts_on = date_field(_("From"))
    ends_on = date_field(_("To"))

    def __init__(self, *args: object, sectors: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sector"].choices = sectors  # type: ignore[attr-defined]


class DeliveryForm(forms.Form):
    commitment = forms.TypedChoiceField(label=_("Commitment"), coerce=int)
    delivered_on = date_field(_("Date"))
    quantity = forms.IntegerField(label=_("Quantity delivered"), min_value=1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: object, commitments: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["commitment"].choices = commitments  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=160, required=False)

    def clean_held_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["held_on"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class AgreementDoneForm(forms.Form):
    done_on = date_field(_("Done on"))
