"""The audit log filter: one definition serves the log page and the API list."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema


class AuditEventFilter(FilterSchema):
    q: Annotated[
        str | None, FilterLookup(["summary__icontains", "actor_label__icontains", "object_id"])
    ] = None
    action: str | None = None
    object_type: str | None = None
