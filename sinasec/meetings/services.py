"""Every write of sessions: a committee's (or the commission's) session with its
attendance and agreements, its signed minutes, an agreement done, and a file of
sessions imported all or nothing. Each write owns its transaction and is audited.

The technical tables' sessions are written by ``barrios.articulation.services`` (the
barrio decides who may), into the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import can_import_events
from sinasec.committees.models import Committee
from sinasec.core.cache import bump_generation
from sinasec.core.concurrency import check_version
from sinasec.core.errors import AccessDenied
from sinasec.core.imports import ImportResult, ProblemList
from sinasec.core.uploads import check_evidence, evidence_saver
from sinasec.institutions.models import Institution
from sinasec.meetings.access import (
    can_record_commission,
    get_agreement_for_user,
    get_session_for_user,
    get_writable_committee,
)
from sinasec.meetings.importers import SessionRow, parse_sessions
from sinasec.meetings.models import (
    Agreement,
    AgreementStatus,
    Attendance,
    Body,
    Session,
    SessionKind,
)
from sinasec.meetings.selectors import sworn_members


@dataclass(frozen=True)
class AttendanceIn:
    """A sworn member who attended (``member``: their id), or an institution's people."""

    member: int | None = None
    institution: str = ""  # acronym
    attendees: int = 1


@dataclass(frozen=True)
class AgreementIn:
    text: str
    owner: str  # the acronym of the institution that must carry it out
    deadline: date


@dataclass
class SessionIn:
    kind: str
    held_on: date
    place: str = ""
    agenda: str = ""
    attendance: list[AttendanceIn] = field(default_factory=list)
    agreements: list[AgreementIn] = field(default_factory=list)
    public_attendance: int | None = None  # a public consultation only
    citizen_topics: str = ""  # a public consultation only


def _user(actor: AnyUser) -> User:
    if not isinstance(actor, User):
        raise AccessDenied(_("Sign in first."))
    return actor


def _institutions(acronyms: set[str]) -> dict[str, Institution]:
    if not acronyms:
        return {}
    found = {i.acronym.upper(): i for i in Institution.objects.all()}  # ~100 rows
    unknown = sorted(a for a in acronyms if a.upper() not in found)
    if unknown:
        raise ValidationError({"institution": _("unknown institution: %s") % ", ".join(unknown)})
    return found


def _validate(data: SessionIn, committee: Committee | None, today: date) -> set[int]:
    """Every rule of a session, checked before anything is written; returns the ids of
    the members sworn in as of its date (the only members who may attend by name)."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, text: str) -> None:
        errors.setdefault(name, []).append(text)

    if data.kind not in SessionKind.values:
        refuse("kind", _("unknown kind of session: %s") % data.kind)
    if data.held_on > today:
        refuse("held_on", _("the date cannot be in the future"))
    consultation = data.kind == SessionKind.CONSULTATION
    if consultation and committee is None:
        refuse("kind", _("only a committee holds public consultations"))
    if consultation and data.public_attendance is None:
        refuse("public_attendance", _("give how many citizens attended the consultation"))
    if not consultation and (data.public_attendance is not None or data.citizen_topics.strip()):
        refuse(
            "public_attendance", _("public attendance and citizens' topics are for a consultation")
        )
    sworn = {m.pk for m in sworn_members(committee.pk, data.held_on)} if committee else set()
    members = [a.member for a in data.attendance if a.member is not None]
    if len(members) != len(set(members)):
        refuse("attendance", _("a member is listed twice"))
    if set(members) - sworn:
        refuse("attendance", _("only the members sworn in as of the session's date attend by name"))
    institutions = [a.institution.upper() for a in data.attendance if a.member is None]
    if len(institutions) != len(set(institutions)):
        refuse("attendance", _("an institution is listed twice"))
    for a in data.agreements:
        if not a.text.strip():
            refuse("agreements", _("an agreement has no text"))
        if a.deadline < data.held_on:
            refuse("agreements", _("an agreement's deadline is before the session"))
    if errors:
        raise ValidationError(errors)
    return sworn


def _session_dict(session: Session) -> dict[str, object]:
    return {
        "body": session.body,
        "kind": session.kind,
        "committee": session.committee_id,
        "held_on": session.held_on.isoformat(),
        "place": session.place,
        "public_attendance": session.public_attendance,
        "attendance": [
            {"member": a.member_id, "institution": a.institution_id, "attendees": a.attendees}
            for a in session.attendance.all()
        ],
        "agreements": [
            {"text": a.text[:200], "owner": a.owner_id, "deadline": a.deadline.isoformat()}
            for a in session.agreements.all()
        ],
    }


def _create(
    actor: AnyUser,
    body: str,
    committee: Committee | None,
    data: SessionIn,
    minutes: UploadedFile | None,
    is_demo: bool,
) -> Session:
    _validate(data, committee, timezone.localdate())
    acronyms = {a.institution for a in data.attendance if a.member is None}
    institutions = _institutions(acronyms | {a.owner for a in data.agreements})
    checked = check_evidence(minutes) if minutes is not None else None
    with evidence_saver() as save_file, transaction.atomic():
        session = Session.objects.create(
            body=body,
            kind=data.kind,
            committee=committee,
            held_on=data.held_on,
            place=data.place.strip(),
            agenda=data.agenda.strip(),
            public_attendance=data.public_attendance,
            citizen_topics=data.citizen_topics.strip(),
            is_demo=is_demo,
            recorded_by=_user(actor),
        )
        if checked is not None:
            session.minutes_name = checked.original_name
            save_file(session.minutes, checked)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    member_id=a.member,
                    institution=institutions[a.institution.upper()] if a.member is None else None,
                    attendees=1 if a.member is not None else a.attendees,
                )
                for a in data.attendance
            ]
        )
        Agreement.objects.bulk_create(
            [
                Agreement(
                    session=session,
                    text=a.text.strip(),
                    owner=institutions[a.owner.upper()],
                    deadline=a.deadline,
                )
                for a in data.agreements
            ]
        )
        record_change(
            actor,
            f"meetings.record_{data.kind}",
            session,
            _("%(kind)s session of %(body)s on %(date)s")
            % {
                "kind": SessionKind(data.kind).label,
                "body": committee.name if committee else Body(body).label,
                "date": data.held_on.isoformat(),
            },
            after=_session_dict(session),
            territory_ubigeo=committee.ubigeo if committee else "",
        )
        bump_generation("committees")
    return session


def record_session(
    actor: AnyUser,
    committee_id: int,
    data: SessionIn,
    minutes: UploadedFile | None = None,
    is_demo: bool = False,
) -> Session:
    """A committee's ordinary or extraordinary session, or a public consultation, with
    its attendance, agreements and (optionally) signed minutes (its secretary; audited)."""
    committee = get_writable_committee(actor, committee_id)
    return _create(actor, Body.COMMITTEE, committee, data, minutes, is_demo)


def record_consultation(
    actor: AnyUser,
    committee_id: int,
    data: SessionIn,
    minutes: UploadedFile | None = None,
    is_demo: bool = False,
) -> Session:
    """A public consultation: a session of kind consultation, whose agreements are the
    committee's answers to what the citizens raised."""
    data.kind = SessionKind.CONSULTATION
    return record_session(actor, committee_id, data, minutes, is_demo)


def record_commission_session(
    actor: AnyUser, data: SessionIn, minutes: UploadedFile | None = None
) -> Session:
    """A session of the multisectoral commission (the Barrio Seguro team; audited)."""
    if not can_record_commission(actor):
        raise AccessDenied(_("Only the Barrio Seguro team records the commission's sessions."))
    return _create(actor, Body.COMMISSION, None, data, minutes, False)


def attach_minutes(actor: AnyUser, session_id: int, minutes: UploadedFile) -> Session:
    """The signed minutes of a session, replacing any earlier file (audited)."""
    session = get_session_for_user(actor, session_id, write=True)
    checked = check_evidence(minutes)
    before = session.minutes_name
    with evidence_saver() as save_file, transaction.atomic():
        session.minutes_name = checked.original_name
        save_file(session.minutes, checked)
        session.save(update_fields=["minutes", "minutes_name"])
        record_change(
            actor,
            "meetings.attach_minutes",
            session,
            _("Signed minutes of the session of %(date)s") % {"date": session.held_on.isoformat()},
            before={"minutes": before},
            after={"minutes": checked.original_name},
            territory_ubigeo=session.committee.ubigeo if session.committee else "",
        )
    return session


def check_can_be_done(agreement: Agreement, on_date: date) -> None:
    """The rules of marking an agreement done, whatever body agreed it: not twice, not
    before the session, not in the future."""
    if agreement.status == AgreementStatus.DONE:
        raise ValidationError(
            _("The agreement was already marked done on %(date)s.")
            % {"date": agreement.done_on.isoformat() if agreement.done_on else "?"}
        )
    if on_date < agreement.session.held_on:
        raise ValidationError({"done_on": _("the date is before the session that agreed it")})
    if on_date > timezone.localdate():
        raise ValidationError({"done_on": _("the date cannot be in the future")})


def mark_agreement_done(
    actor: AnyUser, agreement_id: int, on_date: date, expected_version: int | None = None
) -> Agreement:
    """An agreement carried out on a date; ``expected_version``: the version the user
    read (a change since is refused, see core.concurrency). Audited."""
    get_agreement_for_user(actor, agreement_id, write=True)
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("session__committee", "owner")
            .get(pk=agreement_id)
        )
        check_version(agreement, expected_version, _("the agreement"))
        check_can_be_done(agreement, on_date)
        agreement.status, agreement.done_on = AgreementStatus.DONE, on_date
        agreement.version += 1
        agreement.save(update_fields=["status", "done_on", "version"])
        committee = agreement.session.committee
        record_change(
            actor,
            "meetings.mark_agreement_done",
            agreement,
            _("Agreement of the session of %(date)s done on %(done)s")
            % {"date": agreement.session.held_on.isoformat(), "done": on_date.isoformat()},
            before={"status": AgreementStatus.PENDING},
            after={
                "status": AgreementStatus.DONE,
                "done_on": on_date.isoformat(),
                "deadline": agreement.deadline.isoformat(),
                "owner": agreement.owner.acronym,
            },
            territory_ubigeo=committee.ubigeo if committee else "",
            institution_id=agreement.owner_id,
        )
        bump_generation("committees")
    return agreement


def import_sessions(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Sessions and public consultations from an XLSX (or CSV) file, one row per session.

    All or nothing: the whole file is validated, and the actor's right to record the
    sessions of every row's committee checked, before anything is written. A row for a
    session already recorded (committee, kind, date) is counted unchanged, so importing
    the same file twice changes nothing."""
    if not can_import_events(actor):
        raise AccessDenied(
            _("Only national administrators and committee secretaries can import sessions.")
        )
    committees = {
        (level, ubigeo): pk
        for pk, level, ubigeo in Committee.objects.values_list("id", "level", "ubigeo")
    }
    institutions = {i.acronym.upper(): i for i in Institution.objects.all()}
    rows = parse_sessions(data, file_name, committees, set(institutions), timezone.localdate())
    problems = ProblemList()
    allowed: dict[int, Committee] = {}
    for row in rows:
        if row.committee_id not in allowed:
            try:
                allowed[row.committee_id] = get_writable_committee(actor, row.committee_id)
            except AccessDenied as exc:
                problems.add(row.row, "ubigeo", str(exc), file_name)
    problems.raise_if_any()
    result = ImportResult(file=file_name, rows=len(rows))
    with transaction.atomic():
        # The committees' rows lock their sessions: a parallel import of the same file
        # waits, then finds these sessions recorded.
        list(Committee.objects.select_for_update().filter(pk__in=allowed).order_by("pk"))
        existing = set(
            Session.objects.filter(committee_id__in=allowed).values_list(
                "committee_id", "kind", "held_on"
            )
        )
        for row in rows:
            if (row.committee_id, row.kind, row.held_on) in existing:
                result.unchanged += 1
                continue
            _create_imported(actor, allowed[row.committee_id], row, institutions)
            result.created += 1
        bump_generation("committees")
    return result


def _create_imported(
    actor: AnyUser, committee: Committee, row: SessionRow, institutions: dict[str, Institution]
) -> Session:
    session = Session.objects.create(
        body=Body.COMMITTEE,
        kind=row.kind,
        committee=committee,
        held_on=row.held_on,
        place=row.place,
        agenda=row.agenda,
        public_attendance=row.public_attendance,
        citizen_topics=row.citizen_topics,
        recorded_by=_user(actor),
    )
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, institution=institutions[a], attendees=n)
            for a, n in row.attendance
        ]
    )
    Agreement.objects.bulk_create(
        [
            Agreement(session=session, text=t, owner=institutions[o], deadline=d)
            for t, o, d in row.agreements
        ]
    )
    record_change(
        actor,
        f"meetings.import_{row.kind}",
        session,
        _("%(kind)s session of %(body)s on %(date)s (imported)")
        % {
            "kind": SessionKind(row.kind).label,
            "body": committee.name,
            "date": row.held_on.isoformat(),
        },
        after=_session_dict(session),
        territory_ubigeo=committee.ubigeo,
    )
    return session
