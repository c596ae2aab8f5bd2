"""Every write of sector articulation and technical tables.

Access: the Barrio Seguro team (and national administrators) records commitments; a
sector's focal point reports deliveries of its own institution's commitments; the
secretary of the barrio's district committee (or the team) records table sessions.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.barrios.access import (
    check_commitment_access,
    check_table_access,
    get_agreement_for_user,
    get_barrio_for_user,
    get_commitment_for_user,
)
from sinasec.barrios.articulation.models import (
    Agreement,
    AgreementStatus,
    Attendance,
    Body,
    Commitment,
    Delivery,
    SessionKind,
    TableSession,
    table_barrio,
)
from sinasec.barrios.articulation.selectors import district_committee
from sinasec.core.errors import AccessDenied
from sinasec.institutions.models import Institution
from sinasec.meetings.services import check_can_be_done


def _user(actor: AnyUser) -> User:
    """The signed-in account behind a write (access checks already refused anonymous)."""
    if not isinstance(actor, User):
        raise AccessDenied(_("Sign in first."))
    return actor


def add_commitment(
    actor: AnyUser,
    barrio_id: int,
    sector: str,
    description: str,
    unit: str,
    target: int,
    starts_on: date,
    ends_on: date,
) -> Commitment:
    check_commitment_access(actor)
    barrio = get_barrio_for_user(actor, barrio_id)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("the end is before the start")})
    institution = Institution.objects.filter(acronym=sector).first()
    if institution is None:
        raise ValidationError({"sector": _("unknown institution: %s") % sector})
    with transaction.atomic():
        commitment = Commitment.objects.create(
            barrio=barrio,
            sector=institution,
            description=description,
            unit=unit,
            target=target,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        record_change(
            actor,
            "barrios.add_commitment",
            commitment,
            _("%(sector)s commits %(target)d %(unit)s")
            % {"sector": sector, "target": target, "unit": unit},
            after={"barrio": barrio_id, "sector": sector, "target": target},
            institution_id=institution.pk,
        )
    return commitment


def report_delivery(
    actor: AnyUser, commitment_id: int, delivered_on: date, quantity: int, note: str = ""
) -> Delivery:
    commitment = get_commitment_for_user(actor, commitment_id, write=True)
    if not commitment.starts_on <= delivered_on <= commitment.ends_on:
        raise ValidationError({"delivered_on": _("the date is outside the commitment's period")})
    with transaction.atomic():
        delivery = Delivery.objects.create(
            commitment=commitment,
            delivered_on=delivered_on,
            quantity=quantity,
            note=note,
            reported_by=_user(actor),
        )
        record_change(
            actor,
            "barrios.report_delivery",
            delivery,
            _("%(n)d delivered") % {"n": quantity},
            after={
                "commitment": commitment.pk,
                "quantity": quantity,
                "date": delivered_on.isoformat(),
            },
            institution_id=commitment.sector_id,
        )
    return delivery


def record_table_session(
    actor: AnyUser,
    barrio_id: int,
    held_on: date,
    attendance: dict[str, int],
    agreements: list[tuple[str, str, date]],
    place: str = "",
) -> TableSession:
    """A session of the barrio's territorial technical table: attendance by institution
    and agreements (text, owner institution, deadline)."""
    barrio = get_barrio_for_user(actor, barrio_id)
    check_table_access(actor, barrio)
    if held_on > date.today():
        raise ValidationError({"held_on": _("the date cannot be in the future")})
    institutions = {
        i.acronym: i
        for i in Institution.objects.filter(acronym__in=[*attendance, *(a[1] for a in agreements)])
    }
    unknown = sorted({*attendance, *(a[1] for a in agreements)} - set(institutions))
    if unknown:
        raise ValidationError({"institution": _("unknown institution: %s") % ", ".join(unknown)})
    with transaction.atomic():
        session = TableSession.objects.create(
            body=Body.TABLE,
            kind=SessionKind.ORDINARY,
            barrio=barrio,
            committee=district_committee(barrio),
            held_on=held_on,
            place=place,
            recorded_by=_user(actor),
        )
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, institution=institutions[a], attendees=n)
                for a, n in attendance.items()
            ]
        )
        Agreement.objects.bulk_create(
            [
                Agreement(session=session, text=t, owner=institutions[o], deadline=d)
                for t, o, d in agreements
            ]
        )
        record_change(
            actor,
            "barrios.record_table_session",
            session,
            _("Technical table of %(barrio)s on %(date)s")
            % {"barrio": barrio, "date": held_on.isoformat()},
            after={"attendance": attendance, "agreements": len(agreements)},
            territory_ubigeo=barrio.district_id or "",
        )
    return session


def mark_agreement_done(actor: AnyUser, agreement_id: int, on_date: date) -> Agreement:
    """An agreement of a technical table fulfilled on a date (whoever may record the
    barrio's table sessions; audited)."""
    agreement = get_agreement_for_user(actor, agreement_id, write=True)
    barrio = table_barrio(agreement.session)
    check_can_be_done(agreement, on_date)
    with transaction.atomic():
        agreement.status, agreement.done_on = AgreementStatus.DONE, on_date
        agreement.version += 1
        agreement.save(update_fields=["status", "done_on", "version"])
        record_change(
            actor,
            "barrios.mark_agreement_done",
            agreement,
            _("Agreement of the technical table of %(barrio)s done on %(date)s")
            % {"barrio": barrio, "date": on_date.isoformat()},
            before={"status": AgreementStatus.PENDING},
            after={
                "status": AgreementStatus.DONE,
                "done_on": on_date.isoformat(),
                "deadline": agreement.deadline.isoformat(),
                "owner": agreement.owner.acronym,
            },
            territory_ubigeo=barrio.district_id or "",
            institution_id=agreement.owner_id,
        )
    return agreement
