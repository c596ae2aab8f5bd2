"""API schemas every router shares: the bodies the error handlers of ``sinasec.api``
send, and an import's report, so endpoints can declare them (``response={200: XOut,
403: ErrorOut}``)."""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    """401, 403, 404, 409: why the request was refused."""

    detail: str


class ProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    reason: str


class RejectedOut(Schema):
    """422 for a rejected file: every problem, with its row and column."""

    detail: str
    problems: list[ProblemOut]


class ImportOut(Schema):
    file: str
    rows: int
    created: int
    updated: int
    unchanged: int
    warnings: list[ProblemOut]
    skipped: list[ProblemOut]
