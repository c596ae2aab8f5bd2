"""Crime and violence observatory: a crime classification mapped to UNODC ICCS,
aggregated counts with their source, and sample surveys with their bases.

Incident-level records are not here: they live in the Parquet store (``incidents.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CrimeCategory(models.Model):
    """A modality or Código Penal offence as Peru records it, mapped to an ICCS section
    at the level of the article or modality (not of the Código Penal title)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    penal_family = models.CharField(_("Código Penal family"), max_length=160, blank=True)
    penal_articles = models.CharField(_("Código Penal articles"), max_length=80, blank=True)
    iccs_section = models.CharField(_("ICCS section"), max_length=2)
    iccs_name = models.CharField(_("ICCS section name"), max_length=160)
    aliases = models.JSONField(_("names in the sources"), default=list, blank=True)

    class Meta:
        ordering = ["iccs_section", "code"]
        verbose_name = _("crime category")
        verbose_name_plural = _("crime categories")

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class CrimeCount(models.Model):
    """A published or imported count. ``territory`` null with ``scope`` "PE" is a
    national total printed by the source, kept as its own record even when it is more
    than the sum of the territories listed (the remainder is shown, never hidden)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="counts")
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope = models.CharField(_("scope"), max_length=6, blank=True)  # "PE": national total
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, null=True, blank=True)
    # The modality exactly as the source wrote it (SIDPOL "P_MODALIDADES"), kept even
    # when the category it maps to is "otros".
    modality = models.CharField(_("modality as written"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("count"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["year", "month", "territory_id"]
        verbose_name = _("crime count")
        verbose_name_plural = _("crime counts")
        indexes = [models.Index(fields=["source", "year", "territory"])]

    def __str__(self) -> str:
        return f"{self.territory_id or self.scope} {self.year}/{self.month or '-'}: {self.count}"


class Survey(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    question = models.TextField(_("question"))
    answer = models.CharField(_("answer measured"), max_length=80)
    source = models.CharField(_("source"), max_length=200)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("survey indicator")
        verbose_name_plural = _("survey indicators")

    def __str__(self) -> str:
        return self.code


class SurveyWave(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.CharField(_("wave"), max_length=40)
    base = models.PositiveIntegerField(_("sample base"))
    pct = models.DecimalField(_("published percentage"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["survey_id", "year"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        constraints = [models.UniqueConstraint(fields=["survey", "year"], name="one_wave_per_year")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.label}: {self.pct}% (n={self.base})"


class Claim(models.Model):
    """A sentence a source publishes about a change between two waves, kept so the
    interface can say whether the data supports it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="claims")
    from_year = models.PositiveSmallIntegerField()
    to_year = models.PositiveSmallIntegerField()
    text = models.TextField(_("published sentence"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("published claim")
        verbose_name_plural = _("published claims")

    def __str__(self) -> str:
        return f"{self.survey_id} {self.from_year}->{self.to_year}"
