"""Every write of juntas vecinales, trainings and investment projects: each checks access
through ``access``, validates (a clear Spanish error, nothing changed), owns its
transaction and writes the audit record. The checks of one record are functions of
their own (``*_errors``) so the imports report the very same reasons, row by row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import get_committee_for_user
from sinasec.committees.models import Committee
from sinasec.community.access import (
    can_write_junta,
    can_write_training,
    get_junta_for_user,
    get_project_for_user,
    get_training_for_user,
)
from sinasec.community.models import (
    STAGE_ORDER,
    Certificate,
    Junta,
    JuntaState,
    JuntaStatus,
    Participation,
    Project,
    ProjectStage,
    RecognisedBy,
    Stage,
    Training,
)
from sinasec.core.cache import bump_generation
from sinasec.core.errors import AccessDenied
from sinasec.core.params import date_out_of_range, field_errors
from sinasec.core.uploads import check_evidence, evidence_saver
from sinasec.institutions.models import Institution
from sinasec.plans.models import Activity
from sinasec.territories.models import Level, Territory

MAX_AMOUNT = Decimal("999999999999.99")  # the column's 14 digits


def _user(actor: AnyUser) -> User:
    if not isinstance(actor, User):
        raise AccessDenied(_("Sign in first."))
    return actor


def _not_future(day: date | None) -> str | None:
    if day is not None and day > timezone.localdate():
        return _("the date cannot be in the future")
    return None


# --- juntas vecinales ------------------------------------------------------------------


@dataclass(frozen=True)
class JuntaData:
    district: str  # ubigeo
    name: str
    members: int
    recognised_by: str
    recognised_on: date
    sector: str = ""
    coordinator: str = ""


def junta_errors(data: JuntaData) -> dict[str, str]:
    """Why a junta cannot be stored as given (field -> reason); empty when it can."""
    errors = field_errors(
        Junta,
        texts={"name": data.name, "sector": data.sector, "coordinator": data.coordinator},
        dates={"recognised_on": data.recognised_on},
    )
    if not data.name.strip():
        errors["name"] = _("a value is required")
    if data.recognised_by not in RecognisedBy.values:
        errors["recognised_by"] = _("recognised by the PNP (pnp) or the municipality")
    if data.members < 1:
        errors["members"] = _("a junta has at least one member")
    if "recognised_on" not in errors and (future := _not_future(data.recognised_on)):
        errors["recognised_on"] = future
    if not Territory.objects.filter(ubigeo=data.district, level=Level.DISTRICT).exists():
        errors["district"] = _("“%s” is not a district ubigeo") % data.district
    return errors


def junta_fields(data: JuntaData) -> dict[str, object]:
    return {
        "sector": data.sector,
        "coordinator": data.coordinator,
        "members": data.members,
        "recognised_by": data.recognised_by,
        "recognised_on": data.recognised_on,
    }


def register_junta(actor: AnyUser, data: JuntaData, *, is_demo: bool = False) -> Junta:
    """A junta vecinal recognised in a district (active from its recognition date)."""
    errors = junta_errors(data)
    if errors:
        raise ValidationError(errors)
    if not can_write_junta(actor, data.district, data.recognised_by):
        raise AccessDenied(_("You can only register juntas vecinales of your own district."))
    if Junta.objects.filter(district_id=data.district, name=data.name.strip()).exists():
        raise ValidationError({"name": _("This district already has a junta with that name.")})
    with transaction.atomic():
        junta = Junta.objects.create(
            district_id=data.district,
            name=data.name.strip(),
            is_demo=is_demo,
            recorded_by=actor if isinstance(actor, User) else None,
            **junta_fields(data),
        )
        _audit_junta(actor, "community.register_junta", junta, None)
        bump_generation("committees")
    return junta


def _audit_junta(actor: AnyUser, action: str, junta: Junta, before: dict | None) -> None:
    record_change(
        actor,
        action,
        junta,
        _("Junta vecinal %(name)s (%(district)s)")
        % {"name": junta.name, "district": junta.district_id},
        before=before,
        after={
            "members": junta.members,
            "recognised_by": junta.recognised_by,
            "recognised_on": junta.recognised_on.isoformat(),
        },
        territory_ubigeo=junta.district_id,
    )


def set_junta_status(
    actor: AnyUser, junta_id: int, status: str, since: date, note: str = ""
) -> JuntaStatus:
    """A junta active or inactive from ``since`` on (the history is kept)."""
    junta = get_junta_for_user(actor, junta_id, write=True)
    errors = field_errors(JuntaStatus, texts={"note": note}, dates={"since": since})
    if status not in JuntaState.values:
        errors["status"] = _("the status is active or inactive")
    if "since" not in errors and since < junta.recognised_on:
        errors["since"] = _("the date is before the junta was recognised")
    if "since" not in errors and (future := _not_future(since)):
        errors["since"] = future
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        change, _created = JuntaStatus.objects.update_or_create(
            junta=junta,
            since=since,
            defaults={"status": status, "note": note, "recorded_by": _user(actor)},
        )
        record_change(
            actor,
            "community.set_junta_status",
            change,
            _("Junta vecinal %(name)s %(status)s since %(date)s")
            % {"name": junta.name, "status": change.get_status_display(), "date": since},
            after={"status": status, "since": since.isoformat(), "note": note},
            territory_ubigeo=junta.district_id,
        )
        bump_generation("committees")
    return change


# --- trainings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantData:
    people: int
    committee_id: int | None = None
    junta_id: int | None = None
    institution: str = ""  # acronym


@dataclass(frozen=True)
class TrainingData:
    event: str
    topic: str
    organiser: str  # acronym
    held_on: date
    participants: tuple[ParticipantData, ...] = ()
    committee_id: int | None = None
    activity_id: int | None = None


def activity_errors(activity_id: int | None, held_on: date, committee_id: int | None) -> str | None:
    """A linked activity must be of a plan of the training's year: the national plan or
    the plan of the committee recording the training."""
    if activity_id is None:
        return None
    activity = Activity.objects.select_related("strategy__plan").filter(pk=activity_id).first()
    if activity is None:
        return _("there is no plan activity %s") % activity_id
    plan = activity.strategy.plan
    if plan.year != held_on.year:
        return _("the activity is of the %(plan)d plan, the training of %(year)d") % {
            "plan": plan.year,
            "year": held_on.year,
        }
    if plan.committee_id is not None and plan.committee_id != committee_id:
        return _("the activity is of another committee's plan")
    return None


def training_errors(data: TrainingData, institutions: dict[str, int]) -> dict[str, str]:
    errors = field_errors(
        Training, texts={"event": data.event, "topic": data.topic}, dates={"held_on": data.held_on}
    )
    for name in ("event", "topic"):
        if not getattr(data, name).strip():
            errors[name] = _("a value is required")
    if data.organiser.upper() not in institutions:
        errors["organiser"] = _("unknown institution: %s") % data.organiser
    if "held_on" not in errors and (future := _not_future(data.held_on)):
        errors["held_on"] = future
    if problem := activity_errors(data.activity_id, data.held_on, data.committee_id):
        errors["activity"] = problem
    for p in data.participants:
        if p.people < 1:
            errors["participants"] = _("each row of participants counts at least one person")
        elif p.institution and p.institution.upper() not in institutions:
            errors["participants"] = _("unknown institution: %s") % p.institution
        elif not (p.committee_id or p.junta_id or p.institution):
            errors["participants"] = _("say whose participants: a committee, junta or institution")
    return errors


def institution_ids() -> dict[str, int]:
    """Acronyms (upper case) -> id: what a training may name as organiser or institution."""
    return {a.upper(): pk for pk, a in Institution.objects.values_list("pk", "acronym")}


def record_training(actor: AnyUser, data: TrainingData, *, is_demo: bool = False) -> Training:
    """A training with its participants by committee, junta and institution."""
    institutions = institution_ids()
    errors = training_errors(data, institutions)
    if errors:
        raise ValidationError(errors)
    committee = (
        get_committee_for_user(actor, data.committee_id) if data.committee_id is not None else None
    )
    organiser_id = institutions[data.organiser.upper()]
    if not can_write_training(actor, committee, organiser_id):
        raise AccessDenied(
            _("You can record the trainings of your committee or of your institution.")
        )
    if Training.objects.filter(
        event=data.event.strip(), held_on=data.held_on, organiser_id=organiser_id
    ).exists():
        raise ValidationError({"event": _("This training is already recorded.")})
    with transaction.atomic():
        training = Training.objects.create(
            event=data.event.strip(),
            topic=data.topic.strip(),
            organiser_id=organiser_id,
            held_on=data.held_on,
            committee=committee,
            activity_id=data.activity_id,
            is_demo=is_demo,
            recorded_by=actor if isinstance(actor, User) else None,
        )
        add_participants(training, data.participants, institutions)
        record_change(
            actor,
            "community.record_training",
            training,
            _("Training %(event)s on %(date)s") % {"event": training.event, "date": data.held_on},
            after={
                "organiser": data.organiser.upper(),
                "committee": data.committee_id,
                "activity": data.activity_id,
                "participants": sum(p.people for p in data.participants),
            },
            territory_ubigeo=committee.ubigeo if committee else "",
            institution_id=organiser_id,
        )
        bump_generation("committees")
    return training


def add_participants(
    training: Training, participants: tuple[ParticipantData, ...], institutions: dict[str, int]
) -> None:
    """The participation rows of a training being recorded (inside its transaction)."""
    Participation.objects.bulk_create(
        [
            Participation(
                training=training,
                committee_id=p.committee_id,
                junta_id=p.junta_id,
                institution_id=institutions[p.institution.upper()] if p.institution else None,
                people=p.people,
            )
            for p in participants
        ]
    )


def add_certificate(actor: AnyUser, training_id: int, upload: UploadedFile) -> Certificate:
    """A certificate (or attendance list) of a training: a checked PDF, JPG or PNG."""
    training = get_training_for_user(actor, training_id, write=True)
    user = _user(actor)
    checked = check_evidence(upload)
    with evidence_saver() as save_file, transaction.atomic():
        certificate = Certificate(
            training=training, uploaded_by=user, original_name=checked.original_name
        )
        save_file(certificate.file, checked)
        record_change(
            actor,
            "community.add_certificate",
            certificate,
            _("Certificate %(file)s of the training %(event)s")
            % {"file": certificate.original_name, "event": training.event},
            after={"training": training.pk, "file": certificate.file.name, "size": upload.size},
            institution_id=training.organiser_id,
        )
    return certificate


# --- public investment projects --------------------------------------------------------


def cui_error(cui: str) -> str | None:
    if len(cui) != 7 or not cui.isdigit():
        return _("the investment code (CUI) has 7 digits")
    return None


def stage_errors(stages: dict[str, date]) -> str | None:
    """Stages are known ones, reached in their order, on non-decreasing dates."""
    unknown = sorted(set(stages) - set(STAGE_ORDER))
    if unknown:
        return _("unknown stage: %s") % ", ".join(unknown)
    dated = [stages[s] for s in STAGE_ORDER if s in stages]
    if dated != sorted(dated):
        return _("a stage cannot be dated before the stage that precedes it")
    for day in dated:
        if problem := date_out_of_range(day) or _not_future(day):
            return problem
    return None


def register_project(
    actor: AnyUser,
    committee_id: int,
    cui: str,
    name: str,
    amount: Decimal,
    stages: dict[str, date],
    *,
    is_demo: bool = False,
) -> Project:
    """A committee's public investment project with the dates of the stages it reached
    (at least one: the idea, or a later stage when it is registered late)."""
    committee: Committee = get_committee_for_user(actor, committee_id, write=True)
    errors = field_errors(Project, texts={"name": name})
    if problem := cui_error(cui):
        errors["cui"] = problem
    elif Project.objects.filter(cui=cui).exists():
        errors["cui"] = _("the investment code %s is already registered") % cui
    if not name.strip():
        errors["name"] = _("a value is required")
    if not Decimal(0) < amount <= MAX_AMOUNT:
        errors["amount"] = _("the amount is a positive number of soles")
    if not stages:
        errors["stages"] = _("give the date of at least one stage")
    elif problem := stage_errors(stages):
        errors["stages"] = problem
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        project = Project.objects.create(
            cui=cui,
            name=name.strip(),
            committee=committee,
            amount=amount,
            is_demo=is_demo,
            recorded_by=actor if isinstance(actor, User) else None,
        )
        ProjectStage.objects.bulk_create(
            [ProjectStage(project=project, stage=s, reached_on=d) for s, d in stages.items()]
        )
        record_change(
            actor,
            "community.register_project",
            project,
            _("Investment project %(cui)s of %(committee)s")
            % {"cui": cui, "committee": committee.name},
            after={
                "amount": str(amount),
                "stages": {s: d.isoformat() for s, d in stages.items()},
            },
            territory_ubigeo=committee.ubigeo,
        )
    return project


def advance_project(actor: AnyUser, project_id: int, stage: str, reached_on: date) -> ProjectStage:
    """A project reached a later stage on a date (after its last stage's date)."""
    project = get_project_for_user(actor, project_id, write=True)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        reached = dict(locked.stages.values_list("stage", "reached_on"))
        if stage in reached:
            raise ValidationError({"stage": _("The project already reached that stage.")})
        if (
            stage in STAGE_ORDER
            and reached
            and STAGE_ORDER.index(stage) < max(STAGE_ORDER.index(s) for s in reached)
        ):
            raise ValidationError({"stage": _("The project is already at a later stage.")})
        if problem := stage_errors({**reached, stage: reached_on}):
            raise ValidationError({"stage": problem})
        row = ProjectStage.objects.create(project=locked, stage=stage, reached_on=reached_on)
        record_change(
            actor,
            "community.advance_project",
            row,
            _("Investment project %(cui)s: %(stage)s on %(date)s")
            % {"cui": locked.cui, "stage": Stage(stage).label, "date": reached_on},
            after={"stage": stage, "reached_on": reached_on.isoformat()},
            territory_ubigeo=project.committee.ubigeo,
        )
    return row
