"""The account forms: what the administrator types, kept on error."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from sinasec.accounts.scope import AnyUser
from sinasec.institutions.models import Institution
from sinasec.people.access import grantable_roles
from sinasec.people.accounts import AccountInput

# The service's field names, and the form field each problem is shown on.
FIELD_OF = {"ubigeo": "place", "__all__": None}


class AccountForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        help_text=gettext_lazy("It is also the username; the invitation is sent here."),
    )
    dni = forms.CharField(label=gettext_lazy("DNI (optional)"), max_length=8, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    place = forms.CharField(
        label=gettext_lazy("Ubigeo or region code"),
        max_length=6,
        required=False,
        help_text=gettext_lazy(
            "For a committee secretary: the district or province ubigeo, or the region code "
            "of a regional committee (07 Callao, 1501 Lima Metropolitana, 15 Lima Provincias). "
            "For a regional administrator: the region code."
        ),
    )
    institution = forms.ChoiceField(
        label=gettext_lazy("Institution (focal points)"), required=False
    )

    def __init__(self, actor: AnyUser, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in grantable_roles(actor)]
        institution_field = self.fields["institution"]
        assert isinstance(institution_field, forms.ChoiceField)
        institution_field.choices = [("", "—")] + [
            (acronym, f"{acronym} — {name}")
            for acronym, name in Institution.objects.order_by("acronym").values_list(
                "acronym", "name"
            )
        ]

    def account_input(self) -> AccountInput:
        data = self.cleaned_data
        return AccountInput(
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"],
            place=data.get("place") or "",
            institution=data.get("institution") or "",
            dni=data.get("dni") or "",
        )

    def show(self, error: ValidationError) -> None:
        """The service's refusal, on the fields it names."""
        for field, messages in error.message_dict.items():
            name = FIELD_OF.get(field, field)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        help_text=gettext_lazy(
            "Columns: nombre, correo, dni (optional), rol, ubigeo or institución."
        ),
    )
