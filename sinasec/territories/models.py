"""INEI territories (department > province > district), regional governments, population
by year and optional boundaries.

Keys are ubigeo strings ("150101"), never integers: a leading zero is part of the code.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinasec.core.text import search_key


class Level(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")


UBIGEO_LENGTH = {Level.DEPARTMENT: 2, Level.PROVINCE: 4, Level.DISTRICT: 6}


class Region(models.Model):
    """A regional government (gobierno regional): derived from the INEI hierarchy.

    24 regions follow their department; department 15 (Lima) is split into Lima
    Metropolitana (province 1501, code "1501") and Lima Provincias (the rest, code "15");
    Callao is department 07.
    """

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    # The name as searched and sorted ("Áncash" -> "ancash"): see core.text.search_key.
    search_name = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    department = models.ForeignKey(
        "Territory", on_delete=models.PROTECT, related_name="regions", verbose_name=_("department")
    )

    class Meta:
        ordering = ["search_name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)


class Territory(models.Model):
    ubigeo = models.CharField(_("ubigeo"), max_length=6, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name = models.CharField(_("name"), max_length=120)
    # The name as searched and sorted ("Huánuco" -> "huanuco"): see core.text.search_key.
    search_name = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Null only for department 15, which is split between two regional governments.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territories",
        verbose_name=_("region"),
    )
    capital = models.CharField(_("capital"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    altitude_m = models.FloatField(_("altitude (m)"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    category = models.CharField(_("capital category"), max_length=40, blank=True)
    creation_law = models.CharField(_("creation law"), max_length=60, blank=True)
    creation_date = models.DateField(_("creation date"), null=True, blank=True)
    # The source's own words when its date is not a date ("EPOCA INDEP.").
    creation_date_text = models.CharField(_("creation date as printed"), max_length=40, blank=True)

    class Meta:
        ordering = ["ubigeo"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        indexes = [models.Index(fields=["level", "ubigeo"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.ubigeo})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    @property
    def has_capital_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Population(models.Model):
    """Population of one district for one year, as published by a source.

    Only districts carry rows: every other figure (province, department, region,
    national) is the sum of its districts, computed when asked.
    """

    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="populations", verbose_name=_("district")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["territory_id", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("population")
        constraints = [
            models.UniqueConstraint(fields=["territory", "year"], name="population_once_per_year")
        ]
        indexes = [models.Index(fields=["year", "territory"])]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.year}: {self.value}"


class PoliceStation(models.Model):
    """A police station (comisaría): complaints filed there are often placed on its
    point, so a stack of incidents near one is "forced to a police station"
    (:mod:`sinasec.incidents.geocoding`); shown on maps as a layer."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="police_stations",
        verbose_name=_("district"),
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Boundary(models.Model):
    """The polygon of a territory, kept as GeoJSON geometry text.

    A separate table keeps territory lists light: a district polygon weighs kilobytes.
    """

    territory = models.OneToOneField(
        Territory, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.TextField(_("GeoJSON geometry"))
    source = models.CharField(_("source"), max_length=200)
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        verbose_name = _("boundary")
        verbose_name_plural = _("boundaries")

    def __str__(self) -> str:
        return f"{self.territory_id} ({self.source})"
