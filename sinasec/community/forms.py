"""Forms of the community pages: they parse and check the fields; the services decide
access and the rules of the domain."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.community.models import JuntaState, RecognisedBy, Stage
from sinasec.community.services import ParticipantData
from sinasec.core.params import SupportedDateField


class JuntaForm(forms.Form):
    district = forms.RegexField(label=_("District (ubigeo)"), regex=r"^\d{6}$")
    name = forms.CharField(label=_("Name"), max_length=160)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    coordinator = forms.CharField(label=_("Coordinator"), max_length=160, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=1_000_000)
    recognised_by = forms.ChoiceField(label=_("Recognised by"), choices=RecognisedBy.choices)
    recognised_on = SupportedDateField(label=_("Recognised on"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=JuntaState.choices)
    since = SupportedDateField(label=_("Since"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TrainingForm(forms.Form):
    event = forms.CharField(label=_("Event"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    organiser = forms.CharField(label=_("Organiser (acronym)"), max_length=40)
    held_on = SupportedDateField(label=_("Date"))
    committee = forms.IntegerField(label=_("Committee (id)"), min_value=1, required=False)
    activity = forms.IntegerField(label=_("Plan activity (id)"), min_value=1, required=False)
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One line per group: committee id; institution acronym; people."),
    )

    def clean_participants(self) -> tuple[ParticipantData, ...]:
        rows = []
        for number, line in enumerate(self.cleaned_data["participants"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3 or not parts[2].isdigit() or (parts[0] and not parts[0].isdigit()):
                raise forms.ValidationError(
                    _("Line %(n)d: write committee id; institution acronym; people.")
                    % {"n": number}
                )
            rows.append(
                ParticipantData(int(parts[2]), int(parts[0]) if parts[0] else None, None, parts[1])
            )
        return tuple(rows)


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("Certificate (PDF, JPG or PNG)"))


class ProjectForm(forms.Form):
    committee = forms.IntegerField(label=_("Committee (id)"), min_value=1)
    cui = forms.RegexField(label=_("Investment code (CUI)"), regex=r"^\d{7}$")
    name = forms.CharField(label=_("Name"), max_length=300)
    amount = forms.DecimalField(
        label=_("Amount (S/)"), min_value=0.01, max_digits=14, decimal_places=2
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    reached_on = SupportedDateField(label=_("Reached on"))


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    reached_on = SupportedDateField(label=_("Reached on"))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("juntas", _("Juntas vecinales")), ("trainings", _("Trainings"))],
    )
    file = forms.FileField(label=_("File (XLSX or CSV)"))
