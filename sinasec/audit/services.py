"""Writing to the audit log. Called by every service inside its own transaction, so a
change and its audit record are committed together or not at all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from sinasec.accounts.scope import AnyUser
from sinasec.audit.models import AuditEvent


def record_change(
    actor: AnyUser, action: str, obj: Any, summary: str, **details: Any
) -> AuditEvent:
    """Record one change (``details``: the keyword arguments of :func:`audit_event`)."""
    event = audit_event(actor, action, obj, summary, **details)
    event.save()
    return event


def record_changes(events: list[AuditEvent]) -> None:
    """Save many records of :func:`audit_event` at once (an import of 2,000 accounts)."""
    AuditEvent.objects.bulk_create(events, batch_size=500)


def audit_event(
    actor: AnyUser,
    action: str,
    obj: Any,
    summary: str,
    before: Any = None,
    after: Any = None,
    territory_ubigeo: str = "",
    institution_id: int | None = None,
    object_type: str | None = None,
) -> AuditEvent:
    """The record of one change, not saved yet."""
    user = actor if isinstance(actor, User) else None
    return AuditEvent(
        actor=user,
        actor_label=actor.get_username() if user else "anónimo",
        action=action,
        object_type=object_type
        or str(getattr(getattr(obj, "_meta", None), "model_name", "record")),
        object_id=str(obj.pk) if hasattr(obj, "pk") else str(obj),
        summary=summary,
        before=before,
        after=after,
        territory_ubigeo=territory_ubigeo,
        institution_id=institution_id,
    )
