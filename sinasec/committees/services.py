"""Every write to committees: dated events appended to a committee's timeline.

Nothing is overwritten: a new swearing-in (members changed) is a new event; a mistake
is corrected by recording the right event, and both stay in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import get_committee_for_user
from sinasec.committees.models import Committee, CommitteeEvent, EventKind, Member
from sinasec.institutions.models import Institution


@dataclass(frozen=True)
class MemberIn:
    name: str
    institution: str = ""  # acronym
    role: str = ""


def _event_dict(event: CommitteeEvent) -> dict[str, object]:
    return {
        "committee": event.committee_id,
        "kind": event.kind,
        "date": event.date.isoformat(),
        "year": event.year,
        "person": event.person,
        "document": event.document,
        "evidence": event.evidence.name if event.evidence else "",
        "members": [
            {"name": m.name, "institution": m.institution_id, "role": m.role}
            for m in event.members.all()
        ],
    }


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
    _validate(committee, kind, on, year, person, members)
    institutions = {i.acronym.upper(): i for i in Institution.objects.all()} if members else {}
    with transaction.atomic():
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
        if evidence is not None:
            event.evidence.save(evidence.name or "acta", evidence, save=True)
        Member.objects.bulk_create(
            [
                Member(
                    event=event,
                    name=m.name.strip(),
                    institution=institutions.get(m.institution.strip().upper()),
                    role=m.role.strip(),
                )
                for m in members or []
            ]
        )
        record_change(
            actor,
            f"committees.record_{kind}",
            event,
            _("%(event)s recorded for %(committee)s on %(date)s")
            % {"event": EventKind(kind).label, "committee": committee.name, "date": on.isoformat()},
            after=_event_dict(event),
            territory_ubigeo=committee.ubigeo,
        )
    return event


def _validate(
    committee: Committee,
    kind: str,
    on: date,
    year: int | None,
    person: str,
    members: list[MemberIn] | None,
) -> None:
    from django.core.exceptions import ValidationError

    errors: dict[str, str] = {}
    if kind not in EventKind.values:
        errors["kind"] = _("unknown event “%s”") % kind
    if on > date.today():
        errors["date"] = _("the date %s is in the future") % on.isoformat()
    if kind == EventKind.PLAN and not year:
        errors["year"] = _("a plan event needs the year of the plan")
    if kind == EventKind.SECRETARY and not person.strip():
        errors["person"] = _("the accredited technical secretary's name is required")
    if kind == EventKind.SWORN and not [m for m in members or [] if m.name.strip()]:
        errors["members"] = _("a swearing-in needs at least one member")
    if errors:
        raise ValidationError(errors)


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
