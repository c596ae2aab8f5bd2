"""The focal point's form of one activity's month, and the names the report page gives
months and rows.

Months are named by the locale (``enero de 2010`` in es-PE, ``January 2010`` in
English), never by their number. Each month of an activity has an anchor
(``actividad-2.7-mes-1``) the page comes back to after saving it."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sinasec.core.params import MAX_COUNT
from sinasec.core.rendered import RenderedOnce
from sinasec.core.uploads import EVIDENCE_ACCEPT, check_evidence
from sinasec.plans.models import MONTHS, ActivityPart

CORRECTING = "corregir"  # the anchor (and query parameter) of the month being corrected


def month_name(year: int, month: int) -> str:
    """``enero de 2010``: the month and year as the locale writes them."""
    return _month_name(get_language(), year, month)


@lru_cache(maxsize=1024)
def _month_name(language: str | None, year: int, month: int) -> str:
    # Per language: the report page names ~190 months (rows and choices), each a
    # date_format call otherwise.
    return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")


def part_anchor(part: ActivityPart) -> str:
    """``actividad-2.7``; a second part of one activity (the 2010 plan's "3 4" cells)
    adds its order: ``actividad-4.4-2``."""
    activity = part.activity
    suffix = f"-{part.order}" if part.order > 1 else ""
    return f"actividad-{activity.strategy.number}.{activity.number}{suffix}"


def month_anchor(part: ActivityPart, month: int) -> str:
    return f"{part_anchor(part)}-mes-{month}"  # (grid.month_rows writes the same)


class ReportForm(forms.Form):
    """One month of one part for one institution. The field names are the page's and
    the scripts' (``part``, ``institution``, ``month``, ``executed``, ``comment``,
    ``evidence``): no prefix, but ids of the part's own (several forms on one page)."""

    part = forms.IntegerField(widget=forms.HiddenInput)
    institution = forms.TypedChoiceField(label=_("Institution"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int)
    executed = forms.IntegerField(label=_("Executed"), min_value=0, max_value=MAX_COUNT)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def __init__(
        self,
        *args: Any,
        part: ActivityPart,
        year: int,
        institutions: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"p{part.pk}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("part", part.pk)
        super().__init__(*args, **kwargs)
        self.activity_part = part
        self.year = year
        self.fields["institution"].choices = institutions  # type: ignore[attr-defined]
        self.fields["month"].choices = [  # type: ignore[attr-defined]
            (m, month_name(year, m)) for m in range(1, MONTHS + 1)
        ]

    def clean_part(self) -> int:
        value: int = self.cleaned_data["part"]
        if value != self.activity_part.pk:
            raise ValidationError(_("This form belongs to another activity: reload the page."))
        return value

    def clean_evidence(self) -> UploadedFile | None:
        """A file that is not what it claims is refused here, beside its field: the
        month is then not saved either."""
        upload = self.cleaned_data.get("evidence")
        if isinstance(upload, UploadedFile):
            check_evidence(upload)
            return upload
        return None

    def add_service_errors(self, error: ValidationError) -> list[str]:
        """A service's refusal beside its field (``month``, ``executed``); the rest
        (a locked month) returned for the summary."""
        if not hasattr(error, "error_dict"):
            return list(error.messages)
        loose: list[str] = []
        for key, messages in error.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)
            else:
                loose += messages
        return loose


FIELDS = ("institution", "month", "executed", "comment", "evidence")


class FormHtml(NamedTuple):
    hidden: SafeString  # the part's hidden input
    fields: SafeString  # each field as core/_field.html writes it (label, control, errors)


def form_html(form: ReportForm) -> FormHtml:
    field = get_template("core/_field.html")
    fields = "\n".join(field.render({"field": form[name]}) for name in FIELDS)
    return FormHtml(mark_safe(str(form["part"])), mark_safe(fields))  # (rendered: escaped)


# Forms kept per process: a part x institutions x month x language each.
_blank: RenderedOnce[FormHtml] = RenderedOnce(limit=4096)


def blank_form_html(
    part: ActivityPart, year: int, institutions: list[tuple[int, str]], month: int
) -> FormHtml:
    """The HTML of a part's empty form offering ``month``: the same for every user
    with those choices, so written once per process and language. Everything it shows
    is in the key (the part's id, the year, the institutions with their acronyms, the
    month, the language): a renamed institution is another key, never a stale form.
    It holds no user's data (the CSRF token is written beside it, per request)."""

    def render() -> FormHtml:
        blank = ReportForm(
            initial={"month": month}, part=part, year=year, institutions=institutions
        )
        return form_html(blank)

    return _blank.get((get_language(), part.pk, year, tuple(institutions), month), render)
