from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.committees import services
from sinasec.committees.access import (
    get_committee_for_user,
    get_committees_for_user,
    get_event_for_user,
)
from sinasec.committees.compliance import compliance_as_of
from sinasec.committees.filters import MAX_SERIES_MONTHS, CommitteeFilter
from sinasec.committees.models import (
    Committee,
    CommitteeEvent,
    EventKind,
    Member,
    evidence_fallback,
)
from sinasec.committees.series import monthly_series
from sinasec.core.params import SupportedDate, Year, column_length
from sinasec.core.schemas import EVIDENCE_DOWNLOAD, ErrorOut, InvalidOut
from sinasec.core.uploads import evidence_response
from sinasec.institutions.models import Institution

router = Router(tags=["committees"])


class MemberSchema(Schema):
    name: str = Field(max_length=column_length(Member, "name"))
    institution: str = Field("", max_length=column_length(Institution, "acronym"))
    role: str = Field("", max_length=column_length(Member, "role"))


class EventOut(Schema):
    id: int
    kind: str
    date: date
    year: int | None
    person: str
    document: str
    is_demo: bool
    members: list[MemberSchema]
    # The acta's download (this API, same access check as the committee), or null.
    evidence_url: str | None

    @staticmethod
    def resolve_evidence_url(obj: CommitteeEvent) -> str | None:
        if not obj.evidence:
            return None
        return reverse("api:committee_event_evidence", args=[obj.committee_id, obj.pk])

    @staticmethod
    def resolve_members(obj: object) -> list[dict]:
        return [
            {
                "name": m.name,
                "institution": m.institution.acronym if m.institution else "",
                "role": m.role,
            }
            for m in obj.members.all()  # type: ignore[attr-defined]
        ]


class CommitteeListOut(Schema):
    id: int
    level: str
    ubigeo: str
    name: str
    established_on: date | None
    is_demo: bool


class CommitteeOut(CommitteeListOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Committee) -> list:
        return list(obj.events.prefetch_related("members__institution"))


class EventIn(Schema):
    kind: EventKind
    date: SupportedDate
    year: Year | None = None
    person: str = Field("", max_length=column_length(CommitteeEvent, "person"))
    document: str = Field("", max_length=column_length(CommitteeEvent, "document"))
    members: list[MemberSchema] = []


class FigureOut(Schema):
    done: int
    total: int
    pct: float | None


class DoneTotalOut(Schema):
    done: int
    total: int


class LevelFiguresOut(Schema):
    # None: the indicator does not apply to that level ("no aplica").
    regional: FigureOut | None
    provincial: FigureOut | None
    district: FigureOut | None
    total: FigureOut


class DefinitionOut(Schema):
    code: str
    label: str
    levels: list[str]


class PendingOut(Schema):
    id: int
    level: str
    ubigeo: str
    name: str
    detail: str


class TimelinessOut(Schema):
    deadline: date
    on_time: int
    late: int


class ComplianceOut(Schema):
    as_of: date
    plan_year: int
    region: str | None
    indicators: dict[str, LevelFiguresOut]
    definitions: list[DefinitionOut]
    plan_timeliness: TimelinessOut
    by_region: dict[str, dict[str, DoneTotalOut]]
    by_province: dict[str, dict[str, DoneTotalOut]]
    pending: dict[str, list[PendingOut]]


class MonthOut(Schema):
    date: date
    plan_year: int | None
    installed: FigureOut
    sworn: FigureOut
    plan: FigureOut
    secretary: FigureOut


class SeriesOut(Schema):
    start: date
    end: date
    region: str | None
    months: list[MonthOut]


@router.get(
    "/compliance",
    response={200: ComplianceOut, 422: InvalidOut},
    summary="Compliance by indicator and level as of a date",
)
def compliance(
    request: HttpRequest,
    as_of: SupportedDate,
    region: str | None = None,
    plan_year: Year | None = None,
) -> dict[str, object]:
    report = compliance_as_of(as_of, region, plan_year)
    return dict(report.as_dict(full=True))


@router.get(
    "/compliance/series",
    response={200: SeriesOut, 422: InvalidOut},
    summary="Monthly series of each percentage (month ends)",
)
def compliance_series(
    request: HttpRequest, start: SupportedDate, end: SupportedDate, region: str | None = None
) -> dict[str, object]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if not 0 < months <= MAX_SERIES_MONTHS:
        raise ValidationError(
            _("The series runs from its start to its end, %(most)d months at most.")
            % {"most": MAX_SERIES_MONTHS}
        )
    return {
        "start": start,
        "end": end,
        "region": region,
        "months": monthly_series(start, end, region),
    }


@router.get(
    "",
    response={200: list[CommitteeListOut], 401: ErrorOut, 403: ErrorOut},
    auth=user_auth,
    summary="The committees whose records the caller may read",
)
@paginate
def committees(request: HttpRequest, filters: Query[CommitteeFilter]) -> object:
    return filters.filter(get_committees_for_user(request.user)).order_by("level", "ubigeo")


@router.get(
    "/{committee_id}",
    response={200: CommitteeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=user_auth,
)
def committee(request: HttpRequest, committee_id: int) -> Committee:
    return get_committee_for_user(request.user, committee_id)


@router.post(
    "/{committee_id}/events",
    response={200: EventOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    auth=user_auth,
)
def record(request: HttpRequest, committee_id: int, payload: EventIn) -> object:
    return services.record_event(
        request.user,
        committee_id,
        payload.kind,
        payload.date,
        year=payload.year,
        person=payload.person,
        document=payload.document,
        members=[services.MemberIn(m.name, m.institution, m.role) for m in payload.members],
    )


@router.get(
    "/{committee_id}/events/{event_id}/evidence",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=user_auth,
    url_name="committee_event_evidence",
    summary="An event's evidence file (acta), to those who may read the committee",
    openapi_extra=EVIDENCE_DOWNLOAD,
)
def event_evidence(request: HttpRequest, committee_id: int, event_id: int) -> HttpResponseBase:
    event = get_event_for_user(request.user, event_id, committee_id=committee_id)
    return evidence_response(event.evidence, event.evidence_name, evidence_fallback(event))
