"""The API fuzzed from its own OpenAPI schema (schemathesis), as an admin and anonymously.

Every operation gets generated requests, valid and invalid; the checks are the three the
API promises: no server error, every response matches the schema it declares, and every
status it answers is declared (``sinasec.api`` declares ninja's own 400/401/403/413/422
on every operation that can give them; each endpoint declares its 403/404/409/422).
Bounded: a fixed number of examples per operation, derandomized so CI is repeatable.
With 65 operations, 60 fuzzed examples each plus the coverage phase's boundary values
make 6,852 cases per caller (both callers: ~2 minutes on SQLite or PostgreSQL).

The coverage phase stays on: its boundary values (10^21, 0001-01-01, NaN) found most of
issue 16's crashes. It also sends methods an operation does not declare; ninja answers
them 405, and schemathesis leaves those probes out of the conformance checks, so no
operation declares a 405.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from sinasec.people.services import create_api_token

EXAMPLES_PER_OPERATION = 60


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """The Django app called in this thread, inside the test's transaction.

    A real WSGI handler closes the connection after each request, which would end the
    test's transaction; Django's own test client disconnects the same two signals.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema() -> schemathesis.BaseSchema:
    from sinasec.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    return loaded


schema = _schema()


FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _count_cases() -> Iterator[None]:
    yield
    print(f"\nfuzzed cases: {dict(CASES)}")


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture(autouse=True)
def _wsgi_in_test_transaction(db: None, in_process_wsgi: None) -> None:
    """Every fuzzed request runs against the test database, inside its transaction."""


@pytest.fixture
def admin_headers(admin: User) -> dict[str, str]:
    """An API token, as a machine client signs in: writes are fuzzed too (a session
    would stop them at the CSRF check)."""
    _token, secret = create_api_token(admin, admin.username, "fuzz")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
@FUZZ
def test_it_answers_anonymous_requests_within_the_schema(case: schemathesis.Case) -> None:
    CASES["anonymous"] += 1
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_it_answers_an_admins_requests_within_the_schema(
    case: schemathesis.Case, admin_headers: dict[str, str]
) -> None:
    CASES["admin"] += 1
    case.call_and_validate(headers=admin_headers, checks=CHECKS)
