"""Security committees (CORESEC, COPROSEC, CODISEC) and their dated events.

A committee's history is a timeline of events; nothing is overwritten. Every compliance
figure is computed from these events as of a date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinasec.core.uploads import RandomName


class CommitteeLevel(models.TextChoices):
    REGIONAL = "regional", _("Regional (CORESEC)")
    PROVINCIAL = "provincial", _("Provincial (COPROSEC)")
    DISTRICT = "district", _("District (CODISEC)")


ACRONYM = {
    CommitteeLevel.REGIONAL: "CORESEC",
    CommitteeLevel.PROVINCIAL: "COPROSEC",
    CommitteeLevel.DISTRICT: "CODISEC",
}


class Committee(models.Model):
    """One committee per territory and level. The provincial committee covers its
    capital district, which therefore has no CODISEC of its own."""

    level = models.CharField(_("level"), max_length=10, choices=CommitteeLevel.choices)
    # A province or district for COPROSEC/CODISEC; a regional government for CORESEC.
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
    )
    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committees",
    )
    # The ubigeo the committee answers for (region code for a CORESEC): scoping and
    # drill-down use it without joins.
    ubigeo = models.CharField(_("ubigeo"), max_length=6, db_index=True)
    name = models.CharField(_("name"), max_length=160)
    # When the committee entered the registry (its territory existed); None: before
    # any record. A committee is in the universe of a report dated after this.
    established_on = models.DateField(_("in the registry since"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["level", "ubigeo"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.UniqueConstraint(fields=["level", "ubigeo"], name="one_committee_per_level"),
            models.CheckConstraint(
                name="committee_has_one_place",
                condition=(
                    models.Q(level="regional", region__isnull=False, territory__isnull=True)
                    | (
                        ~models.Q(level="regional")
                        & models.Q(territory__isnull=False, region__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    INSTALLED = "installed", _("Installation")
    SWORN = "sworn", _("Swearing-in")
    PLAN = "plan", _("Plan formulated")
    SECRETARY = "secretary", _("Technical secretary accredited")


class CommitteeEvent(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("plan year"), null=True, blank=True)
    person = models.CharField(_("person"), max_length=160, blank=True)
    document = models.CharField(_("document"), max_length=160, blank=True)
    # Stored under a random name (core.uploads); served only by the permission-checked view.
    evidence = models.FileField(_("evidence"), upload_to=RandomName("committees"), blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=150, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee_id", "date", "id"]
        verbose_name = _("committee event")
        verbose_name_plural = _("committee events")
        indexes = [
            models.Index(fields=["committee", "kind"]),
            # Covers the compliance queries: no table reads.
            models.Index(fields=["kind", "committee", "date", "year"], name="event_compliance_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="plan_event_has_year",
                condition=~models.Q(kind="plan") | models.Q(year__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.kind} {self.date}"


def evidence_fallback(event: CommitteeEvent) -> str:
    """The download name of an acta stored before original names were kept."""
    return f"acta-{event.committee.ubigeo}-{event.kind}-{event.date.isoformat()}"


class Member(models.Model):
    """A member sworn in at a swearing-in event."""

    event = models.ForeignKey(CommitteeEvent, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=160)
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name
