"""Every write of notifications: creating them (idempotent by ``dedupe_key``), e-mailing
what is due, marking read, and each person's e-mail preferences.

Emitters (plans, barrios, ``sinasec notify``) describe what to say as ``Draft`` rows;
``emit`` keeps those not sent before, renders nothing twice and records, per row,
whether an e-mail is wanted (the recipient's preference at the time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.errors import AccessDenied
from sinasec.core.mail import default_mailer
from sinasec.notifications.access import get_notification_for_user
from sinasec.notifications.models import Kind, Notification, Preference
from sinasec.notifications.selectors import email_preferences

log = logging.getLogger(__name__)
BATCH = 200  # e-mails sent over one connection before it is reopened
MAX_ATTEMPTS = 5  # an address that failed this many runs is given up (the notice stays)


@dataclass(frozen=True)
class Draft:
    """One notification to create: already rendered (in Spanish) for its recipient."""

    recipient: User
    kind: str
    object_type: str
    object_id: int | None
    period: str  # what makes it new: a month, a week, a decision ("" for once ever)
    title: str
    body: str
    link: str = ""

    @property
    def dedupe_key(self) -> str:
        return f"{self.kind}:{self.object_type}:{self.object_id or ''}:{self.period}"


def emit(
    drafts: Iterable[Draft], *, dry_run: bool = False, to_email: bool = False
) -> list[Notification]:
    """Create the drafts not created before (same recipient and ``dedupe_key``); the new
    ones. ``dry_run``: return them unsaved. ``to_email``: return only the new ones whose
    e-mail is wanted (none wanted: nothing is read back)."""
    drafts = list(drafts)
    if not drafts:
        return []
    users = {d.recipient.pk for d in drafts}
    keys = {d.dedupe_key for d in drafts}
    seen = set(
        Notification.objects.filter(recipient_id__in=users, dedupe_key__in=keys).values_list(
            "recipient_id", "dedupe_key"
        )
    )
    # Preferences matter only to those with an address (usually few of the recipients).
    mailed = {d.recipient.pk for d in drafts if d.recipient.email}
    off = (
        set(
            Preference.objects.filter(user_id__in=mailed, email=False).values_list(
                "user_id", "kind"
            )
        )
        if mailed
        else set()
    )
    new: list[Notification] = []
    for draft in drafts:
        key = (draft.recipient.pk, draft.dedupe_key)
        if key in seen:
            continue
        seen.add(key)
        new.append(
            Notification(
                recipient=draft.recipient,
                kind=draft.kind,
                object_type=draft.object_type,
                object_id=draft.object_id,
                dedupe_key=draft.dedupe_key,
                title=draft.title[:200],
                body=draft.body,
                link=draft.link,
                email_wanted=bool(draft.recipient.email)
                and (draft.recipient.pk, draft.kind) not in off,
            )
        )
    if dry_run or not new:
        return new
    with transaction.atomic():
        # A parallel run may have created some since: the constraint keeps one of each.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    wanted = [n for n in new if n.email_wanted] if to_email else new
    if not wanted:
        return []
    # Read back with their ids (ignore_conflicts sets none), only the rows created now.
    saved = Notification.objects.filter(
        recipient_id__in={n.recipient_id for n in wanted},
        dedupe_key__in={n.dedupe_key for n in wanted},
        created__gte=min(n.created for n in new),  # set by bulk_create
    )
    if to_email:
        saved = saved.filter(email_wanted=True)
    return list(saved.select_related("recipient").order_by("id"))


def emit_on_commit(make_drafts: Callable[[], Iterable[Draft]]) -> None:
    """From inside a service's transaction: once it commits, create the notifications
    and e-mail them at once. A failure here never undoes the change (it is committed);
    it is logged, and ``sinasec notify`` sends what was not sent."""

    def run() -> None:
        send_pending(emit(make_drafts(), to_email=True))

    transaction.on_commit(run, robust=True)


def _message(notification: Notification) -> EmailMessage:
    link = settings.SITE_URL.rstrip("/") + notification.link if notification.link else ""
    body = notification.body + (f"\n\n{link}" if link else "")
    return EmailMessage(
        f"SINASEC: {notification.title}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient.email],
    )


def pending_email() -> list[Notification]:
    """Notifications whose e-mail is wanted and not sent yet (failed ones included:
    they are retried, up to ``MAX_ATTEMPTS`` runs), oldest first."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, email_wanted=True, email_attempts__lt=MAX_ATTEMPTS
        )
        .select_related("recipient")
        .order_by("created", "id")
    )


def send_pending(notifications: list[Notification] | None = None) -> tuple[int, int]:
    """E-mail what is pending, ``BATCH`` messages per connection; each message's result
    is recorded on its row (``emailed_at``, or the error and one more attempt, to be
    retried on the next run). Returns (sent, failed)."""
    todo = pending_email() if notifications is None else notifications
    sent = failed = 0
    for start in range(0, len(todo), BATCH):
        s, f = _send_batch(todo[start : start + BATCH])
        sent, failed = sent + s, failed + f
    return sent, failed


def _send_batch(batch: list[Notification]) -> tuple[int, int]:
    sent = failed = 0
    try:
        connection = default_mailer()
        connection.open()
    except OSError as exc:  # the mail server is down: the whole batch waits
        _record_failures(batch, exc)
        return 0, len(batch)
    try:
        for notification in batch:
            # Claimed first: a parallel run (or the decision's own send) that claimed it
            # already sends it; nothing goes out twice.
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True
            ).update(emailed_at=timezone.now(), email_error="")
            if not claimed:
                continue
            try:
                connection.send_messages([_message(notification)])
            except Exception as exc:  # one bad address must not stop the others
                _record_failures([notification], exc)
                failed += 1
            else:
                sent += 1
    finally:
        connection.close()
    return sent, failed


def _record_failures(notifications: list[Notification], exc: Exception) -> None:
    log.warning("notification e-mail not sent (%d): %s", len(notifications), exc)
    for notification in notifications:
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=None,  # unclaimed: the next run retries it
            email_attempts=notification.email_attempts + 1,
            email_error=str(exc)[:300],
        )


def mark_read(user: AnyUser, notification_id: int) -> Notification:
    """Mark one of one's own notifications read (reading is not audited: it changes
    nothing anyone else sees)."""
    notification = get_notification_for_user(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: AnyUser) -> int:
    if not isinstance(user, User):
        raise AccessDenied(_("Sign in to read your notifications."))
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_email_preferences(user: AnyUser, email_on: set[str]) -> dict[str, bool]:
    """E-mail on for the kinds in ``email_on``, off for the others; audited."""
    if not isinstance(user, User):
        raise AccessDenied(_("Sign in to choose your notifications."))
    wanted = {kind: kind in email_on for kind in Kind.values}
    with transaction.atomic():
        before = email_preferences(user)
        for kind, email in wanted.items():
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
        if before != wanted:
            record_change(
                user,
                "notifications.set_preferences",
                user,
                _("E-mail notifications changed"),
                before=before,
                after=wanted,
                object_type="notification_preferences",
            )
    return wanted
