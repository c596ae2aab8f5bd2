"""The form of a committee's event: the event itself and, for an installation or a
swearing-in, a formset of members.

Only the fields an event's kind uses are shown (``FIELDS_BY_KIND``): the page renders
the others hidden and disabled, so a browser submits nothing from them, and
``event-form.js`` shows them again when the kind changes. Without JavaScript the
"show the fields of this event" button posts what was typed and the page comes back
with the right fields and every value kept (:func:`typed_again`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinasec.committees.models import EventKind
from sinasec.committees.services import MemberIn
from sinasec.core.params import SupportedDateField, YearField
from sinasec.core.uploads import EVIDENCE_ACCEPT

MEMBER_PREFIX = "member"
EMPTY_ROWS = 3  # blank member rows offered without JavaScript (it adds rows itself)
MAX_MEMBERS = 60

# The fields (or fieldsets) each kind of event needs besides date, document and evidence.
FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    EventKind.INSTALLED: ("members",),
    EventKind.SWORN: ("members",),
    EventKind.PLAN: ("year",),
    EventKind.SECRETARY: ("person",),
}
OPTIONAL = ("year", "person", "members")  # the fields only some kinds use


def kind_or_default(value: object) -> str:
    """The kind named by a query or a post, a swearing-in when none or unknown."""
    return str(value) if value in EventKind.values else EventKind.SWORN


def uses(kind: str, field: str) -> bool:
    return field in FIELDS_BY_KIND.get(kind, ())


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["data-kind-select"] = ""

    @property
    def chosen_kind(self) -> str:
        """The kind the page is showing fields for: as typed, else as initially set."""
        if self.is_bound:
            return kind_or_default(self.data.get("kind"))
        return kind_or_default(self.initial.get("kind"))

    def clean_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["date"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind", "")
        # A field of another kind is ignored, whatever a browser without the page's
        # script sent from it.
        if not uses(kind, "year"):
            data["year"] = None
        if not uses(kind, "person"):
            data["person"] = ""
        if uses(kind, "year") and not data.get("year") and "year" not in self.errors:
            self.add_error("year", _("Give the year of the plan."))
        if uses(kind, "person") and not data.get("person", "").strip():
            self.add_error("person", _("Give the name of the accredited technical secretary."))
        return data


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    role = forms.CharField(label=_("Role"), required=False, max_length=120)

    def __init__(self, *args: Any, institutions: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((a, a) for a in institutions or [])]


class BaseMemberFormSet(forms.BaseFormSet):
    """The members of an installation or swearing-in; ``kind`` says whether one is
    required (a swearing-in)."""

    kind: str = ""

    def clean(self) -> None:
        super().clean()
        if self.kind == EventKind.SWORN and not self.members():
            raise ValidationError(_("A swearing-in needs at least one member: add a name."))

    def members(self) -> list[MemberIn]:
        """The rows filled in and not marked to remove, in the order typed."""
        return [
            MemberIn(f.cleaned_data["name"], f.cleaned_data["institution"], f.cleaned_data["role"])
            for f in self.forms
            if f.is_valid() and f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]

    def form_for(self, index: int) -> forms.Form | None:
        """The row that holds the ``index``-th member passed to the service."""
        rows = [
            f
            for f in self.forms
            if f.is_valid() and f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]
        return rows[index] if 0 <= index < len(rows) else None


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=EMPTY_ROWS,
    can_delete=True,
    max_num=MAX_MEMBERS,
    validate_max=True,
)


def with_management(data: Mapping[str, Any], prefix: str = MEMBER_PREFIX) -> dict[str, Any]:
    """A post without the formset's management fields (a script, an older page) as if
    it had them: as many rows as the highest row number sent."""
    data = dict(data.items())  # a QueryDict's last value per key, as a form reads it
    if f"{prefix}-TOTAL_FORMS" not in data:
        rows = [
            int(key.split("-")[1])
            for key in data
            if key.startswith(f"{prefix}-") and key.split("-")[1].isdigit()
        ]
        data[f"{prefix}-TOTAL_FORMS"] = str(max(rows) + 1 if rows else 0)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def member_formset(
    institutions: list[str],
    kind: str,
    data: Mapping[str, Any] | None = None,
    initial: list[dict[str, str]] | None = None,
) -> BaseMemberFormSet:
    formset = MemberFormSet(
        with_management(data) if data is not None else None,
        initial=initial,
        prefix=MEMBER_PREFIX,
        form_kwargs={"institutions": institutions},
    )
    assert isinstance(formset, BaseMemberFormSet)
    formset.kind = kind
    return formset


def typed_again(
    data: Mapping[str, Any], institutions: list[str]
) -> tuple[EventForm, BaseMemberFormSet]:
    """The form as typed, unbound (no errors shown yet), with the fields of the kind now
    chosen and three more empty member rows: the page's answer to "show the fields of
    this event" or "more rows" from a browser without JavaScript."""
    post = with_management(data)
    kind = kind_or_default(post.get("kind"))
    initial = {name: post.get(name, "") for name in EventForm.base_fields if name != "evidence"}
    initial["kind"] = kind
    total = int(post[f"{MEMBER_PREFIX}-TOTAL_FORMS"] or 0)
    rows = []
    for i in range(min(total, MAX_MEMBERS)):
        row = {f: post.get(f"{MEMBER_PREFIX}-{i}-{f}", "") for f in ("name", "institution", "role")}
        removed = post.get(f"{MEMBER_PREFIX}-{i}-DELETE")
        if any(v.strip() for v in row.values()) and not removed:
            rows.append(row)
    return EventForm(initial=initial), member_formset(institutions, kind, initial=rows)


def service_errors(
    error: ValidationError, form: EventForm, members: BaseMemberFormSet
) -> list[str]:
    """Put each error a service raised beside its field (``members.2.name``: the third
    member passed); what names no field comes back, for the summary."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    loose: list[str] = []
    for key, errors in error.message_dict.items():
        parts = key.split(".")
        if key in form.fields:
            form.add_error(key, errors)
        elif parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
            row = members.form_for(int(parts[1]))
            if row is not None and parts[2] in row.fields:
                row.add_error(parts[2], errors)
            else:
                loose += errors
        else:
            loose += errors
    return loose
