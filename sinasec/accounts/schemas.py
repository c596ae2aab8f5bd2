"""Response schemas every API router shares: the error bodies ``sinasec.api`` writes."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    """401 (not signed in), 403 (out of the user's scope), 404, 409 (edit conflict)."""

    detail: str


class DoneOut(Schema):
    """A write that returns no record: whether it changed anything."""

    done: bool
