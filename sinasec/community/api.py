"""The API of juntas vecinales, trainings and investment projects (``/api/v1/community``):
the pages' lists (same filters, same access getters), the services' writes, the imports
and the as-of counts a compliance report reads."""

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.community import importers, selectors, services
from sinasec.community.access import (
    can_read_community,
    get_juntas_for_user,
    get_projects_for_user,
    get_training_for_user,
    get_trainings_for_user,
)
from sinasec.community.filters import JuntaFilter, ProjectFilter, TrainingFilter
from sinasec.community.models import (
    Certificate,
    Junta,
    JuntaState,
    Project,
    RecognisedBy,
    Stage,
    Training,
)
from sinasec.core.errors import AccessDenied
from sinasec.core.params import Count, Id, SupportedDate, Year
from sinasec.core.schemas import (
    EVIDENCE_DOWNLOAD,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    EvidenceOut,
    ImportOut,
    responses,
)
from sinasec.core.uploads import evidence_response

router = Router(tags=["community"])
IMPORT_RESPONSES = responses(ImportOut, (401, 403, 422))


class JuntaOut(Schema):
    id: int
    district: str = Field(alias="district_id")
    name: str
    sector: str
    coordinator: str
    members: int
    recognised_by: str
    recognised_on: date
    # active, inactive or not_recognised, as of the ``as_of`` asked (today by default)
    status: str = Field(alias="state")
    is_demo: bool


class JuntaIn(Schema):
    district: str = Field(pattern=r"^\d{6}$")
    name: str = Field(min_length=1, max_length=160)
    sector: str = Field("", max_length=120)
    coordinator: str = Field("", max_length=160)
    members: Count = Field(ge=1)
    recognised_by: RecognisedBy
    recognised_on: SupportedDate


class JuntaStatusIn(Schema):
    status: JuntaState
    since: SupportedDate
    note: str = Field("", max_length=300)


class StatusOut(Schema):
    junta: int = Field(alias="junta_id")
    status: str
    since: date


@router.get("/juntas", response=list[JuntaOut], auth=user_auth)
@paginate
def juntas(
    request: HttpRequest, filters: Query[JuntaFilter], as_of: SupportedDate | None = None
) -> QuerySet[Junta]:
    """The juntas vecinales the caller may read, with their status as of a date."""
    found = filters.filter(get_juntas_for_user(request.user))
    return selectors.with_status(found, as_of or date.today()).order_by("district_id", "name")


@router.post("/juntas", response=responses(JuntaOut, WRITE_ERRORS, 201), auth=user_auth)
def register_junta(request: HttpRequest, payload: JuntaIn) -> tuple[int, Junta]:
    """A junta vecinal of a district (its committee's secretary, the PNP; audited)."""
    junta = services.register_junta(request.user, services.JuntaData(**payload.model_dump()))
    return 201, selectors.with_status(Junta.objects.filter(pk=junta.pk), date.today()).get()


@router.post(
    "/juntas/{junta_id}/status", response=responses(StatusOut, WRITE_ERRORS), auth=user_auth
)
def set_junta_status(request: HttpRequest, junta_id: int, payload: JuntaStatusIn) -> object:
    """A junta active or inactive from a date on (audited)."""
    return services.set_junta_status(
        request.user, junta_id, payload.status, payload.since, payload.note
    )


class CountOut(Schema):
    code: str
    name: str
    active: int
    members: int


class JuntaCountsOut(Schema):
    as_of: date
    regions: list[CountOut]
    districts: list[CountOut]


@router.get("/juntas/counts", response=responses(JuntaCountsOut), auth=user_auth)
def junta_counts(request: HttpRequest, as_of: SupportedDate | None = None) -> dict:
    """Juntas active (and their members) as of a date, by region and district, within
    the caller's scope."""
    day = as_of or date.today()
    counts = selectors.junta_counts(day, get_juntas_for_user(request.user))
    return {"as_of": day, **counts}


@router.post("/juntas/import", response=IMPORT_RESPONSES, auth=user_auth)
def import_juntas(request: HttpRequest, file: File[UploadedFile]) -> dict:
    """Juntas vecinales from an XLSX or CSV file, all or nothing."""
    return importers.import_juntas(request.user, file.name or "juntas.xlsx", file.read()).as_dict()


class ParticipantItem(Schema):
    people: Count = Field(ge=1)
    committee: Id | None = None
    junta: Id | None = None
    institution: str = Field("", max_length=40)


class TrainingIn(Schema):
    event: str = Field(min_length=1, max_length=200)
    topic: str = Field(min_length=1, max_length=200)
    organiser: str = Field(max_length=40, description="the institution's acronym, e.g. PNP")
    held_on: SupportedDate
    committee: Id | None = None
    activity: Id | None = None
    participants: list[ParticipantItem] = []


class ParticipantOut(Schema):
    people: int
    committee: int | None = Field(alias="committee_id")
    junta: int | None = Field(alias="junta_id")
    institution: str | None = Field(alias="institution.acronym", default=None)


class TrainingOut(Schema):
    id: int
    event: str
    topic: str
    organiser: str = Field(alias="organiser.acronym")
    held_on: date
    committee: int | None = Field(alias="committee_id")
    activity: int | None = Field(alias="activity_id")
    participants: list[ParticipantOut]
    certificates: list[EvidenceOut]
    is_demo: bool

    @staticmethod
    def resolve_participants(obj: Training) -> list:
        return list(obj.participants.all())

    @staticmethod
    def resolve_certificates(obj: Training) -> list[dict]:
        return [
            {
                "id": c.pk,
                "name": c.original_name,
                "url": reverse("api:community_certificate", args=[obj.pk, c.pk]),
            }
            for c in obj.certificates.all()
        ]


def _trainings(found: QuerySet[Training]) -> QuerySet[Training]:
    return found.prefetch_related("participants__institution", "certificates")


@router.get("/trainings", response=list[TrainingOut], auth=user_auth)
@paginate
def trainings(request: HttpRequest, filters: Query[TrainingFilter]) -> QuerySet[Training]:
    return _trainings(filters.filter(get_trainings_for_user(request.user))).order_by(
        "-held_on", "id"
    )


@router.post("/trainings", response=responses(TrainingOut, WRITE_ERRORS, 201), auth=user_auth)
def record_training(request: HttpRequest, payload: TrainingIn) -> tuple[int, Training]:
    """A training with its participants (a committee's secretary, the organiser; audited)."""
    data = services.TrainingData(
        event=payload.event,
        topic=payload.topic,
        organiser=payload.organiser,
        held_on=payload.held_on,
        committee_id=payload.committee,
        activity_id=payload.activity,
        participants=tuple(
            services.ParticipantData(p.people, p.committee, p.junta, p.institution)
            for p in payload.participants
        ),
    )
    training = services.record_training(request.user, data)
    return 201, _trainings(Training.objects.filter(pk=training.pk)).get()


@router.post("/trainings/import", response=IMPORT_RESPONSES, auth=user_auth)
def import_trainings(request: HttpRequest, file: File[UploadedFile]) -> dict:
    """Trainings from an XLSX or CSV file, all or nothing."""
    name = file.name or "capacitaciones.xlsx"
    return importers.import_trainings(request.user, name, file.read()).as_dict()


@router.get(
    "/trainings/{training_id}/certificates/{certificate_id}",
    response={code: ErrorOut for code in READ_ERRORS},  # the 200 is the file itself
    auth=user_auth,
    url_name="community_certificate",
    openapi_extra=EVIDENCE_DOWNLOAD,
)
def certificate(request: HttpRequest, training_id: int, certificate_id: int) -> HttpResponseBase:
    """A certificate, to those who may read the training."""
    training = get_training_for_user(request.user, training_id)
    item = Certificate.objects.filter(pk=certificate_id, training=training).first()
    return evidence_response(
        item.file if item else None,  # type: ignore[arg-type]  # None: a 404
        item.original_name if item else "",
        f"certificado-{certificate_id}",
    )


class ReceivedOut(Schema):
    committee: int
    trainings: int


@router.get("/trainings/received", response=list[ReceivedOut], auth=user_auth)
@paginate
def trainings_received(
    request: HttpRequest, as_of: SupportedDate | None = None, since: SupportedDate | None = None
) -> list[dict]:
    """Trainings received per committee up to a date (national roles: every committee)."""
    if not can_read_community(request.user):
        raise AccessDenied(_denied())
    counts = selectors.trainings_by_committee(as_of or date.today(), since)
    return [{"committee": c, "trainings": n} for c, n in sorted(counts.items())]


def _denied() -> str:
    return _("Sign in with a role that reads committees.")


class StageItem(Schema):
    stage: Stage
    reached_on: SupportedDate


class ProjectIn(Schema):
    committee: Id
    cui: str = Field(pattern=r"^\d{7}$")
    name: str = Field(min_length=1, max_length=300)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    stages: list[StageItem] = Field(min_length=1)


class ProjectOut(Schema):
    id: int
    cui: str
    name: str
    committee: int = Field(alias="committee_id")
    amount: Decimal
    stages: list[StageItem]
    is_demo: bool

    @staticmethod
    def resolve_stages(obj: Project) -> list:
        return list(obj.stages.all())


@router.get("/projects", response=list[ProjectOut], auth=user_auth)
@paginate
def projects(request: HttpRequest, filters: Query[ProjectFilter]) -> QuerySet[Project]:
    return (
        filters.filter(get_projects_for_user(request.user))
        .prefetch_related("stages")
        .order_by("cui")
    )


@router.post("/projects", response=responses(ProjectOut, WRITE_ERRORS, 201), auth=user_auth)
def register_project(request: HttpRequest, payload: ProjectIn) -> tuple[int, Project]:
    """A committee's public investment project (its secretary; audited)."""
    stages = {s.stage.value: s.reached_on for s in payload.stages}
    project = services.register_project(
        request.user, payload.committee, payload.cui, payload.name, payload.amount, stages
    )
    return 201, project


@router.post(
    "/projects/{project_id}/stages", response=responses(ProjectOut, WRITE_ERRORS), auth=user_auth
)
def advance_project(request: HttpRequest, project_id: int, payload: StageItem) -> Project:
    """A project reached a later stage on a date (audited)."""
    row = services.advance_project(
        request.user, project_id, payload.stage.value, payload.reached_on
    )
    return Project.objects.prefetch_related("stages").get(pk=row.project_id)


class Strategy5Out(Schema):
    year: int
    activity: str
    goal: int | None
    programmed: list[int | None]
    formulated: list[int]
    cumulative_programmed: int
    cumulative_formulated: int


@router.get("/projects/strategy5", response=responses(Strategy5Out), auth=user_auth)
def strategy5(request: HttpRequest, year: Year, as_of: SupportedDate | None = None) -> object:
    """Projects formulated by month against strategy 5 activity 2 of the year's plan."""
    if not can_read_community(request.user):
        raise AccessDenied(_denied())
    return selectors.strategy5(year, as_of)
