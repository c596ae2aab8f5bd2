"""Barrio Seguro: targeted neighbourhoods, their status and the annual goal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class BarrioStatus(models.TextChoices):
    TARGETED = "targeted", _("Targeted")
    PLANNED = "planned", _("Planned")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")


class Barrio(models.Model):
    # Blank when the source does not name it: shown as unknown, never made up.
    name = models.CharField(_("name"), max_length=160, blank=True)
    district = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="barrios",
    )
    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="barrios",
    )
    # The territory as the source prints it ("Lima Provincia"); blank where it was lost.
    territory_label = models.CharField(_("territory as printed"), max_length=80, blank=True)
    cohort = models.CharField(_("cohort"), max_length=20)  # "2016-2017", "2018"
    goal_year = models.PositiveSmallIntegerField(_("goal year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BarrioStatus.choices)
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    boundary = models.TextField(_("boundary (GeoJSON)"), blank=True)
    articulator = models.CharField(_("territorial articulator"), max_length=160, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Optimistic lock: one more on every save; an edit from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cohort", "territory_label", "name", "id"]
        verbose_name = _("barrio")
        verbose_name_plural = _("barrios")

    def __str__(self) -> str:
        if self.name:
            return self.name
        if self.is_demo:  # a clearly demo label, never an invented name
            return gettext("Demo barrio no. %(number)s (%(territory)s, %(cohort)s)") % {
                "number": self.pk,
                "territory": self.territory_label or "?",
                "cohort": self.cohort,
            }
        return f"({self.territory_label or '?'}, {self.cohort})"


class AnnualGoal(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    goal = models.PositiveIntegerField(_("barrios to launch"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["year"]
        verbose_name = _("annual goal")
        verbose_name_plural = _("annual goals")

    def __str__(self) -> str:
        return f"{self.year}: {self.goal}"


class TargetingRun(models.Model):
    """A targeting run (``sinasec.analytics.targeting.index``) as it was computed: its parameters,
    the per-unit input values it used (enough to reproduce it) and its ranked results."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    parameters = models.JSONField(_("parameters"))
    data_snapshot = models.JSONField(_("data used"))
    results = models.JSONField(_("results"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("targeting run")
        verbose_name_plural = _("targeting runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.parameters.get('unit', '')} {self.parameters.get('year', '')}"


# Sector articulation and technical tables live in their own module to keep this one
# short; importing them here registers them with Django.
from sinasec.barrios.articulation.models import (  # noqa: E402
    Agreement,
    AgreementStatus,
    Attendance,
    Commitment,
    Delivery,
    TableSession,
)

__all__ = [
    "Agreement",
    "AgreementStatus",
    "AnnualGoal",
    "Attendance",
    "Barrio",
    "BarrioStatus",
    "Commitment",
    "Delivery",
    "TableSession",
    "TargetingRun",
]
