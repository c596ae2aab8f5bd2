"""The plans API's schemas: what every endpoint returns and takes."""

from datetime import date, datetime
from typing import Annotated, Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from sinasec.core.schemas import ConflictOut, ErrorOut, EvidenceOut, InvalidOut
from sinasec.plans.execution.selectors import due_date, timeliness
from sinasec.plans.models import Activity, ActivityPart, ExecutionReport, Plan
from sinasec.plans.progress import ActivityProgress, StatusCounts

MAX_QUANTITY = 2_147_483_647  # the database's integer


# What a read may answer besides 200 (an unknown record; a query that is not valid), and
# what a signed-in read or a write may add (anonymous, outside scope, a conflict).
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut, 422: InvalidOut}
ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 401: ErrorOut, 403: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: ConflictOut}


class PlanOut(Schema):
    id: int
    year: int
    # The span of the plan this is the year's programme of (equal to year: single-year).
    start_year: int
    end_year: int
    title: str
    status: str
    level: str  # national, regional, provincial, district
    committee: int | None
    committee_name: str | None
    ubigeo: str | None
    source: str
    is_demo: bool

    @staticmethod
    def resolve_level(obj: Plan) -> str:
        return obj.committee.level if obj.committee else "national"

    @staticmethod
    def resolve_committee(obj: Plan) -> int | None:
        return obj.committee_id

    @staticmethod
    def resolve_committee_name(obj: Plan) -> str | None:
        return obj.committee.name if obj.committee else None

    @staticmethod
    def resolve_ubigeo(obj: Plan) -> str | None:
        return obj.committee.ubigeo if obj.committee else None


class StrategyOut(Schema):
    number: int
    name: str


class PlanDetailOut(PlanOut):
    strategies: list[StrategyOut]

    @staticmethod
    def resolve_strategies(obj: Plan) -> list[Any]:
        return list(obj.strategies.all())


class PartOut(Schema):
    id: int
    order: int
    responsible: str
    institutions: list[str]  # acronyms
    goal: int | None
    programmed: list[int | None]  # January to December; null: unknown in the source
    note: str

    @staticmethod
    def resolve_responsible(obj: ActivityPart) -> str:
        return obj.responsible_text

    @staticmethod
    def resolve_institutions(obj: ActivityPart) -> list[str]:
        return [i.acronym for i in obj.institutions.all()]


class ActivityOut(Schema):
    id: int
    code: str
    strategy: int
    strategy_name: str
    number: int
    description: str
    unit: str
    parts: list[PartOut]

    @staticmethod
    def resolve_strategy(obj: Activity) -> int:
        return obj.strategy.number

    @staticmethod
    def resolve_strategy_name(obj: Activity) -> str:
        return obj.strategy.name

    @staticmethod
    def resolve_parts(obj: Activity) -> list[ActivityPart]:
        return list(obj.parts.all())


class ProgressOut(Schema):
    plan: int
    as_of: date
    counts: StatusCounts
    activities: list[ActivityProgress]  # status: green, yellow, red or not_due


class ExecutionReportOut(Schema):
    id: int
    part: int
    activity: str
    institution: int
    institution_acronym: str
    month: int
    executed: int
    comment: str
    status: str  # draft, submitted, approved, returned
    reason: str
    version: int
    submitted_at: datetime | None
    decided_at: datetime | None
    due: date
    timeliness: str  # on_time, late, pending
    evidence: list[EvidenceOut]  # each file's download (this API, same access check)

    @staticmethod
    def resolve_evidence(obj: ExecutionReport) -> list[dict[str, object]]:
        plan_id = obj.part.activity.strategy.plan_id
        return [
            {
                "id": e.pk,
                "name": str(e),
                "url": reverse("api:plan_evidence", args=[plan_id, e.pk]),
            }
            for e in obj.evidence.all()
        ]

    @staticmethod
    def resolve_part(obj: ExecutionReport) -> int:
        return obj.part_id

    @staticmethod
    def resolve_activity(obj: ExecutionReport) -> str:
        return obj.part.activity.code

    @staticmethod
    def resolve_institution(obj: ExecutionReport) -> int:
        return obj.institution_id

    @staticmethod
    def resolve_institution_acronym(obj: ExecutionReport) -> str:
        return obj.institution.acronym

    @staticmethod
    def resolve_due(obj: ExecutionReport) -> date:
        return due_date(obj.part.activity.strategy.plan.year, obj.month)

    @staticmethod
    def resolve_timeliness(obj: ExecutionReport) -> str:
        return timeliness(obj)


class ExecutionIn(Schema):
    """A month's execution of an activity part, for an institution (a draft)."""

    part: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
    institution: Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
    month: Annotated[int, Field(ge=1, le=12)]
    executed: Annotated[int, Field(ge=0, le=MAX_QUANTITY)]
    comment: str = ""
    # The version read, required (0: the client saw no report of that month); a report
    # saved by someone else since, or one that exists when 0 was sent, is a conflict (409).
    version: Annotated[
        int,
        Field(
            ge=0,
            le=MAX_QUANTITY,
            description="the report's version read, 0 if there was none (required; 409 if stale)",
        ),
    ]


class TransitionIn(Schema):
    """A month's submit or approval: the version the client read, required, so that a
    decision is never taken on content the client did not see (409 if stale)."""

    version: Annotated[
        int,
        Field(
            ge=1,
            le=MAX_QUANTITY,
            description="the report's version read (required; 409 if it changed since)",
        ),
    ]


class ReasonIn(TransitionIn):
    """A month's return or reopening: the reason, and the version the client read."""

    reason: str


class RankRowOut(Schema):
    rank: int
    committee_id: int
    committee: str
    level: str  # CORESEC, COPROSEC, CODISEC
    ubigeo: str
    programmed: int
    executed: int
    rate_pct: float | None  # none: nothing programmed in the period's months due
    flagged: bool  # rate below the threshold


class RankingOut(Schema):
    year: int
    period: str  # semester or quarter
    number: int
    as_of: date
    threshold_pct: float
    committees: int
    flagged: int
    rows: list[RankRowOut]
