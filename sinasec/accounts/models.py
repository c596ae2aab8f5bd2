"""Who may do what: one role per user and, for scoped roles, the territory or the
institution they answer for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    # Manages the accounts of the committee secretaries inside one region (DHIS2's
    # management by organisation unit); reads and writes nothing else.
    REGIONAL_ADMIN = "regional_admin", _("Regional administrator")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    # Both read national data like the analyst; each writes in one area only: the
    # Barrio Seguro team in Barrio Seguro, the observatory analyst the crime data.
    BARRIO_TEAM = "barrio_team", _("Barrio Seguro team")
    OBSERVATORY_ANALYST = "observatory_analyst", _("Observatory analyst")
    COMMITTEE_SECRETARY = "committee_secretary", _("Committee secretary")
    FOCAL_POINT = "focal_point", _("Institution focal point")


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # A committee secretary answers for one committee: a territory (district, province
    # or department) or, for a regional committee, a regional government.
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )
    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("institution"),
    )
    # The national identity document (8 digits), optional: lets an import tell two
    # people with one e-mail apart.
    dni = models.CharField(_("DNI"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                name="secretary_has_one_territory",
                condition=~models.Q(role="committee_secretary")
                | (models.Q(territory__isnull=False) ^ models.Q(region__isnull=False)),
            ),
            models.CheckConstraint(
                name="focal_point_has_institution",
                condition=~models.Q(role="focal_point") | models.Q(institution__isnull=False),
            ),
            models.CheckConstraint(
                name="regional_admin_has_region",
                condition=~models.Q(role="regional_admin")
                | models.Q(region__isnull=False, territory__isnull=True, institution__isnull=True),
            ),
            # Both read and write nationally: a place or institution would mislead.
            models.CheckConstraint(
                name="national_team_has_no_scope",
                condition=~models.Q(role__in=["barrio_team", "observatory_analyst"])
                | models.Q(region__isnull=True, territory__isnull=True, institution__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A personal token for machine clients (``Authorization: Bearer <secret>``).

    Only the SHA-256 digest of the secret is stored; the secret is shown once, when the
    token is created. The prefix (the secret's first characters) lets people tell their
    tokens apart without revealing them.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
