"""The audit log: who changed what, when, and the record before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinasec.audit.actions import action_text


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The username at the time: kept even if the account is later removed.
    actor_label = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object"), max_length=64)
    summary = models.TextField(_("summary"))
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # What the change is about, so scoped users read only their part of the log.
    territory_ubigeo = models.CharField(max_length=6, blank=True, db_index=True)
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_id}"

    @property
    def action_text(self) -> str:
        """The action as a sentence in the reader's language (``audit.actions``)."""
        return action_text(self.action)
