"""Sector articulation and territorial technical tables of Barrio Seguro.

The sectors of the multisectoral commission commit services to each barrio and report
what they deliver; the territorial technical tables (mesas técnicas territoriales) meet
inside the district committee, record who attended and what was agreed (their sessions
are ``meetings.Session`` rows of body "table").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Commitment(models.Model):
    barrio = models.ForeignKey(
        "barrios.Barrio", on_delete=models.CASCADE, related_name="commitments"
    )
    sector = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("service committed"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    target = models.PositiveIntegerField(_("target quantity"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        ordering = ["barrio_id", "sector_id", "starts_on"]
        verbose_name = _("sector commitment")
        verbose_name_plural = _("sector commitments")
        constraints = [
            models.CheckConstraint(
                name="commitment_dates_in_order",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sector_id} → {self.barrio_id}: {self.description}"


class Delivery(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("date"))
    quantity = models.PositiveIntegerField(_("quantity delivered"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["commitment_id", "delivered_on"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.delivered_on}: {self.quantity}"


# The technical tables' sessions, attendance and agreements live in sinasec.meetings
# (one session model for committees, tables and the commission; moved by migration
# barrios 0005). The names below keep this app's code reading as before.
from sinasec.meetings.models import (  # noqa: E402
    Agreement,
    AgreementStatus,
    Attendance,
    Body,
    SessionKind,
)
from sinasec.meetings.models import Session as TableSession  # noqa: E402

if TYPE_CHECKING:
    from sinasec.barrios.models import Barrio
    from sinasec.institutions.models import Institution


def table_barrio(session: TableSession) -> Barrio:
    """The barrio of a technical table's session (every table session has one: the
    session model's constraint; the field is optional only for other bodies)."""
    barrio = session.barrio
    if barrio is None:
        raise ValueError(f"session {session.pk} is not a technical table's")
    return barrio


def table_institution(attendance: Attendance) -> Institution:
    """The institution of a table's attendance row (tables record institutions only)."""
    institution = attendance.institution
    if institution is None:
        raise ValueError(f"attendance {attendance.pk} names no institution")
    return institution


__all__ = [
    "Agreement",
    "AgreementStatus",
    "Attendance",
    "Body",
    "Commitment",
    "Delivery",
    "SessionKind",
    "TableSession",
    "table_barrio",
    "table_institution",
]
