"""Sector articulation and territorial technical tables of Barrio Seguro.

The sectors of the multisectoral commission commit services to each barrio and report
what they deliver; the territorial technical tables (mesas técnicas territoriales) meet
inside the district committee, record who attended and what was agreed.
"""

from __future__ import annotations

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


class TableSession(models.Model):
    """A session of a barrio's territorial technical table, inside its district committee."""

    barrio = models.ForeignKey(
        "barrios.Barrio", on_delete=models.CASCADE, related_name="table_sessions"
    )
    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, null=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=160, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["barrio_id", "-held_on"]
        verbose_name = _("technical table session")
        verbose_name_plural = _("technical table sessions")

    def __str__(self) -> str:
        return f"{self.barrio_id} {self.held_on}"


class Attendance(models.Model):
    session = models.ForeignKey(TableSession, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.PositiveSmallIntegerField(_("people"), default=1)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "institution"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.institution_id}"


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")


class Agreement(models.Model):
    session = models.ForeignKey(TableSession, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("agreement"))
    owner = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.PENDING
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.text[:60]
