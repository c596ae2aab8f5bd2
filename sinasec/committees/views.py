"""Committee pages: the registry, one committee's timeline with its forms, and the
compliance report with its downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.committees import services, timeline
from sinasec.committees.access import (
    can_import_events,
    can_record_events,
    get_committee_for_user,
    get_committees_for_user,
    get_event_for_user,
)
from sinasec.committees.filters import CommitteeFilter
from sinasec.committees.forms import (
    OPTIONAL,
    BaseMemberFormSet,
    EventForm,
    kind_or_default,
    member_formset,
    service_errors,
    typed_again,
    uses,
)
from sinasec.committees.models import (
    Committee,
    CommitteeLevel,
    EventKind,
    evidence_fallback,
)
from sinasec.core.errors import AccessDenied, ImportRejected
from sinasec.core.filters import from_query
from sinasec.core.rendered import RenderedOnce
from sinasec.core.uploads import evidence_response, not_kept
from sinasec.institutions.models import Institution
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job, runs_in_background


@login_required
def index(request: HttpRequest) -> HttpResponse:
    filters = from_query(CommitteeFilter, request.GET)
    committees = filters.filter(get_committees_for_user(request.user))
    page = Paginator(committees.order_by("level", "ubigeo"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/index.html",
        {
            "page": page,
            "levels": CommitteeLevel.choices,
            "level": filters.level or "",
            "q": filters.q or "",
            "can_import": can_import_events(request.user),
        },
    )


def _institutions() -> list[str]:
    """The acronyms a member may belong to (bodies that were renamed offer the new name)."""
    return list(
        Institution.objects.filter(successor__isnull=True)
        .order_by("acronym")
        .values_list("acronym", flat=True)
    )


def _detail_page(
    request: HttpRequest,
    committee: Committee,
    form: EventForm | None,
    members: BaseMemberFormSet | None,
    problems: list[str] | None = None,
    status: int = 200,
    kind: str = EventKind.SWORN,
) -> HttpResponse:
    """The page; without ``form``, the blank form of ``kind``, rendered once per process
    (:func:`_blank_form`)."""
    can_write = can_record_events(request.user, committee)
    event_form = ""
    if can_write and form is not None and members is not None:
        event_form = _event_form(form, members, problems or [])
    elif can_write:
        event_form = _blank_form(kind, tuple(_institutions()))
    return render(
        request,
        "committees/detail.html",
        {
            "committee": committee,
            "timeline": timeline.latest(committee),
            "can_write": can_write,
            "event_form": event_form,
        },
        status=status,
    )


def _event_form(form: EventForm, members: BaseMemberFormSet, problems: list[str]) -> str:
    kind = form.chosen_kind
    return render_to_string(
        "committees/_event_form.html",
        {
            "form": form,
            "members": members,
            "problems": problems,
            "kind": kind,
            "shows": {field: uses(kind, field) for field in OPTIONAL},
            "kinds_for": {field: _kinds_using(field) for field in OPTIONAL},
        },
    )


# The blank form by (language, kind, institutions offered): the same HTML for every
# user (the CSRF token is outside it); rendered each time, it was about half of the
# page's CPU. The institutions are read on every request, so a renamed one shows at once.
_blank_forms: RenderedOnce[str] = RenderedOnce(limit=64)


def _blank_form(kind: str, institutions: tuple[str, ...]) -> str:
    def render() -> str:
        form = EventForm(initial={"kind": kind})
        return _event_form(form, member_formset(list(institutions), kind), [])

    return _blank_forms.get((get_language(), kind, institutions), render)


def _kinds_using(field: str) -> str:
    """The kinds a fieldset belongs to, for event-form.js (space separated)."""
    return " ".join(kind for kind in EventKind.values if uses(kind, field))


@login_required
def detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    """The timeline and the event form; ``?hecho=plan`` opens the form on that kind."""
    committee = get_committee_for_user(request.user, committee_id)
    kind = kind_or_default(request.GET.get("hecho"))
    return _detail_page(request, committee, None, None, kind=kind)


@login_required
def history(request: HttpRequest, committee_id: int) -> HttpResponse:
    """Every event of the committee, newest first, a hundred a page (its page shows the
    latest only)."""
    committee = get_committee_for_user(request.user, committee_id)
    page = timeline.history(committee, request.GET.get("page"))
    # The <ol reversed> numbers the events from the oldest (1): this page's first.
    first = max(page.paginator.count - page.start_index() + 1, 1)
    return render(
        request, "committees/history.html", {"committee": committee, "page": page, "first": first}
    )


@login_required
@require_POST
def record(request: HttpRequest, committee_id: int) -> HttpResponse:
    """Record the event; a refused one comes back with everything typed kept (the
    evidence file aside: browsers never refill a file input) and each error beside its
    field. The ``paso`` buttons (no JavaScript) show another kind's fields or more rows."""
    committee = get_committee_for_user(request.user, committee_id, write=True)
    institutions = _institutions()
    if request.POST.get("paso"):
        return _detail_page(request, committee, *typed_again(request.POST, institutions))
    form = EventForm(request.POST, request.FILES)
    kind = form.chosen_kind
    if uses(kind, "members"):
        members = member_formset(institutions, kind, request.POST)
    else:  # rows a browser without the script still sent are not this kind's: dropped
        members = member_formset(institutions, kind)
    if not (form.is_valid() and (members.is_valid() or not members.is_bound)):
        return _detail_page(request, committee, form, members, not_kept(request))
    data = form.cleaned_data
    try:
        services.record_event(
            request.user,
            committee.pk,
            EventKind(data["kind"]),
            data["date"],
            year=data["year"],
            person=data["person"],
            document=data["document"],
            evidence=data["evidence"],
            members=members.members() if uses(kind, "members") else [],
        )
    except ValidationError as exc:
        problems = service_errors(exc, form, members) + not_kept(request)
        return _detail_page(request, committee, form, members, problems)
    messages.success(
        request,
        _("Event recorded: %(event)s on %(date)s.")
        % {"event": EventKind(data["kind"]).label, "date": date_format(data["date"])},
    )
    return redirect("committees:detail", committee_id=committee.pk)


@login_required
def evidence(request: HttpRequest, committee_id: int, event_id: int) -> HttpResponseBase:
    """An event's acta, to those who may read the committee (the getter decides)."""
    event = get_event_for_user(request.user, event_id, committee_id=committee_id)
    return evidence_response(event.evidence, event.evidence_name, evidence_fallback(event))


@login_required
def import_events(request: HttpRequest) -> HttpResponse:
    problems = None
    upload = request.FILES.get("file") if request.method == "POST" else None
    if isinstance(upload, UploadedFile) and runs_in_background(upload.size or 0):
        if not can_import_events(request.user):
            raise AccessDenied(
                _("Only national administrators and committee secretaries can import events.")
            )
        job = enqueue_job(
            request.user,
            Job.Kind.COMMITTEE_EVENTS_IMPORT,
            {"file_name": upload.name or "eventos"},
            file=upload,
        )
        return redirect("jobs:detail", job.pk)
    if isinstance(upload, UploadedFile):
        try:
            result = services.import_events(request.user, upload.name or "eventos", upload.read())
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
            return redirect("committees:import")
    return render(request, "committees/import.html", {"problems": problems})
