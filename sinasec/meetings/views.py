"""Session pages of a committee: its sessions (or only its public consultations) with
quorum, attendance and each agreement's status as of a date, the form that records a
session with its attendance and agreement rows, an agreement done, and the signed
minutes. Access: the getters in ``access``; writes: ``services``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.committees.access import get_committee_for_user
from sinasec.core.errors import EditConflict
from sinasec.core.params import SupportedDateField
from sinasec.core.uploads import evidence_response
from sinasec.institutions.models import Institution
from sinasec.meetings import selectors, services
from sinasec.meetings.access import (
    can_record_sessions,
    get_agreement_for_user,
    get_session_for_user,
    get_writable_committee,
)
from sinasec.meetings.forms import (
    AGREEMENT_ROWS,
    ATTENDANCE_ROWS,
    AgreementDoneForm,
    SessionForm,
    parse_session_rows,
)
from sinasec.meetings.models import Body, Session, SessionKind


def _as_of(request: HttpRequest) -> date:
    """The date statuses are computed as of (``?al=YYYY-MM-DD``), today by default."""
    field = SupportedDateField(required=False)
    try:
        value = field.clean(request.GET.get("al", ""))
    except ValidationError:
        value = None
    return value or timezone.localdate()


def _list(request: HttpRequest, committee_id: int, kind: str | None) -> HttpResponse:
    committee = get_committee_for_user(request.user, committee_id)
    as_of = _as_of(request)
    found = Session.objects.filter(body=Body.COMMITTEE, committee=committee)
    if kind:
        found = found.filter(kind=kind)
    page = Paginator(selectors.with_details(found).order_by("-held_on", "-id"), 25).get_page(
        request.GET.get("page")
    )
    can_write = can_record_sessions(request.user, committee)
    return render(
        request,
        "meetings/sessions.html",
        {
            "committee": committee,
            "consultations_only": kind == SessionKind.CONSULTATION,
            "page": page,
            "rows": selectors.session_rows(page.object_list, as_of),
            "as_of": as_of,
            "expected": selectors.expected_consultations(),
            "can_write": can_write,
            "form": SessionForm(initial={"kind": kind or SessionKind.ORDINARY}),
            "members": selectors.sworn_members(committee.pk, timezone.localdate())
            if can_write
            else [],
            "institutions": Institution.objects.filter(successor__isnull=True).order_by("acronym"),
            "attendance_rows": range(ATTENDANCE_ROWS),
            "agreement_rows": range(AGREEMENT_ROWS),
        },
    )


@login_required
def sessions(request: HttpRequest, committee_id: int) -> HttpResponse:
    return _list(request, committee_id, None)


@login_required
def consultations(request: HttpRequest, committee_id: int) -> HttpResponse:
    return _list(request, committee_id, SessionKind.CONSULTATION)


def _back(committee_id: int, kind: str = "") -> HttpResponse:
    name = "meetings:consultations" if kind == SessionKind.CONSULTATION else "meetings:sessions"
    return redirect(name, committee_id=committee_id)


def _members(raw: list[str]) -> list[services.AttendanceIn]:
    return [services.AttendanceIn(member=int(m)) for m in dict.fromkeys(raw) if m.isdigit()]


@login_required
@require_POST
def record(request: HttpRequest, committee_id: int) -> HttpResponse:
    committee = get_writable_committee(request.user, committee_id)  # 403 before any message
    form = SessionForm(request.POST, request.FILES)
    attendance, agreements, errors = parse_session_rows(request.POST)
    kind = request.POST.get("kind", "")
    if not form.is_valid() or errors:
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(map(str, problems))}")
        for text in errors:
            messages.error(request, text)
        return _back(committee.pk, kind)
    data = form.cleaned_data
    session_in = services.SessionIn(
        kind=data["kind"],
        held_on=data["held_on"],
        place=data["place"],
        agenda=data["agenda"],
        attendance=_members(request.POST.getlist("member"))
        + [services.AttendanceIn(institution=a, attendees=n) for a, n in attendance.items()],
        agreements=[services.AgreementIn(t, o, d) for t, o, d in agreements],
        public_attendance=data["public_attendance"],
        citizen_topics=data["citizen_topics"],
    )
    try:
        services.record_session(request.user, committee.pk, session_in, data["minutes"])
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return _back(committee.pk, kind)
    messages.success(request, _("Session recorded."))
    return _back(committee.pk, kind)


@login_required
@require_POST
def mark_done(request: HttpRequest, committee_id: int, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, agreement_id, write=True)
    if agreement.session.committee_id != committee_id:
        return _back(committee_id)
    form = AgreementDoneForm(request.POST)
    raw = request.POST.get("version", "")
    try:
        if not form.is_valid():
            raise ValidationError([" ".join(map(str, e)) for e in form.errors.values()])
        services.mark_agreement_done(
            request.user,
            agreement.pk,
            form.cleaned_data["done_on"],
            int(raw) if raw.isdigit() else None,
        )
    except (ValidationError, EditConflict) as exc:
        texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        for text in texts:
            messages.error(request, text)
    else:
        messages.success(request, _("Agreement marked done."))
    return _back(committee_id, agreement.session.kind)


@login_required
def minutes(request: HttpRequest, committee_id: int, session_id: int) -> HttpResponseBase:
    """A session's signed minutes, to those who may read the committee."""
    session = get_session_for_user(request.user, session_id)
    if session.committee_id != committee_id:
        raise Http404(_("There is no session %s.") % session_id)
    fallback = f"acta-sesion-{session.held_on.isoformat()}"
    return evidence_response(session.minutes, session.minutes_name, fallback)
