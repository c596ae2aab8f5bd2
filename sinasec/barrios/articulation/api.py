"""Sector articulation's API: commitments, deliveries, technical table sessions (with
attendance and agreements), agreements done and the barrio x sector matrix. Lists take
their filter from ``barrios.filters``; writes call the page's services."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.barrios.access import (
    get_agreement_for_user,
    get_barrios_for_user,
    get_commitment_for_user,
    get_commitments_for_user,
    get_deliveries_for_user,
    get_session_for_user,
    get_sessions_for_user,
)
from sinasec.barrios.articulation import selectors, services
from sinasec.barrios.articulation.models import table_institution
from sinasec.barrios.filters import BarrioFilter, CommitmentFilter, DeliveryFilter, SessionFilter
from sinasec.barrios.models import Agreement, Commitment, Delivery, TableSession
from sinasec.barrios.schemas import WRITE_ERRORS, responses
from sinasec.core.params import Count, Id, SmallCount, SupportedDate

router = Router(tags=["barrios"])


class CommitmentOut(Schema):
    id: int
    barrio: int = Field(alias="barrio_id")
    sector: str = Field(alias="sector.acronym")
    description: str
    unit: str
    target: int
    starts_on: date
    ends_on: date
    delivered: int


class CommitmentIn(Schema):
    barrio: Id
    sector: str = Field(description="the institution's acronym, e.g. PNP")
    description: str = Field(max_length=200)
    unit: str = Field(max_length=60)
    target: Count = Field(ge=1)
    starts_on: SupportedDate
    ends_on: SupportedDate


class DeliveryOut(Schema):
    id: int
    commitment: int = Field(alias="commitment_id")
    barrio: int = Field(alias="commitment.barrio_id")
    sector: str = Field(alias="commitment.sector.acronym")
    delivered_on: date
    quantity: int
    note: str
    reported_by: str = Field(alias="reported_by.username")


class DeliveryIn(Schema):
    commitment: Id
    delivered_on: SupportedDate
    quantity: Count = Field(ge=1)
    note: str = Field("", max_length=300)


class AttendanceItem(Schema):
    institution: str
    attendees: SmallCount = Field(ge=1)


class AgreementOut(Schema):
    id: int
    session: int = Field(alias="session_id")
    text: str
    owner: str = Field(alias="owner.acronym")
    deadline: date
    status: str  # done, pending or overdue (as of today)
    done_on: date | None

    @staticmethod
    def resolve_status(obj: Agreement) -> str:
        return selectors.agreement_status(obj, date.today())


class AgreementIn(Schema):
    text: str = Field(min_length=1)
    owner: str
    deadline: SupportedDate


class SessionOut(Schema):
    id: int
    barrio: int = Field(alias="barrio_id")
    committee: int | None = Field(alias="committee_id")
    held_on: date
    place: str
    recorded_by: str = Field(alias="recorded_by.username")
    attendance: list[AttendanceItem]
    agreements: list[AgreementOut]

    @staticmethod
    def resolve_attendance(obj: TableSession) -> list[dict[str, Any]]:
        row = selectors.session_row(obj, date.today())
        return [
            {"institution": table_institution(a).acronym, "attendees": a.attendees}
            for a in row.attendance
        ]

    @staticmethod
    def resolve_agreements(obj: TableSession) -> list[Agreement]:
        return list(obj.agreements.all())


class SessionIn(Schema):
    barrio: Id
    held_on: SupportedDate
    place: str = Field("", max_length=160)
    attendance: list[AttendanceItem] = []
    agreements: list[AgreementIn] = []


class DoneIn(Schema):
    done_on: SupportedDate


class CellOut(Schema):
    sector: str
    target: int
    delivered: int
    coverage_pct: float | None


class MatrixRowOut(Schema):
    barrio: int
    name: str
    cells: list[CellOut]  # only the sectors that committed something
    gaps: list[str]  # the commission's sectors that committed nothing


def _with_delivered(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return commitments.annotate(delivered=Coalesce(Sum("deliveries__quantity"), 0))


@router.get("/matrix", response=list[MatrixRowOut], auth=user_auth)
@paginate
def matrix(request: HttpRequest, filters: Query[BarrioFilter]) -> list[dict[str, Any]]:
    """The barrio x sector matrix of the page, a row per barrio."""
    data = selectors.sector_matrix(list(filters.filter(get_barrios_for_user(request.user))))
    return [
        {
            "barrio": row["barrio"].pk,
            "name": row["barrio"].name,
            "cells": [
                {
                    "sector": s,
                    "target": c.target,
                    "delivered": c.delivered,
                    "coverage_pct": c.coverage_pct,
                }
                for s, c in row["line"]
                if c is not None
            ],
            "gaps": row["gaps"],
        }
        for row in data["rows"]
    ]


@router.get("/commitments", response=list[CommitmentOut], auth=user_auth)
@paginate
def commitments(request: HttpRequest, filters: Query[CommitmentFilter]) -> QuerySet[Commitment]:
    found = filters.filter(get_commitments_for_user(request.user))
    return _with_delivered(found).order_by("barrio_id", "sector__acronym", "starts_on", "id")


@router.post("/commitments", response=responses(CommitmentOut, WRITE_ERRORS, 201), auth=user_auth)
def add_commitment(request: HttpRequest, payload: CommitmentIn) -> tuple[int, Commitment]:
    """A sector's commitment to a barrio (the Barrio Seguro team; audited)."""
    data = payload.model_dump()
    commitment = services.add_commitment(request.user, data.pop("barrio"), **data)
    return 201, _with_delivered(Commitment.objects.filter(pk=commitment.pk)).get()


@router.get("/deliveries", response=list[DeliveryOut], auth=user_auth)
@paginate
def deliveries(request: HttpRequest, filters: Query[DeliveryFilter]) -> QuerySet[Delivery]:
    return filters.filter(get_deliveries_for_user(request.user)).order_by("-delivered_on", "-id")


@router.post("/deliveries", response=responses(DeliveryOut, WRITE_ERRORS, 201), auth=user_auth)
def report_delivery(request: HttpRequest, payload: DeliveryIn) -> tuple[int, Delivery]:
    """A delivery of a commitment (the committed sector's focal point; audited)."""
    get_commitment_for_user(request.user, payload.commitment, write=True)
    delivery = services.report_delivery(
        request.user, payload.commitment, payload.delivered_on, payload.quantity, payload.note
    )
    return 201, delivery


@router.get("/sessions", response=list[SessionOut], auth=user_auth)
@paginate
def sessions(request: HttpRequest, filters: Query[SessionFilter]) -> QuerySet[TableSession]:
    found = filters.filter(get_sessions_for_user(request.user))
    return selectors.with_session_details(found).order_by("-held_on", "-id")


@router.get("/sessions/{session_id}", response=responses(SessionOut), auth=user_auth)
def session(request: HttpRequest, session_id: int) -> TableSession:
    return get_session_for_user(request.user, session_id)


def _attendance(items: list[AttendanceItem]) -> dict[str, int]:
    attendance: dict[str, int] = {}
    for item in items:
        if item.institution in attendance:
            raise ValidationError(
                {"attendance": _("%(inst)s is listed twice.") % {"inst": item.institution}}
            )
        attendance[item.institution] = item.attendees
    return attendance


@router.post("/sessions", response=responses(SessionOut, WRITE_ERRORS, 201), auth=user_auth)
def record_session(request: HttpRequest, payload: SessionIn) -> tuple[int, TableSession]:
    """A technical table session with its attendance and agreements (the district
    committee's secretary; audited)."""
    session = services.record_table_session(
        request.user,
        payload.barrio,
        payload.held_on,
        _attendance(payload.attendance),
        [(a.text, a.owner, a.deadline) for a in payload.agreements],
        place=payload.place,
    )
    return 201, get_session_for_user(request.user, session.pk)


@router.post(
    "/agreements/{agreement_id}/done",
    response=responses(AgreementOut, WRITE_ERRORS),
    auth=user_auth,
)
def mark_agreement_done(request: HttpRequest, agreement_id: int, payload: DoneIn) -> Agreement:
    """An agreement fulfilled on a date (whoever records the barrio's table; audited)."""
    get_agreement_for_user(request.user, agreement_id, write=True)
    return services.mark_agreement_done(request.user, agreement_id, payload.done_on)
