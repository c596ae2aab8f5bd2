"""Pages of juntas vecinales, trainings and investment projects. Thin: access through
the getters in ``access``, writes through ``services`` and ``importers``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.community import forms, importers, selectors, services
from sinasec.community.access import (
    can_read_community,
    can_record_juntas,
    can_record_projects,
    can_record_trainings,
    get_junta_for_user,
    get_juntas_for_user,
    get_project_for_user,
    get_projects_for_user,
    get_training_for_user,
    get_trainings_for_user,
)
from sinasec.community.filters import JuntaFilter, ProjectFilter, TrainingFilter
from sinasec.community.models import Certificate
from sinasec.core.errors import AccessDenied, ImportRejected
from sinasec.core.filters import read_filter
from sinasec.core.uploads import EVIDENCE_ACCEPT, evidence_response
from sinasec.plans.access import get_plan_for_user

PAGE_SIZE = 50


def _as_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return date.today()


def _save(
    request: HttpRequest, form: Form, write: Callable[[], object], success: str, back: str
) -> HttpResponse:
    """A form's errors, or the service's refusal, or ``success``; then back."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(map(str, errors))}")
        return redirect(back)
    try:
        write()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect(back)


def _page(request: HttpRequest, rows: object) -> object:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Juntas active by region and district, projects by stage, as of a date."""
    if not can_read_community(request.user):
        raise AccessDenied(_("Sign in with a role that reads committees."))
    as_of = _as_of(request)
    juntas = get_juntas_for_user(request.user)
    projects = (
        get_projects_for_user(request.user)
        if _may(lambda: get_projects_for_user(request.user))
        else None
    )
    return render(
        request,
        "community/index.html",
        {
            "as_of": as_of,
            "counts": selectors.junta_counts(as_of, juntas),
            "stages": selectors.projects_by_stage(as_of, projects)
            if projects is not None
            else None,
            "strategy5": selectors.strategy5(as_of.year, as_of),
        },
    )


@login_required
def juntas(request: HttpRequest) -> HttpResponse:
    filters, _dropped = read_filter(JuntaFilter, request.GET)
    as_of = _as_of(request)
    found = selectors.with_status(filters.filter(get_juntas_for_user(request.user)), as_of)
    return render(
        request,
        "community/juntas.html",
        {
            "page": _page(request, found.order_by("district_id", "name")),
            "as_of": as_of,
            "filters": filters,
            "form": forms.JuntaForm() if can_record_juntas(request.user) else None,
        },
    )


@login_required
@require_POST
def register_junta(request: HttpRequest) -> HttpResponse:
    form = forms.JuntaForm(request.POST)
    return _save(
        request,
        form,
        lambda: services.register_junta(request.user, services.JuntaData(**form.cleaned_data)),
        _("Junta vecinal registered."),
        "community:juntas",
    )


@login_required
def junta(request: HttpRequest, junta_id: int) -> HttpResponse:
    item = get_junta_for_user(request.user, junta_id)
    today = date.today()
    return render(
        request,
        "community/junta.html",
        {
            "junta": selectors.with_status(type(item).objects.filter(pk=item.pk), today).get(),
            "statuses": item.statuses.all(),
            "trainings": selectors.junta_trainings(item),
            "form": forms.StatusForm()
            if _may(lambda: get_junta_for_user(request.user, junta_id, write=True))
            else None,
        },
    )


def _may(check: Callable[[], object]) -> bool:
    try:
        check()
    except AccessDenied:
        return False
    return True


@login_required
@require_POST
def set_junta_status(request: HttpRequest, junta_id: int) -> HttpResponse:
    get_junta_for_user(request.user, junta_id, write=True)
    form = forms.StatusForm(request.POST)
    back = redirect("community:junta", junta_id).url
    return _save(
        request,
        form,
        lambda: services.set_junta_status(request.user, junta_id, **form.cleaned_data),
        _("Status recorded."),
        back,
    )


@login_required
def trainings(request: HttpRequest) -> HttpResponse:
    filters, _dropped = read_filter(TrainingFilter, request.GET)
    found = filters.filter(get_trainings_for_user(request.user)).prefetch_related("participants")
    return render(
        request,
        "community/trainings.html",
        {
            "page": _page(request, found.order_by("-held_on", "id")),
            "filters": filters,
            "form": forms.TrainingForm() if can_record_trainings(request.user) else None,
        },
    )


@login_required
@require_POST
def record_training(request: HttpRequest) -> HttpResponse:
    form = forms.TrainingForm(request.POST)

    def write() -> object:
        data = form.cleaned_data
        return services.record_training(
            request.user,
            services.TrainingData(
                event=data["event"],
                topic=data["topic"],
                organiser=data["organiser"],
                held_on=data["held_on"],
                participants=data["participants"],
                committee_id=data["committee"],
                activity_id=data["activity"],
            ),
        )

    return _save(request, form, write, _("Training recorded."), "community:trainings")


@login_required
def training(request: HttpRequest, training_id: int) -> HttpResponse:
    item = get_training_for_user(request.user, training_id)
    writable = _may(lambda: get_training_for_user(request.user, training_id, write=True))
    return render(
        request,
        "community/training.html",
        {
            "training": item,
            "participants": item.participants.select_related("committee", "junta", "institution"),
            "certificates": item.certificates.all(),
            "form": forms.CertificateForm() if writable else None,
            "accept": EVIDENCE_ACCEPT,
        },
    )


@login_required
@require_POST
def add_certificate(request: HttpRequest, training_id: int) -> HttpResponse:
    get_training_for_user(request.user, training_id, write=True)
    form = forms.CertificateForm(request.POST, request.FILES)
    back = redirect("community:training", training_id).url
    return _save(
        request,
        form,
        lambda: services.add_certificate(request.user, training_id, form.cleaned_data["file"]),
        _("Certificate added."),
        back,
    )


@login_required
def certificate(request: HttpRequest, training_id: int, certificate_id: int) -> HttpResponseBase:
    """A certificate, to those who may read the training (the getter decides)."""
    item = get_training_for_user(request.user, training_id)
    found = get_object_or_404(Certificate, pk=certificate_id, training=item)
    return evidence_response(found.file, found.original_name, f"certificado-{found.pk}")


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    filters, _dropped = read_filter(ProjectFilter, request.GET)
    as_of = _as_of(request)
    found = selectors.with_stage(filters.filter(get_projects_for_user(request.user)), as_of)
    return render(
        request,
        "community/projects.html",
        {
            "page": _page(request, found.order_by("cui")),
            "as_of": as_of,
            "filters": filters,
            "form": forms.ProjectForm() if can_record_projects(request.user) else None,
            "stage_form": forms.StageForm(),
        },
    )


@login_required
@require_POST
def register_project(request: HttpRequest) -> HttpResponse:
    form = forms.ProjectForm(request.POST)

    def write() -> object:
        data = form.cleaned_data
        return services.register_project(
            request.user,
            data["committee"],
            data["cui"],
            data["name"],
            data["amount"],
            {data["stage"]: data["reached_on"]},
        )

    return _save(request, form, write, _("Investment project registered."), "community:projects")


@login_required
@require_POST
def advance_project(request: HttpRequest, project_id: int) -> HttpResponse:
    get_project_for_user(request.user, project_id, write=True)
    form = forms.StageForm(request.POST)
    return _save(
        request,
        form,
        lambda: services.advance_project(request.user, project_id, **form.cleaned_data),
        _("Stage recorded."),
        "community:projects",
    )


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    """Juntas or trainings from a file, all or nothing: every problem listed."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = (
            importers.import_juntas
            if form.cleaned_data["kind"] == "juntas"
            else importers.import_trainings
        )
        try:
            result = run(request.user, upload.name or "archivo.xlsx", upload.read())
        except ImportRejected as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _(
                    "%(file)s imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged."
                )
                % result.as_dict(),
            )
            return redirect("community:import")
    return render(request, "community/import.html", {"form": form, "problems": problems})


@login_required
def plan_trainings(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The trainings linked to a plan's activities, beside what was programmed and what
    the institutions reported executed (approved), month by month."""
    plan = get_plan_for_user(request.user, plan_id)
    return render(
        request,
        "community/plan_trainings.html",
        {"plan": plan, "rows": selectors.plan_trainings(plan), "months": range(1, 13)},
    )
