"""Forms of sector articulation: commitments, deliveries, technical table sessions
(with their attendance and agreement rows) and agreements done. They parse and check
the fields; the services decide access and the rules of the domain."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.barrios.registry.forms import date_field

ATTENDANCE_ROWS = 6
AGREEMENT_ROWS = 4


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


def parse_session_rows(
    data: Mapping[str, Any],
) -> tuple[dict[str, int], list[tuple[str, str, datetime.date]], list[str]]:
    """The attendance rows (institution, people) and agreement rows (text, owner,
    deadline) of the session form; a half-filled row is an error, an empty one is skipped."""
    get = data.get
    attendance: dict[str, int] = {}
    agreements: list[tuple[str, str, datetime.date]] = []
    errors: list[str] = []
    for i in range(ATTENDANCE_ROWS):
        acronym = get(f"attendance-{i}-institution", "").strip()
        raw = get(f"attendance-{i}-attendees", "").strip()
        if not acronym and not raw:
            continue
        n = int(raw) if raw.isdigit() else 0
        if not acronym or n < 1:
            errors.append(
                str(_("Attendance row %(n)d: choose the institution and the number of people."))
                % {"n": i + 1}
            )
        elif acronym in attendance:
            errors.append(
                str(_("Attendance row %(n)d: %(inst)s is listed twice."))
                % {"n": i + 1, "inst": acronym}
            )
        else:
            attendance[acronym] = n
    for i in range(AGREEMENT_ROWS):
        text = get(f"agreement-{i}-text", "").strip()
        owner = get(f"agreement-{i}-owner", "").strip()
        raw = get(f"agreement-{i}-deadline", "").strip()
        if not (text or owner or raw):
            continue
        try:
            deadline = datetime.date.fromisoformat(raw)
        except ValueError:
            deadline = None
        if not text or not owner or deadline is None:
            errors.append(
                str(_("Agreement row %(n)d: give the agreement, its owner and its deadline."))
                % {"n": i + 1}
            )
        else:
            agreements.append((text, owner, deadline))
    return attendance, agreements, errors
