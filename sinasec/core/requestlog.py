"""One log line per request, a request id on every log record, and JSON logs.

The proxy's ``X-Request-ID`` (or a new one) follows the request through every log record
written while it is handled, including Django's own error with its traceback, so an
operator finds everything about one failed request by its id; the response carries it
back for the user to quote.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("sinasec.request")

HEADER = "X-Request-ID"
# A proxy's id is kept only if it looks like one: no spaces, quotes or control characters
# that could forge a log line.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_NO_ID = "-"

_request_id: ContextVar[str] = ContextVar("sinasec_request_id", default=_NO_ID)
# Also kept on the request: Django logs a 4xx response ("Not Found: /x") after the last
# middleware has returned, with the request on the record.
META_KEY = "sinasec.request_id"

# What a request's summary line carries besides the message (set through ``extra``).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user")


def current_request_id() -> str:
    return _request_id.get()


def _incoming_id(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if _VALID_ID.match(given) else uuid.uuid4().hex


def _username(request: HttpRequest) -> str:
    """Who made the request; never fails the log line (the database may be down)."""
    try:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return str(user.get_username())
    except Exception:
        return "?"
    return "anonymous"


class RequestLogMiddleware:
    """Name the request, answer with its id, and log one INFO line when it is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _incoming_id(request)
        request.META[META_KEY] = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user = _username(request)
            logger.info(
                "%s %s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                user,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user": user,
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestContextFilter(logging.Filter):
    """Put the request's id on every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            given = request.META.get(META_KEY) if isinstance(request, HttpRequest) else None
            record.request_id = given or current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's fields when
    known, and an exception's traceback in the same object (no multi-line records for a
    log collector to stitch together)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        request = getattr(record, "request", None)  # django.request's records carry it
        if isinstance(request, HttpRequest):
            entry.setdefault("method", request.method)
            entry.setdefault("path", request.path)
        if hasattr(record, "status_code"):
            entry.setdefault("status", record.status_code)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
