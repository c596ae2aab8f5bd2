"""All-or-nothing imports of juntas vecinales and trainings from XLSX (or CSV).

The whole file is read and every row checked (the services' own checks, and the actor's
right to write each row) before anything is written; any problem rejects the file with
every problem listed (file, row, column, reason) and nothing saved. Importing the same
file again changes nothing: a junta already registered (district and name) is updated
only where a value differs, a training already recorded (event, date, organiser) is
counted unchanged.

Juntas, one per row: ``ubigeo, nombre, sector, coordinador, miembros, reconocida_por
(pnp | municipalidad), fecha_reconocimiento[, estado, estado_desde]``.
Trainings, one row per group of participants (the rows of one event, date and organiser
make one training): ``evento, tema, organizador, fecha, comite (ubigeo), institucion,
participantes[, actividad (strategy.activity, e.g. 5.3)]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import own_committee_for_user
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.community import services
from sinasec.community.access import (
    can_record_juntas,
    can_record_trainings,
    can_write_junta,
    can_write_training,
)
from sinasec.community.models import Junta, JuntaState, JuntaStatus, RecognisedBy, Training
from sinasec.core.cache import bump_generation
from sinasec.core.errors import AccessDenied
from sinasec.core.imports import FirstSeen, ImportResult, ProblemList, finish_rows, map_columns
from sinasec.core.tabular import Cell, cell_date, cell_text, read_table
from sinasec.core.text import header_key
from sinasec.plans.models import Activity

JUNTA_COLUMNS: dict[str, tuple[str, ...]] = {
    "district": ("ubigeo", "distrito", "district"),
    "name": ("nombre", "name", "junta"),
    "sector": ("sector",),
    "coordinator": ("coordinador", "coordinator"),
    "members": ("miembros", "members", "integrantes"),
    "recognised_by": ("reconocida_por", "recognised_by", "reconocimiento"),
    "recognised_on": ("fecha_reconocimiento", "recognised_on", "fecha"),
    "status": ("estado", "status"),
    "since": ("estado_desde", "since"),
}
JUNTA_REQUIRED = ("district", "name", "members", "recognised_by", "recognised_on")
RECOGNISERS = {
    **dict.fromkeys(("pnp", "policia", "policia_nacional"), RecognisedBy.PNP),
    **dict.fromkeys(("municipalidad", "municipality", "municipio"), RecognisedBy.MUNICIPALITY),
}
STATES = {
    **dict.fromkeys(("activa", "active", "activo"), JuntaState.ACTIVE),
    **dict.fromkeys(("inactiva", "inactive", "inactivo"), JuntaState.INACTIVE),
}
TRAINING_COLUMNS: dict[str, tuple[str, ...]] = {
    "event": ("evento", "event"),
    "topic": ("tema", "topic"),
    "organiser": ("organizador", "organiser", "organizer"),
    "held_on": ("fecha", "date"),
    "committee": ("comite", "committee"),
    "institution": ("institucion", "institution"),
    "people": ("participantes", "participants"),
    "activity": ("actividad", "activity"),
}
TRAINING_REQUIRED = ("event", "topic", "organiser", "held_on", "people")


@dataclass
class Row:
    """One data row: its cells by field, and where to report a problem."""

    number: int
    values: list[Cell]
    columns: dict[str, int]
    header: list[str]
    file_name: str
    problems: ProblemList
    ok: bool = True

    def raw(self, key: str) -> Cell:
        index = self.columns.get(key)
        return self.values[index] if index is not None and index < len(self.values) else None

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def fail(self, key: str | None, reason: str) -> None:
        column = self.header[self.columns[key]] if key in self.columns else key
        self.problems.add(self.number, column, reason, self.file_name)
        self.ok = False

    def required(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            if not self.text(key):
                self.fail(key, _("a value is required"))

    def date(self, key: str) -> date | None:
        day = cell_date(self.raw(key))
        if day is None and self.text(key):
            self.fail(
                key,
                _("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")
                % {"value": self.text(key)},
            )
        return day

    def count(self, key: str) -> int | None:
        text = self.text(key)
        if text and not text.isdigit():
            self.fail(key, _("“%(value)s” is not a whole number") % {"value": text})
            return None
        return int(text) if text else None

    def report(self, errors: dict[str, str]) -> None:
        for key, reason in errors.items():
            self.fail(key, reason)


def _rows(
    data: bytes,
    file_name: str,
    aliases: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    parse: Callable[[Row], None],
) -> ProblemList:
    """Read a table and hand each non-empty row to ``parse``; the problems found."""
    problems = ProblemList()
    header, records = read_table(data, file_name, problems)
    columns = map_columns(header, aliases, required, file_name, problems)
    if any(key not in columns for key in required):
        problems.raise_if_any()
    had_rows = False
    for number, values in records:
        if any(cell_text(v) for v in values):
            had_rows = True
            parse(Row(number, values, columns, header, file_name, problems))
    finish_rows(problems, had_rows, file_name)
    return problems


# --- juntas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class JuntaRow:
    data: services.JuntaData
    status: str = ""
    since: date | None = None


def parse_juntas(actor: AnyUser, data: bytes, file_name: str) -> list[JuntaRow]:
    found: list[JuntaRow] = []
    seen = FirstSeen()

    def parse(row: Row) -> None:
        row.required(JUNTA_REQUIRED)
        district = row.text("district")
        if len(district) == 5 and district.isdigit():
            district = "0" + district  # a spreadsheet dropped the leading zero
        recogniser = RECOGNISERS.get(header_key(row.text("recognised_by")))
        if recogniser is None and row.text("recognised_by"):
            row.fail("recognised_by", _("use pnp or municipalidad"))
        members, recognised_on = row.count("members"), row.date("recognised_on")
        status = STATES.get(header_key(row.text("status")), "") if row.text("status") else ""
        if row.text("status") and not status:
            row.fail("status", _("use activa or inactiva"))
        since = row.date("since") if status else None
        if status and since is None and not row.text("since"):
            row.fail("since", _("say since when the junta has that status"))
        if not row.ok or recogniser is None or members is None or recognised_on is None:
            return
        junta = services.JuntaData(
            district=district,
            name=row.text("name"),
            members=members,
            recognised_by=recogniser,
            recognised_on=recognised_on,
            sector=row.text("sector"),
            coordinator=row.text("coordinator"),
        )
        row.report(services.junta_errors(junta))
        if row.ok and not can_write_junta(actor, district, recogniser):
            row.fail("district", _("you cannot register juntas vecinales of this district"))
        first = seen.earlier((district, junta.name), row.number)
        if first is not None:
            row.fail(None, _("duplicate row: the same junta is already in row %d") % first)
        if row.ok:
            found.append(JuntaRow(junta, status, since))

    _rows(data, file_name, JUNTA_COLUMNS, JUNTA_REQUIRED, parse)
    return found


def import_juntas(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Juntas vecinales from a file, all or nothing (see the module's docstring)."""
    if not can_record_juntas(actor):
        raise AccessDenied(_("You cannot register juntas vecinales."))
    rows = parse_juntas(actor, data, file_name)
    result = ImportResult(file=file_name, rows=len(rows))
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        existing = {
            (j.district_id, j.name): j
            for j in Junta.objects.select_for_update().filter(
                district_id__in={r.data.district for r in rows}
            )
        }
        for r in rows:
            junta = existing.get((r.data.district, r.data.name))
            fields = services.junta_fields(r.data)
            if junta is None:
                junta = Junta.objects.create(
                    district_id=r.data.district, name=r.data.name, recorded_by=user, **fields
                )
                result.created += 1
            elif any(getattr(junta, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(junta, k, v)
                junta.save()
                result.updated += 1
            else:
                result.unchanged += 1
            if r.status and r.since is not None:
                JuntaStatus.objects.update_or_create(
                    junta=junta, since=r.since, defaults={"status": r.status, "recorded_by": user}
                )
        record_change(
            actor,
            "community.import_juntas",
            file_name,
            _("%(file)s: %(created)d juntas vecinales new, %(updated)d changed")
            % {"file": file_name, "created": result.created, "updated": result.updated},
            after=result.as_dict(),
            object_type="community.junta",
        )
        bump_generation("committees")
    return result


# --- trainings ---------------------------------------------------------------------------


@dataclass
class TrainingDraft:
    row: int
    data: services.TrainingData
    participants: list[services.ParticipantData] = field(default_factory=list)


def _committee_by_ubigeo() -> dict[str, int]:
    """A committee named by its ubigeo: the district's, else the province's, else the
    region's (a 4-digit Lima Metropolitana code is its region's)."""
    order: dict[str, int] = {
        CommitteeLevel.DISTRICT: 0,
        CommitteeLevel.PROVINCIAL: 1,
        CommitteeLevel.REGIONAL: 2,
    }
    found: dict[str, tuple[int, int]] = {}
    for pk, level, ubigeo in Committee.objects.values_list("pk", "level", "ubigeo"):
        if ubigeo not in found or order[level] < found[ubigeo][0]:
            found[ubigeo] = (order[level], pk)
    return {ubigeo: pk for ubigeo, (_rank, pk) in found.items()}


def _activity_id(code: str, year: int, committee_id: int | None) -> int | None:
    strategy, dot, number = code.partition(".")
    if not (dot and strategy.isdigit() and number.isdigit()):
        return None
    plans = Activity.objects.filter(
        strategy__number=int(strategy), number=int(number), strategy__plan__year=year
    )
    own = plans.filter(strategy__plan__committee_id=committee_id).first() if committee_id else None
    national = plans.filter(strategy__plan__committee__isnull=True).first()
    chosen = own or national
    return chosen.pk if chosen else None


def parse_trainings(actor: AnyUser, data: bytes, file_name: str) -> list[TrainingDraft]:
    """The trainings of a file. Each is recorded for the actor's own committee (a
    secretary's) or none (national staff, an organiser's focal point); the ``comite``
    column says whose people took part."""
    committees = _committee_by_ubigeo()
    institutions = services.institution_ids()
    owner = own_committee_for_user(actor)
    drafts: dict[tuple[str, date, str], TrainingDraft] = {}

    def parse(row: Row) -> None:
        row.required(TRAINING_REQUIRED)
        held_on, people = row.date("held_on"), row.count("people")
        committee_id = None
        if ubigeo := row.text("committee"):
            committee_id = committees.get(ubigeo)
            if committee_id is None:
                row.fail("committee", _("there is no committee with ubigeo %s") % ubigeo)
        if not row.ok or held_on is None or people is None:
            return
        key = (row.text("event"), held_on, row.text("organiser").upper())
        participant = services.ParticipantData(
            people, committee_id=committee_id, institution=row.text("institution")
        )
        if key in drafts:  # another group of participants of a training already read
            drafts[key].participants.append(participant)
            draft = replace(drafts[key].data, participants=(participant,))
            row.report(services.training_errors(draft, institutions))
            return
        activity_id = None
        if code := row.text("activity"):
            activity_id = _activity_id(code, held_on.year, owner.pk if owner else None)
            if activity_id is None:
                row.fail(
                    "activity",
                    _("no plan of %(year)d has activity %(code)s")
                    % {"year": held_on.year, "code": code},
                )
                return
        training = services.TrainingData(
            event=key[0],
            topic=row.text("topic"),
            organiser=key[2],
            held_on=held_on,
            participants=(participant,),
            committee_id=owner.pk if owner else None,
            activity_id=activity_id,
        )
        row.report(services.training_errors(training, institutions))
        organiser_id = institutions.get(key[2], 0)
        if row.ok and not can_write_training(actor, owner, organiser_id):
            row.fail(
                "organiser",
                _("you can import the trainings of your committee or institution"),
            )
        if row.ok:
            drafts[key] = TrainingDraft(row.number, training, [participant])

    _rows(data, file_name, TRAINING_COLUMNS, TRAINING_REQUIRED, parse)
    return list(drafts.values())


def import_trainings(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Trainings from a file, all or nothing (see the module's docstring)."""
    if not can_record_trainings(actor):
        raise AccessDenied(_("You cannot record trainings."))
    drafts = parse_trainings(actor, data, file_name)
    institutions = services.institution_ids()
    result = ImportResult(file=file_name, rows=len(drafts))
    user = actor if isinstance(actor, User) else None
    with transaction.atomic():
        for d in drafts:
            organiser_id = institutions[d.data.organiser]
            if Training.objects.filter(
                event=d.data.event, held_on=d.data.held_on, organiser_id=organiser_id
            ).exists():
                result.unchanged += 1
                continue
            training = Training.objects.create(
                event=d.data.event,
                topic=d.data.topic,
                organiser_id=organiser_id,
                held_on=d.data.held_on,
                committee_id=d.data.committee_id,
                activity_id=d.data.activity_id,
                recorded_by=user,
            )
            services.add_participants(training, tuple(d.participants), institutions)
            result.created += 1
        record_change(
            actor,
            "community.import_trainings",
            file_name,
            _("%(file)s: %(created)d trainings new")
            % {"file": file_name, "created": result.created},
            after=result.as_dict(),
            object_type="community.training",
        )
        bump_generation("committees")
    return result


def invalid(exc: ValidationError) -> str:
    """A service's ValidationError as one line (for the CLI)."""
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
