from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sinasec.catalog.models import Service
from sinasec.institutions.models import Institution


class ContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Institution
        fields = ["website", "email", "phone", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DeclareServiceForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.all(), label=_("Service"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
