"""Reads of sector articulation: a barrio's commitments with their deliveries, its
technical table sessions, the district committee it meets in, and the barrio x sector
matrix. Typed rows in, typed rows out; access is decided before (``barrios.access``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from django.db.models import QuerySet, Sum

from sinasec.barrios.articulation.models import table_institution
from sinasec.barrios.models import (
    Agreement,
    Attendance,
    Barrio,
    Commitment,
    Delivery,
    TableSession,
)
from sinasec.barrios.registry.reference import COMMISSION_SECTORS
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.institutions.models import Institution
from sinasec.meetings.selectors import agreement_status  # the one rule, tables included


@dataclass(frozen=True)
class MatrixCell:
    target: int
    delivered: int

    @property
    def coverage_pct(self) -> float | None:
        return round(self.delivered * 100 / self.target, 1) if self.target else None


class MatrixRow(TypedDict):
    barrio: Barrio
    cells: dict[str, MatrixCell | None]
    line: list[tuple[str, MatrixCell | None]]  # the cells in column order
    gaps: list[str]  # sectors that committed nothing to the barrio


class CoverageMatrix(TypedDict):
    sectors: list[str]
    rows: list[MatrixRow]


class SectorMatrix(CoverageMatrix):
    totals: list[tuple[str, MatrixCell | None]]
    names: dict[str, str]
    gaps: int


def coverage_matrix(barrios: list[Barrio], sectors: list[str]) -> CoverageMatrix:
    """Barrio x sector: committed target and delivered quantity; a missing cell is a gap
    (the sector has committed nothing to that barrio). Two queries."""
    targets: dict[tuple[int, str], int] = defaultdict(int)
    for barrio_id, acronym, target in Commitment.objects.filter(barrio__in=barrios).values_list(
        "barrio_id", "sector__acronym", "target"
    ):
        targets[(barrio_id, acronym)] += target
    delivered = {
        (b, a): n
        for b, a, n in Delivery.objects.filter(commitment__barrio__in=barrios)
        .values_list("commitment__barrio_id", "commitment__sector__acronym")
        .annotate(n=Sum("quantity"))
        .order_by()
    }
    rows: list[MatrixRow] = []
    for barrio in barrios:
        cells: dict[str, MatrixCell | None] = {}
        for sector in sectors:
            key = (barrio.pk, sector)
            cells[sector] = (
                MatrixCell(targets[key], delivered.get(key, 0)) if key in targets else None
            )
        rows.append(
            {
                "barrio": barrio,
                "cells": cells,
                "line": list(cells.items()),
                "gaps": [s for s, c in cells.items() if c is None],
            }
        )
    return {"sectors": sectors, "rows": rows}


def matrix_sectors(barrios: list[Barrio]) -> list[str]:
    """The commission's sectors, then any other sector that committed to these barrios."""
    others = (
        Commitment.objects.filter(barrio__in=barrios)
        .exclude(sector__acronym__in=COMMISSION_SECTORS)
        .values_list("sector__acronym", flat=True)
        .distinct()
        .order_by("sector__acronym")
    )
    return [*COMMISSION_SECTORS, *others]


def _total(cells: list[MatrixCell | None]) -> MatrixCell | None:
    present = [c for c in cells if c is not None]
    if not present:
        return None
    return MatrixCell(sum(c.target for c in present), sum(c.delivered for c in present))


def sector_matrix(barrios: list[Barrio]) -> SectorMatrix:
    """The barrio x sector matrix with a line of cells per barrio (in column order),
    the totals per sector and the sectors' names; a constant number of queries."""
    sectors = matrix_sectors(barrios)
    matrix = coverage_matrix(barrios, sectors)
    rows = matrix["rows"]
    return {
        "sectors": sectors,
        "rows": rows,
        "totals": [(s, _total([r["cells"][s] for r in rows])) for s in sectors],
        "names": dict(
            Institution.objects.filter(acronym__in=sectors).values_list("acronym", "name")
        ),
        "gaps": sum(len(r["gaps"]) for r in rows),
    }


@dataclass
class CommitmentRow:
    commitment: Commitment
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(d.quantity for d in self.deliveries)

    @property
    def coverage_pct(self) -> float | None:
        target = self.commitment.target
        return round(self.delivered * 100 / target, 1) if target else None


def commitments_of(barrio: Barrio) -> list[CommitmentRow]:
    commitments = (
        Commitment.objects.filter(barrio=barrio)
        .select_related("sector")
        .prefetch_related("deliveries__reported_by")
        .order_by("sector__acronym", "starts_on", "id")
    )
    return [CommitmentRow(c, list(c.deliveries.all())) for c in commitments]


@dataclass(frozen=True)
class SessionRow:
    session: TableSession
    attendance: list[Attendance]  # by institution acronym
    attendees: int
    agreements: list[tuple[Agreement, str]]  # each with its status as of a day


def session_row(session: TableSession, today: date) -> SessionRow:
    attendance = sorted(session.attendance.all(), key=lambda a: table_institution(a).acronym)
    return SessionRow(
        session=session,
        attendance=attendance,
        attendees=sum(a.attendees for a in attendance),
        agreements=[(a, agreement_status(a, today)) for a in session.agreements.all()],
    )


def with_session_details(sessions: QuerySet[TableSession]) -> QuerySet[TableSession]:
    """Sessions with what a session row shows, in a constant number of queries."""
    return sessions.select_related("committee", "recorded_by").prefetch_related(
        "attendance__institution", "agreements__owner"
    )


def sessions_of(barrio: Barrio, today: date) -> list[SessionRow]:
    """Table sessions, newest first, with attendance and each agreement's status
    (done, pending, overdue) as of ``today``."""
    sessions = with_session_details(TableSession.objects.filter(barrio=barrio))
    return [session_row(s, today) for s in sessions.order_by("-held_on", "-id")]


def sector_choices() -> list[tuple[str, str]]:
    """The institutions that can commit or attend (current bodies, not renamed ones):
    the commission's sectors first, then the rest by acronym."""
    current = dict(
        Institution.objects.filter(successor__isnull=True).values_list("acronym", "name")
    )
    order = [a for a in COMMISSION_SECTORS if a in current]
    order += sorted(a for a in current if a not in COMMISSION_SECTORS)
    return [(a, f"{a} — {current[a]}") for a in order]


def district_committee(barrio: Barrio) -> Committee | None:
    """The committee the barrio's technical table meets in: the provincial committee
    for a province's capital district, the district committee otherwise."""
    if not barrio.district_id:
        return None
    level = (
        CommitteeLevel.PROVINCIAL if barrio.district_id.endswith("01") else CommitteeLevel.DISTRICT
    )
    ubigeo = barrio.district_id[:4] if level == CommitteeLevel.PROVINCIAL else barrio.district_id
    return Committee.objects.filter(level=level, ubigeo=ubigeo).first()
