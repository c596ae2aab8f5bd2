"""One log line per request with its id, user, status and duration; the id from the
proxy (or a new one) on the response and on every record of the request, including
Django's error with its traceback; JSON logs one object a line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

from sinasec.conftest import login
from sinasec.core.requestlog import JsonFormatter, RequestContextFilter
from sinasec.core.tests.failing_urls import FAILURE

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the console handler writes with SINASEC_LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def records(stream: io.StringIO, logger: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == logger]


def test_it_logs_one_json_line_per_request_with_its_fields(
    secretary: User, json_log: io.StringIO
) -> None:
    response = login(Client(), secretary).get("/", headers={"x-request-id": "proxy-id-42"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-id-42"
    [line] = records(json_log, "sinasec.request")
    assert set(line) >= {"time", "level", "logger", "message", "request_id"}
    assert line["level"] == "INFO"
    assert line["request_id"] == "proxy-id-42"
    assert line["user"] == secretary.username
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_it_names_an_anonymous_request_and_makes_up_an_id(json_log: io.StringIO) -> None:
    response = Client().get("/healthz")
    [line] = records(json_log, "sinasec.request")
    assert line["user"] == "anonymous"
    assert len(response["X-Request-ID"]) == 32
    assert line["request_id"] == response["X-Request-ID"]


def test_it_replaces_an_id_that_could_forge_a_log_line(json_log: io.StringIO) -> None:
    response = Client().get("/healthz", headers={"x-request-id": 'x" forged\nline'})
    assert response["X-Request-ID"] != 'x" forged\nline'
    assert len(response["X-Request-ID"]) == 32


def test_it_logs_a_404_with_the_request_id(json_log: io.StringIO) -> None:
    Client().get("/no-existe/", headers={"x-request-id": "perdido-3"})
    [warning] = records(json_log, "django.request")
    assert (warning["level"], warning["request_id"]) == ("WARNING", "perdido-3")
    assert warning["message"] == "Not Found: /no-existe/"


@override_settings(ROOT_URLCONF="sinasec.core.tests.failing_urls")
def test_it_logs_a_500_with_its_traceback_and_the_request_id(json_log: io.StringIO) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/_prueba/error/", headers={"x-request-id": "fallo-7"})
    assert response.status_code == 500
    [error] = records(json_log, "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == "fallo-7"
    assert error["status"] == 500 and error["path"] == "/_prueba/error/"
    assert "Traceback" in str(error["exception"])
    assert f"RuntimeError: {FAILURE}" in str(error["exception"])
    [line] = records(json_log, "sinasec.request")
    assert (line["request_id"], line["status"]) == ("fallo-7", 500)


def test_it_writes_the_request_id_in_the_text_format() -> None:
    logging_config: Any = settings.LOGGING
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(logging.Formatter(logging_config["formatters"]["text"]["format"]))
    logger = logging.getLogger("sinasec.request")
    logger.addHandler(handler)
    try:
        Client().get("/healthz", headers={"x-request-id": "texto-1"})
    finally:
        logger.removeHandler(handler)
    assert "INFO sinasec.request [texto-1] GET /healthz 200 anonymous" in stream.getvalue()
