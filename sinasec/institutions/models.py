"""SINASEC member institutions and the names the sources give them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COUNCIL = "council", _("Council")
    MINISTRY = "ministry", _("Ministry")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    JUDICIARY = "judiciary", _("Judiciary")
    AUTONOMOUS = "autonomous", _("Autonomous body")
    AGENCY = "agency", _("Agency")
    REGIONAL_GOVERNMENT = "regional_government", _("Regional governments")
    LOCAL_GOVERNMENT = "local_government", _("Local governments")
    COMMITTEE = "committee", _("Security committees")
    COMMUNITY = "community", _("Organised community")
    PRIVATE = "private", _("Private sector")


class Institution(models.Model):
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("belongs to"),
    )
    # A renamed body keeps its old record, linked to the new one (MIMDES -> MIMP), so
    # plans that name the old body still resolve to one institution.
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("replaced by"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Contact details a focal point keeps up to date.
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Optimistic lock: an edit based on an old version is refused, never silently lost.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.acronym

    @property
    def current(self) -> Institution:
        """The body that carries this one's duties today (itself if not replaced)."""
        institution = self
        seen = {institution.pk}
        while institution.successor_id and institution.successor_id not in seen:
            institution = institution.successor  # type: ignore[assignment]
            seen.add(institution.pk)
        return institution


class Alias(models.Model):
    """Another way a source writes an institution ("SALUD" for MINSA, "PJ")."""

    text = models.CharField(_("text"), max_length=80, unique=True)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["text"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.text
