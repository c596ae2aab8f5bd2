"""Institutions: the list, one institution with its services, and its focal point's edits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.core.concurrency import keep_typed, take_typed
from sinasec.core.errors import EditConflict
from sinasec.core.filters import from_query
from sinasec.institutions import services
from sinasec.institutions.access import can_edit_institution, get_institution_for_user
from sinasec.institutions.filters import InstitutionFilter
from sinasec.institutions.forms import ContactForm, DeclareServiceForm
from sinasec.institutions.models import Institution, Kind


def index(request: HttpRequest) -> HttpResponse:
    filters = from_query(InstitutionFilter, request.GET)
    institutions = (
        filters.filter(Institution.objects.select_related("successor", "parent"))
        .prefetch_related("aliases")
        .distinct()
        .order_by("kind", "acronym")
    )
    return render(
        request,
        "institutions/index.html",
        {"institutions": institutions, "kinds": Kind.choices, "filters": filters},
    )


def detail(request: HttpRequest, acronym: str) -> HttpResponse:
    institution = get_institution_for_user(request.user, acronym)
    can_edit = can_edit_institution(request.user, institution)
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "aliases": institution.aliases.all(),
            "predecessors": institution.predecessors.all(),
            "units": institution.units.all(),
            "provisions": institution.provisions.select_related("service__type"),
            "service_types": institution.service_types.all(),
            "can_edit": can_edit,
            "contact_form": ContactForm(
                instance=institution,
                # After a conflict: what the user typed, over the version now.
                initial={
                    **take_typed(request, _contact_key(institution)),
                    "version": institution.version,
                },
            )
            if can_edit
            else None,
            "declare_form": DeclareServiceForm() if can_edit else None,
        },
    )


@login_required
@require_POST
def edit_contact(request: HttpRequest, acronym: str) -> HttpResponse:
    institution = get_institution_for_user(request.user, acronym, write=True)
    form = ContactForm(request.POST, instance=institution)
    if not form.is_valid():
        messages.error(
            request, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items())
        )
        return redirect("institutions:detail", acronym=institution.acronym)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.update_institution_contact(request.user, institution.acronym, version, **data)
        messages.success(request, _("Contact details saved."))
    except EditConflict as exc:
        now = get_institution_for_user(request.user, acronym)
        keep_typed(
            request,
            _contact_key(institution),
            {field: request.POST.get(field, "") for field in CONTACT_FIELDS},
            {f: (str(form.fields[f].label), getattr(now, f)) for f in CONTACT_FIELDS},
            exc,
        )
    return redirect("institutions:detail", acronym=institution.acronym)


CONTACT_FIELDS = ("website", "email", "phone", "description")


def _contact_key(institution: Institution) -> str:
    return f"institution-contact-{institution.pk}"


@login_required
@require_POST
def declare_service(request: HttpRequest, acronym: str) -> HttpResponse:
    institution = get_institution_for_user(request.user, acronym, write=True)
    form = DeclareServiceForm(request.POST)
    if form.is_valid():
        services.declare_service(
            request.user,
            institution.acronym,
            form.cleaned_data["service"].number,
            form.cleaned_data["note"],
        )
        messages.success(request, _("Service declared."))
    return redirect("institutions:detail", acronym=institution.acronym)


@login_required
@require_POST
def withdraw_service(request: HttpRequest, acronym: str, number: int) -> HttpResponse:
    institution = get_institution_for_user(request.user, acronym, write=True)
    services.withdraw_service(request.user, institution.acronym, number)
    messages.success(request, _("Declaration withdrawn."))
    return redirect("institutions:detail", acronym=institution.acronym)
