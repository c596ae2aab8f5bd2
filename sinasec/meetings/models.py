"""Sessions of the bodies of the system: committees (ordinary, extraordinary and public
consultation sessions), the Barrio Seguro territorial technical tables and the
multisectoral commission. One model for all: a session has its date, place, agenda,
attendance (by sworn member or by institution) and agreements; the signed minutes are
an evidence file.

An agreement stores only pending or done (with the day it was done): *overdue* is
computed from its deadline and the date a report is made as of, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinasec.core.uploads import RandomName


class Body(models.TextChoices):
    COMMITTEE = "committee", _("Security committee")
    TABLE = "table", _("Territorial technical table (Barrio Seguro)")
    COMMISSION = "commission", _("Multisectoral commission")


class SessionKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")
    CONSULTATION = "consultation", _("Public consultation")


class Session(models.Model):
    body = models.CharField(_("body"), max_length=12, choices=Body.choices)
    kind = models.CharField(_("kind"), max_length=14, choices=SessionKind.choices)
    # The committee that met (a technical table meets inside its district committee;
    # the multisectoral commission has none).
    committee = models.ForeignKey(
        "committees.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    # The barrio of a technical table's session (a string reference: barrios sits above
    # this app and reads these sessions; nothing here imports it).
    barrio = models.ForeignKey(
        "barrios.Barrio",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="table_sessions",
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=160, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    # A public consultation: how many citizens came and what they raised.
    public_attendance = models.PositiveIntegerField(_("public attendance"), null=True, blank=True)
    citizen_topics = models.TextField(_("topics raised by citizens"), blank=True)
    # The signed minutes, stored under a random name (core.uploads) and served only by
    # the access-checked view.
    minutes = models.FileField(_("signed minutes"), upload_to=RandomName("meetings"), blank=True)
    minutes_name = models.CharField(_("minutes file name"), max_length=150, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            # The compliance selectors: sessions of every committee up to a date, by kind.
            models.Index(fields=["committee", "held_on", "kind"], name="session_committee_idx"),
            # Compliance as of a date: a year's or a quarter's sessions of every committee,
            # read from the index alone (no scan of 15 years of sessions).
            models.Index(
                fields=["body", "held_on", "kind", "committee"], name="session_period_idx"
            ),
            models.Index(fields=["barrio", "held_on"], name="session_barrio_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="session_body_has_its_place",
                condition=(
                    models.Q(body="committee", committee__isnull=False, barrio__isnull=True)
                    | models.Q(body="table", barrio__isnull=False)
                    | models.Q(body="commission", committee__isnull=True, barrio__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="only_committees_consult",
                condition=~models.Q(kind="consultation") | models.Q(body="committee"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.kind} {self.held_on}"


class Attendance(models.Model):
    """Who attended: a sworn member (with their institution) or, where members are not
    named (technical tables), an institution and how many of its people came."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "committees.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendees = models.PositiveSmallIntegerField(_("people"), default=1)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                name="attendance_names_someone",
                condition=models.Q(member__isnull=False) | models.Q(institution__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=models.Q(member__isnull=False),
                name="member_attends_once",
            ),
            models.UniqueConstraint(
                fields=["session", "institution"],
                condition=models.Q(member__isnull=True),
                name="institution_attends_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.member_id or self.institution_id}"


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")


# The status as of a date: the stored two and the computed one.
OVERDUE = "overdue"
STATUSES = ("pending", "done", OVERDUE)


class Agreement(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("agreement"))
    owner = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.PENDING
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Optimistic concurrency (core.concurrency): marking it done carries the version read.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            models.Index(fields=["session", "deadline", "done_on"], name="agreement_asof_idx"),
            # Compliance: the agreements not done by a date (still pending, or done after
            # it) are few; these find them without reading the done ones.
            models.Index(fields=["status", "deadline"], name="agreement_open_idx"),
            # The deadline too: the done-after-the-date range is checked against it in
            # the index, without reading rows whose deadline had not passed.
            models.Index(fields=["status", "done_on", "deadline"], name="agreement_done_late_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
