"""Forms of sessions: the session's own fields, the attendance and agreement rows of the
form (shared with the barrio technical tables' form), and an agreement done. They parse
and check the fields; the services decide access and the rules of the domain."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.core.params import SupportedDateField
from sinasec.core.uploads import EVIDENCE_ACCEPT
from sinasec.meetings.models import SessionKind

ATTENDANCE_ROWS = 6
AGREEMENT_ROWS = 4


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = SupportedDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=160, required=False)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea({"rows": 3}))
    public_attendance = forms.IntegerField(
        label=_("Public attendance (consultation)"), min_value=0, required=False
    )
    citizen_topics = forms.CharField(
        label=_("Topics raised by citizens (consultation)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    minutes = forms.FileField(
        label=_("Signed minutes (PDF, JPG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput({"accept": EVIDENCE_ACCEPT}),
    )

    def clean_held_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["held_on"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class AgreementDoneForm(forms.Form):
    done_on = SupportedDateField(label=_("Done on"))


def parse_session_rows(
    data: Mapping[str, Any],
) -> tuple[dict[str, int], list[tuple[str, str, datetime.date]], list[str]]:
    """The attendance rows (institution, people) and agreement rows (text, owner,
    deadline) of a session form; a half-filled row is an error, an empty one is skipped."""
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
