"""Reads of juntas, trainings and projects, all as of a date and set-based: one query per
figure whatever the number of committees, so a compliance engine can call them for
1,918 committees at once (``active_juntas_by_district``, ``trainings_by_committee``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth

from sinasec.community.models import (
    STAGE_ORDER,
    Junta,
    JuntaState,
    JuntaStatus,
    Participation,
    Project,
    ProjectStage,
    Stage,
    Training,
)
from sinasec.core.peru import region_code_for
from sinasec.plans.models import Activity, ExecutionReport, Plan, ReportStatus
from sinasec.territories.models import Region

# The 2010 plan's strategy 5 ("Promover la formulación de proyectos de inversión pública"):
# activity 2 counts the projects committees formulate.
STRATEGY_PROJECTS = 5
ACTIVITY_FORMULATED = 2


NOT_RECOGNISED = "not_recognised"


def with_status(juntas: QuerySet[Junta], as_of: date) -> QuerySet[Junta]:
    """Each junta with ``status_as_of``, its last status change on or before the date
    (None: none since its recognition), and ``state``: ``active``, ``inactive`` or
    ``not_recognised`` (yet) on that date."""
    last = JuntaStatus.objects.filter(junta=OuterRef("pk"), since__lte=as_of).order_by(
        "-since", "-id"
    )
    return juntas.annotate(status_as_of=Subquery(last.values("status")[:1])).annotate(
        state=Case(
            When(recognised_on__gt=as_of, then=Value(NOT_RECOGNISED)),
            When(status_as_of__isnull=True, then=Value(JuntaState.ACTIVE.value)),
            default=F("status_as_of"),
            output_field=CharField(),
        )
    )


def active_juntas(as_of: date, juntas: QuerySet[Junta] | None = None) -> QuerySet[Junta]:
    """The juntas recognised by the date and not inactive on it."""
    base = Junta.objects.all() if juntas is None else juntas
    return with_status(base.filter(recognised_on__lte=as_of), as_of).filter(
        Q(status_as_of__isnull=True) | Q(status_as_of=JuntaState.ACTIVE)
    )


def active_juntas_by_district(as_of: date) -> dict[str, int]:
    """District ubigeo -> juntas active on the date (districts with none are absent)."""
    rows = active_juntas(as_of).values("district_id").annotate(n=Count("pk")).order_by()
    return {r["district_id"]: r["n"] for r in rows}


@dataclass(frozen=True)
class JuntaCount:
    code: str  # a region code or a district ubigeo
    name: str
    active: int
    members: int


def junta_counts(as_of: date, juntas: QuerySet[Junta] | None = None) -> dict[str, list]:
    """Active juntas and their members as of a date, by region and by district."""
    rows = (
        active_juntas(as_of, juntas)
        .values("district_id", "district__name")
        .annotate(n=Count("pk"), members=Sum("members"))
        .order_by("district_id")
    )
    districts = [
        JuntaCount(r["district_id"], r["district__name"], r["n"], r["members"]) for r in rows
    ]
    active: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for d in districts:
        region = region_code_for(d.code) or d.code[:2]
        active[region] += d.active
        members[region] += d.members
    names = dict(Region.objects.values_list("code", "name"))
    regions = [JuntaCount(c, names.get(c, c), active[c], members[c]) for c in sorted(active)]
    return {"regions": regions, "districts": districts}


def trainings_by_committee(as_of: date, since: date | None = None) -> dict[int, int]:
    """Committee id -> distinct trainings its people took part in, held on or before the
    date (and on or after ``since``); committees with none are absent."""
    participations = Participation.objects.filter(
        committee__isnull=False, training__held_on__lte=as_of
    )
    if since is not None:
        participations = participations.filter(training__held_on__gte=since)
    rows = (
        participations.values("committee_id")
        .annotate(n=Count("training_id", distinct=True))
        .order_by()
    )
    return {r["committee_id"]: r["n"] for r in rows}


def with_stage(projects: QuerySet[Project], as_of: date) -> QuerySet[Project]:
    """Each project with ``stage_as_of`` (the last stage reached by the date, None if it
    had not reached any) and ``stage_since``."""
    last = ProjectStage.objects.filter(project=OuterRef("pk"), reached_on__lte=as_of).order_by(
        "-reached_on", "-id"
    )
    return projects.annotate(
        stage_as_of=Subquery(last.values("stage")[:1]),
        stage_since=Subquery(last.values("reached_on")[:1]),
    )


def projects_by_stage(as_of: date, projects: QuerySet[Project] | None = None) -> dict[str, dict]:
    """Per stage: how many projects were at it on the date and their amount."""
    base = Project.objects.all() if projects is None else projects
    rows = (
        with_stage(base, as_of)
        .exclude(stage_as_of__isnull=True)  # type: ignore[misc]  # an annotation
        .values("stage_as_of")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    found = {r["stage_as_of"]: r for r in rows}
    return {
        s: {
            "label": str(Stage(s).label),
            "projects": found[s]["n"] if s in found else 0,
            "amount": found[s]["amount"] if s in found else 0,
        }
        for s in STAGE_ORDER
    }


@dataclass(frozen=True)
class Strategy5:
    year: int
    activity: str  # the activity's description, or "" when the plan has no such activity
    goal: int | None
    programmed: list[int | None]  # per month
    formulated: list[int]  # projects that reached "formulated" in the month
    cumulative_programmed: int
    cumulative_formulated: int


def strategy5(year: int, as_of: date | None = None) -> Strategy5:
    """Projects formulated by the committees, month by month, against the national
    plan's strategy 5 activity 2 of that year (the 2010 plan: 22 projects). Counted up
    to ``as_of`` (default: the year's end); programmed months after it are not due."""
    as_of = as_of or date(year, 12, 31)
    activity = (
        Activity.objects.filter(
            strategy__plan__year=year,
            strategy__plan__committee__isnull=True,
            strategy__number=STRATEGY_PROJECTS,
            number=ACTIVITY_FORMULATED,
        )
        .prefetch_related("parts")
        .first()
    )
    programmed: list[int | None] = [0] * 12
    goal: int | None = None
    if activity is not None:
        parts = list(activity.parts.all())
        goal = sum(p.goal or 0 for p in parts) if parts else None
        programmed = [
            sum((p.programmed[m] or 0) for p in parts if len(p.programmed) == 12) for m in range(12)
        ]
    reached = (
        ProjectStage.objects.filter(
            stage=Stage.FORMULATED, reached_on__year=year, reached_on__lte=as_of
        )
        .annotate(month=ExtractMonth("reached_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    formulated = [0] * 12
    for r in reached:
        formulated[r["month"] - 1] = r["n"]
    due = as_of.month if as_of.year == year else (12 if as_of.year > year else 0)
    return Strategy5(
        year,
        activity.description if activity else "",
        goal,
        programmed,
        formulated,
        sum(p or 0 for p in programmed[:due]),
        sum(formulated),
    )


@dataclass(frozen=True)
class ActivityTrainings:
    activity: Activity
    programmed: list[int]  # summed over the activity's parts
    executed: list[int]  # approved monthly reports, summed over institutions
    trainings: list[int]  # linked trainings held in each month


def plan_trainings(plan: Plan) -> list[ActivityTrainings]:
    """The plan's activities that trainings are linked to: per month, what was
    programmed, what the institutions reported as executed (approved) and, beside it,
    the trainings recorded against the activity. The trainings are shown, not added to
    the executed quantity: an institution's monthly report may already count them."""
    linked = (
        Training.objects.filter(activity__strategy__plan=plan, held_on__year=plan.year)
        .annotate(month=ExtractMonth("held_on"))
        .values("activity_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_activity: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for row in linked:
        by_activity[row["activity_id"]][row["month"] - 1] = row["n"]
    activities = (
        Activity.objects.filter(pk__in=by_activity)
        .select_related("strategy")
        .prefetch_related("parts")
        .order_by("strategy__number", "number")
    )
    executed: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for r in (
        ExecutionReport.objects.filter(part__activity__in=by_activity, status=ReportStatus.APPROVED)
        .values("part__activity_id", "month")
        .annotate(n=Sum("executed"))
        .order_by()
    ):
        executed[r["part__activity_id"]][r["month"] - 1] = r["n"]
    return [
        ActivityTrainings(
            a,
            [
                sum((p.programmed[m] or 0) for p in a.parts.all() if len(p.programmed) == 12)
                for m in range(12)
            ],
            executed[a.pk],
            by_activity[a.pk],
        )
        for a in activities
    ]


def junta_trainings(junta: Junta) -> QuerySet[Training]:
    """The trainings a junta's members took part in."""
    return (
        Training.objects.filter(participants__junta=junta)
        .select_related("organiser")
        .annotate(people=Sum("participants__people", filter=Q(participants__junta=junta)))
        .order_by("-held_on")
    )
