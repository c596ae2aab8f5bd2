"""Sessions' API: a committee's (and the commission's) sessions with attendance, quorum
and agreements; recording one; an agreement done (versioned: the body carries the
version read, a change since is a 409); the signed minutes. Lists take their filter
from ``meetings.filters``; writes call the page's services."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.core.params import Count, Id, SmallCount, SupportedDate
from sinasec.core.schemas import EVIDENCE_DOWNLOAD, ConflictOut, ErrorOut, InvalidOut
from sinasec.core.uploads import evidence_response
from sinasec.meetings import selectors, services
from sinasec.meetings.access import (
    get_agreement_for_user,
    get_session_for_user,
    get_sessions_for_user,
)
from sinasec.meetings.filters import MeetingFilter
from sinasec.meetings.models import Agreement, Session, SessionKind

router = Router(tags=["meetings"])
READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut}
WRITE = {**READ, 409: ConflictOut}


class MeetingAttendanceIn(Schema):
    member: Id | None = Field(None, description="a sworn member's id (committees API)")
    institution: str = Field("", description="an institution's acronym, e.g. PNP")
    attendees: SmallCount = Field(1, ge=1)


class MeetingAgreementOut(Schema):
    id: int
    session: int = Field(alias="session_id")
    text: str
    owner: str = Field(alias="owner.acronym")
    deadline: date
    status: str  # done, pending or overdue (as of today)
    done_on: date | None
    version: int

    @staticmethod
    def resolve_status(obj: Agreement) -> str:
        return selectors.agreement_status(obj, timezone.localdate())


class MeetingAgreementIn(Schema):
    text: str = Field(min_length=1)
    owner: str
    deadline: SupportedDate


class MeetingQuorumOut(Schema):
    sworn: int
    present: int
    needed: int
    reached: bool | None


class MeetingSessionOut(Schema):
    id: int
    body: str
    kind: str
    committee: int | None = Field(alias="committee_id")
    held_on: date
    place: str
    agenda: str
    public_attendance: int | None
    citizen_topics: str
    minutes_url: str | None
    is_demo: bool
    recorded_by: str = Field(alias="recorded_by.username")
    attendance: list[dict[str, Any]]
    quorum: MeetingQuorumOut
    agreements: list[MeetingAgreementOut]

    @staticmethod
    def resolve_minutes_url(obj: Session) -> str | None:
        return f"/api/v1/meetings/sessions/{obj.pk}/minutes" if obj.minutes else None

    @staticmethod
    def resolve_attendance(obj: Session) -> list[dict[str, Any]]:
        return [
            {
                "member": a.member_id,
                "name": a.member.name if a.member else None,
                "institution": a.institution.acronym if a.institution else None,
                "attendees": a.attendees,
            }
            for a in obj.attendance.all()
        ]

    @staticmethod
    def resolve_quorum(obj: Session) -> dict[str, Any]:
        q = selectors.quorum_of(obj)
        return {"sworn": q.sworn, "present": q.present, "needed": q.needed, "reached": q.reached}

    @staticmethod
    def resolve_agreements(obj: Session) -> list[Agreement]:
        return list(obj.agreements.all())


class MeetingSessionIn(Schema):
    committee: Id
    kind: SessionKind = SessionKind.ORDINARY
    held_on: SupportedDate
    place: str = Field("", max_length=160)
    agenda: str = Field("", max_length=4000)
    attendance: list[MeetingAttendanceIn] = []
    agreements: list[MeetingAgreementIn] = []
    public_attendance: Count | None = None
    citizen_topics: str = Field("", max_length=4000)


class MeetingDoneIn(Schema):
    done_on: SupportedDate
    version: int = Field(ge=1, description="the agreement's version read (409 if it changed)")


@router.get("/sessions", response=list[MeetingSessionOut], auth=user_auth)
@paginate
def sessions(request: HttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Session]:
    """Sessions of the committees the user reads (the commission's for national roles)."""
    found = filters.filter(get_sessions_for_user(request.user))
    return selectors.with_details(found).order_by("-held_on", "-id")


@router.get("/sessions/{session_id}", response={200: MeetingSessionOut, **READ}, auth=user_auth)
def session(request: HttpRequest, session_id: int) -> Session:
    get_session_for_user(request.user, session_id)
    return selectors.with_details(Session.objects.filter(pk=session_id)).get()


@router.post("/sessions", response={201: MeetingSessionOut, **WRITE}, auth=user_auth)
def record_session(request: HttpRequest, payload: MeetingSessionIn) -> tuple[int, Session]:
    """A committee's session or public consultation with attendance and agreements
    (the committee's secretary; audited). Minutes: upload them on the page."""
    data = services.SessionIn(
        kind=payload.kind,
        held_on=payload.held_on,
        place=payload.place,
        agenda=payload.agenda,
        attendance=[
            services.AttendanceIn(a.member, a.institution, a.attendees) for a in payload.attendance
        ],
        agreements=[services.AgreementIn(a.text, a.owner, a.deadline) for a in payload.agreements],
        public_attendance=payload.public_attendance,
        citizen_topics=payload.citizen_topics,
    )
    created = services.record_session(request.user, payload.committee, data)
    return 201, selectors.with_details(Session.objects.filter(pk=created.pk)).get()


@router.post(
    "/agreements/{agreement_id}/done", response={200: MeetingAgreementOut, **WRITE}, auth=user_auth
)
def mark_agreement_done(
    request: HttpRequest, agreement_id: int, payload: MeetingDoneIn
) -> Agreement:
    """An agreement carried out on a date (the committee's secretary; audited)."""
    get_agreement_for_user(request.user, agreement_id, write=True)
    return services.mark_agreement_done(
        request.user, agreement_id, payload.done_on, payload.version
    )


@router.get(
    "/sessions/{session_id}/minutes",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=user_auth,
    openapi_extra=EVIDENCE_DOWNLOAD,
)
def minutes(request: HttpRequest, session_id: int) -> HttpResponseBase:
    """The signed minutes, as an attachment, to those who may read the committee."""
    found = get_session_for_user(request.user, session_id)
    return evidence_response(found.minutes, found.minutes_name, f"acta-sesion-{found.held_on}")
