"""Notifications: what a person was told, in the application and by e-mail.

A notification is rendered once, in Spanish, when it is created, and never changes but
for ``read_at`` and its e-mail bookkeeping: the rows are the record of who was told
what and when. ``dedupe_key`` (kind, object, period) is unique per recipient, so an
event emitted twice, or ``sinasec notify`` run twice, tells nobody twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    REPORT_DUE = "report_due", _("Report due soon")
    REPORT_OVERDUE = "report_overdue", _("Report overdue")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Barrio Seguro commitment overdue")
    AGREEMENT_OVERDUE = "agreement_overdue", _("Technical table agreement overdue")
    ACCOUNT_INVITATION = "account_invitation", _("Account invitation")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest for approvers")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # The object it concerns: its type ("plans.executionreport", "plans.plan",
    # "barrios.commitment"...) and primary key; none for a digest.
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # A path inside the site that the recipient can open (checked by the emitter).
    link = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # False: the recipient turned e-mail off for this kind (or has no address): never sent.
    email_wanted = models.BooleanField(_("e-mail wanted"), default=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"
            )
        ]
        indexes = [
            # The bell: unread of one person.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # What `sinasec notify` still has to e-mail.
            models.Index(
                fields=["created"],
                condition=models.Q(emailed_at__isnull=True, email_wanted=True),
                name="notification_to_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}: {self.title}"


class Preference(models.Model):
    """One person's choice for one kind; no row means e-mail on (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"
