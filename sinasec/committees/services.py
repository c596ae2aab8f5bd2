"""Every write to committees: dated events appended to a committee's timeline.

Nothing is overwritten: a new swearing-in (members changed) is a new event; a mistake
is corrected by recording the right event, and both stay in the audit log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import can_import_events, get_committee_for_user
from sinasec.committees.importers import parse_events
from sinasec.committees.models import (
    ACRONYM,
    Committee,
    CommitteeEvent,
    CommitteeLevel,
    EventKind,
    Member,
)
from sinasec.core.cache import bump_generation
from sinasec.core.errors import AccessDenied
from sinasec.core.imports import ImportResult, ProblemList, Progress
from sinasec.core.params import field_errors
from sinasec.core.uploads import CheckedUpload, check_evidence, evidence_saver
from sinasec.institutions.models import Alias, Institution


@dataclass(frozen=True)
class MemberIn:
    name: str
    institution: str = ""  # acronym
    role: str = ""


def _event_dict(event: CommitteeEvent, members: list[Member]) -> dict[str, object]:
    return {
        "committee": event.committee_id,
        "kind": event.kind,
        "date": event.date.isoformat(),
        "year": event.year,
        "person": event.person,
        "document": event.document,
        "evidence": event.evidence.name if event.evidence else "",
        "evidence_name": event.evidence_name,
        "members": [
            {"name": m.name, "institution": m.institution_id, "role": m.role} for m in members
        ],
    }


def _institution_ids(members: list[MemberIn]) -> dict[str, int]:
    """The ids of the institutions ``members`` name, by upper-case acronym (only those:
    one query, not the whole list)."""
    wanted = {m.institution.strip().upper() for m in members if m.institution.strip()}
    if not wanted:
        return {}
    found = Institution.objects.annotate(key=Upper("acronym")).filter(key__in=wanted)
    return {key: pk for pk, key in found.values_list("pk", "key")}


def record_event(
    actor: AnyUser,
    committee_id: int,
    kind: EventKind,
    on: date,
    *,
    year: int | None = None,
    person: str = "",
    document: str = "",
    evidence: UploadedFile | None = None,
    members: list[MemberIn] | None = None,
    is_demo: bool = False,
) -> CommitteeEvent:
    committee = get_committee_for_user(actor, committee_id, write=True)
    # Everything, the evidence file included, is checked before anything is written.
    checked = _validate(committee, kind, on, year, person, document, members, evidence)
    institutions = _institution_ids(members or [])
    with evidence_saver() as save_file, transaction.atomic():
        event = CommitteeEvent.objects.create(
            committee=committee,
            kind=kind,
            date=on,
            year=year if kind == EventKind.PLAN else None,
            person=person,
            document=document,
            is_demo=is_demo,
            recorded_by=actor if getattr(actor, "pk", None) else None,  # type: ignore[misc]
        )
        if checked is not None:
            event.evidence_name = checked.original_name
            save_file(event.evidence, checked)
        created = Member.objects.bulk_create(
            [
                Member(
                    event=event,
                    name=m.name.strip(),
                    institution_id=institutions.get(m.institution.strip().upper()),
                    role=m.role.strip(),
                )
                for m in members or []
            ]
        )
        bump_generation("committees")
        record_change(
            actor,
            f"committees.record_{kind}",
            event,
            _("%(event)s recorded for %(committee)s on %(date)s")
            % {"event": EventKind(kind).label, "committee": committee.name, "date": on.isoformat()},
            after=_event_dict(event, created),
            territory_ubigeo=committee.ubigeo,
        )
    return event


def _validate(
    committee: Committee,
    kind: str,
    on: date,
    year: int | None,
    person: str,
    document: str,
    members: list[MemberIn] | None,
    evidence: UploadedFile | None = None,
) -> CheckedUpload | None:
    from django.core.exceptions import ValidationError

    errors = field_errors(
        CommitteeEvent,
        texts={"person": person, "document": document},
        dates={"date": on},
        years={"year": year},
    )
    for i, member in enumerate(members or []):
        errors.update(
            field_errors(
                Member, texts={f"members.{i}.name": member.name, f"members.{i}.role": member.role}
            )
        )
    if kind not in EventKind.values:
        errors["kind"] = _("unknown event “%s”") % kind
    if "date" not in errors and on > date.today():
        errors["date"] = _("the date %s is in the future") % on.isoformat()
    if kind == EventKind.PLAN and not year:
        errors["year"] = _("a plan event needs the year of the plan")
    if kind == EventKind.SECRETARY and not person.strip():
        errors["person"] = _("the accredited technical secretary's name is required")
    if kind == EventKind.SWORN and not [m for m in members or [] if m.name.strip()]:
        errors["members"] = _("a swearing-in needs at least one member")
    checked = None
    if evidence is not None:
        try:
            checked = check_evidence(evidence)
        except ValidationError as exc:
            errors["evidence"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return checked


def record_swearing_in(
    actor: AnyUser,
    committee_id: int,
    on: date,
    members: list[MemberIn],
    document: str = "",
    evidence: UploadedFile | None = None,
) -> CommitteeEvent:
    """A swearing-in with its members; a new one whenever the members change."""
    return record_event(
        actor,
        committee_id,
        EventKind.SWORN,
        on,
        members=members,
        document=document,
        evidence=evidence,
    )


def import_events(
    actor: AnyUser,
    file_name: str,
    data: bytes,
    progress: Progress | None = None,
) -> ImportResult:
    """Committee events from a CSV or XLSX file, one row per event.

    All or nothing: the whole file is validated, and the actor's right to record events
    for every row's committee checked, before anything is written; a committee
    secretary's file with a row for another committee is rejected whole. A row identical
    to an event already recorded (committee, event, date, plan year, document, person)
    is counted as unchanged, so re-importing the same file changes nothing.
    """
    if not can_import_events(actor):
        raise AccessDenied(
            _("Only national administrators and committee secretaries can import events.")
        )
    committees = {
        (level, ubigeo): pk
        for pk, level, ubigeo in Committee.objects.values_list("id", "level", "ubigeo")
    }
    institutions = {
        acronym.upper(): pk for pk, acronym in Institution.objects.values_list("id", "acronym")
    }
    for text, pk in Alias.objects.values_list("text", "institution_id"):
        institutions.setdefault(text.upper(), pk)
    rows = parse_events(data, file_name, committees, institutions)

    problems = ProblemList()
    denied: dict[int, str] = {}
    allowed: set[int] = set()
    for row in rows:
        if row.committee_id not in allowed and row.committee_id not in denied:
            try:
                get_committee_for_user(actor, row.committee_id, write=True)
                allowed.add(row.committee_id)
            except AccessDenied as exc:
                denied[row.committee_id] = str(exc)
        if row.committee_id in denied:
            problems.add(
                row.row,
                "ubigeo",
                _("%(committee)s: %(reason)s")
                % {
                    "committee": f"{ACRONYM[CommitteeLevel(row.level)]} {row.ubigeo}",
                    "reason": denied[row.committee_id],
                },
                file_name,
            )
    problems.raise_if_any()

    result = ImportResult(file=file_name, rows=len(rows))
    recorded_by = actor if isinstance(actor, User) else None
    with transaction.atomic():
        # The committees' rows are the lock of their events: a parallel import of the same
        # file waits, then finds the events the first one recorded.
        list(Committee.objects.select_for_update().filter(pk__in=allowed).order_by("pk"))
        existing = set(
            CommitteeEvent.objects.filter(committee_id__in=allowed).values_list(
                "committee_id", "kind", "date", "year", "document", "person"
            )
        )
        created: list[dict[str, object]] = []
        for i, row in enumerate(rows, start=1):
            key = (row.committee_id, row.kind, row.date, row.year, row.document, row.person)
            if key in existing:
                result.unchanged += 1
            else:
                existing.add(key)
                event = CommitteeEvent.objects.create(
                    committee_id=row.committee_id,
                    kind=row.kind,
                    date=row.date,
                    year=row.year,
                    person=row.person,
                    document=row.document,
                    recorded_by=recorded_by,
                )
                Member.objects.bulk_create(
                    [
                        Member(
                            event=event,
                            name=m.name,
                            institution_id=m.institution_id,
                            role=m.role,
                        )
                        for m in row.members
                    ]
                )
                created.append(
                    {
                        "row": row.row,
                        "event": event.pk,
                        "committee": row.committee_id,
                        "level": row.level,
                        "ubigeo": row.ubigeo,
                        "kind": row.kind,
                        "date": row.date.isoformat(),
                        "year": row.year,
                        "members": len(row.members),
                    }
                )
            if progress and (i % 100 == 0 or i == len(rows)):
                progress(i, len(rows))
        result.created = len(created)
        if created:
            digest = hashlib.sha256(data).hexdigest()
            # The territory the import is about, so scoped users read its record: the
            # ubigeo prefix all its committees share (none for a national file).
            common = str(created[0]["ubigeo"])
            for item in created:
                while not str(item["ubigeo"]).startswith(common):
                    common = common[:-1]
            bump_generation("committees")
            record_change(
                actor,
                "committees.import_events",
                digest,
                _(
                    "Committee events imported from %(file)s: %(created)d new, %(unchanged)d already recorded"
                )
                % {"file": file_name, "created": result.created, "unchanged": result.unchanged},
                after={
                    "file": file_name,
                    "sha256": digest,
                    "rows": result.rows,
                    "unchanged": result.unchanged,
                    "created": created,
                },
                territory_ubigeo=common if len(common) >= 2 else "",
                object_type="committee_events",
            )
    return result
