"""The services catalogue of the 2010 national plan: 5 types of service placed before,
during or after an event, 18 services, and which institutions provide each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Moment(models.TextChoices):
    BEFORE = "before", _("Before the event")
    DURING = "during", _("During the event")
    AFTER = "after", _("After the event")


class Target(models.TextChoices):
    POPULATION = "population", _("Population")
    VICTIM = "victim", _("Victim")
    OFFENDER = "offender", _("Offender")
    VICTIM_OFFENDER = "victim_offender", _("Victim and offender")


class ServiceType(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    description = models.TextField(_("description"), blank=True)
    providers = models.ManyToManyField(
        "institutions.Institution", related_name="service_types", blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return f"{self.code}) {self.name}"


class Service(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="services", verbose_name=_("type")
    )
    name = models.CharField(_("name"), max_length=200)
    diagnosis = models.TextField(_("qualitative diagnosis (2010 plan)"), blank=True)
    providers = models.ManyToManyField(
        "institutions.Institution",
        through="Provision",
        related_name="services",
        blank=True,
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Origin(models.TextChoices):
    PLAN_2010 = "plan_2010", _("Named in the 2010 national plan")
    DECLARED = "declared", _("Declared by the institution")


class Provision(models.Model):
    """An institution provides a service: as the plan says, or as it declares itself."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="provisions")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="provisions"
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["service__number", "institution__acronym"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        constraints = [
            models.UniqueConstraint(fields=["service", "institution"], name="provision_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} → {self.service_id}"
