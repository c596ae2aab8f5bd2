"""API schemas every router shares: the bodies the error handlers of ``sinasec.api``
send, and an import's report, so endpoints can declare them (``response={200: XOut,
403: ErrorOut}``)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """400, 401, 403, 404, 409, 413: why the request was refused."""

    detail: str


class ConflictOut(ErrorOut):
    """409: the record changed since it was read (the version the request carried and
    the record's version now, when known), or a parallel writer won."""

    your_version: int | None = None
    current_version: int | None = None


class ProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    reason: str


class InvalidOut(Schema):
    """422: the request's own validation errors (a list), a service's errors by field
    (``__all__`` for the whole record), or a rejected file's message and problems."""

    detail: str | dict[str, list[str]] | list[dict[str, Any]]
    problems: list[ProblemOut] = []


class ImportOut(Schema):
    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    warnings: list[ProblemOut]
    skipped: list[ProblemOut]


class EvidenceOut(Schema):
    """An evidence file: its download name and the URL that serves it to this caller
    (the same access check as the record it belongs to)."""

    id: int
    name: str
    url: str


# How an evidence download's 200 is documented: the file itself, not JSON.
EVIDENCE_DOWNLOAD: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The file, as an attachment (PDF, JPEG or PNG).",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("application/pdf", "image/jpeg", "image/png")
            },
        }
    }
}


# The error codes an endpoint may answer besides its success (the handlers in
# ``sinasec.api`` give AccessDenied, ValidationError and EditConflict their meaning).
READ_ERRORS = (401, 403, 404)
WRITE_ERRORS = (401, 403, 404, 409, 422)
ERROR_SCHEMAS: dict[int, type[Schema]] = {409: ConflictOut, 422: InvalidOut}


def responses(ok: Any, errors: tuple[int, ...] = READ_ERRORS, status: int = 200) -> dict:
    """``response=`` for an endpoint: its success schema and the errors it may answer."""
    return {
        status: ok,
        **{code: ERROR_SCHEMAS.get(code, ErrorOut) for code in errors},
    }
