from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from sinasec.accounts.auth import user_auth
from sinasec.committees import services
from sinasec.committees.access import get_committee_for_user
from sinasec.committees.compliance import compliance_as_of
from sinasec.committees.models import Committee, EventKind
from sinasec.committees.series import monthly_series

router = Router(tags=["committees"])


class MemberSchema(Schema):
    name: str
    institution: str = ""
    role: str = ""


class EventOut(Schema):
    id: int
    kind: str
    date: date
    year: int | None
    person: str
    document: str
    is_demo: bool
    members: list[MemberSchema]

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


class CommitteeOut(Schema):
    id: int
    level: str
    ubigeo: str
    name: str
    established_on: date | None
    is_demo: bool
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: Committee) -> list:
        return list(obj.events.prefetch_related("members__institution"))


class EventIn(Schema):
    kind: EventKind
    date: date
    year: int | None = None
    person: str = ""
    document: str = ""
    members: list[MemberSchema] = []


@router.get("/compliance", summary="Compliance by indicator and level as of a date")
def compliance(
    request: HttpRequest, as_of: date, region: str | None = None, plan_year: int | None = None
) -> dict:
    report = compliance_as_of(as_of, region, plan_year)
    data = report.as_dict()
    data["by_region"] = {
        code: {k: {"done": d, "total": t} for k, (d, t) in values.items()}
        for code, values in report.by_region.items()
    }
    return data


@router.get("/compliance/series", summary="Monthly series of each percentage (month ends)")
def compliance_series(
    request: HttpRequest, start: date, end: date, region: str | None = None
) -> list[dict]:
    return [
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if k != "levels"}
        for row in monthly_series(start, end, region)
    ]


@router.get("/{committee_id}", response=CommitteeOut, auth=user_auth)
def committee(request: HttpRequest, committee_id: int) -> Committee:
    return get_committee_for_user(request.user, committee_id)


@router.post("/{committee_id}/events", response=EventOut, auth=user_auth)
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
