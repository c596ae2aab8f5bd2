"""Writing to the audit log. Called by every service inside its own transaction, so a
change and its audit record are committed together or not at all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from sinasec.accounts.scope import AnyUser
from sinasec.audit.models import AuditEvent


def record_change(
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
    user = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(
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
