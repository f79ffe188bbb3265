"""The API against its own OpenAPI description, fuzzed with every check schemathesis has, anonymous and with a token.

A bounded number of examples per operation, derandomized: a run is reproducible and fits in the suite's time.
Every answer must be documented (status, content type, headers, body shape), no request may fail the server, and
what the description allows must be accepted and what it forbids refused, except where ``NOT_YET`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from hipcoach.web.accounts.services import create_runner, issue_token
from hipcoach.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Text holds no NUL character anywhere in the API (PostgreSQL cannot store one): the door refuses it with a 422
# naming the field (tests/web/test_bounded_input.py), a rule JSON Schema's strings cannot state short of a pattern
# on every one. The fuzzing sends text without it.
schema.config.generation.update(allow_x00=False)

EXAMPLES = 25
# A whole export is slow to make up example after example: fewer of them, so that the fuzzing stays within a minute.
IMPORT = "/api/v1/me/import"
IMPORT_EXAMPLES = 8


@pytest.fixture(autouse=True)
def connection_kept_across_requests() -> Iterator[None]:
    """The application is called as a server calls it, so it would close the database connection between requests
    (and with it the test's transaction, on PostgreSQL); Django's own test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "token"])
def credentials(request: pytest.FixtureRequest, db: Any) -> dict[str, str]:
    if request.param == "anonymous":
        return {}
    runner = create_runner("fuzz@example.org", "hip-opener-42-lunge")
    _, token = issue_token(runner, "fuzzing")
    return {"Authorization": f"Bearer {token}"}


def call_and_validate(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    case.call_and_validate(headers=credentials)


@schema.exclude(path=IMPORT).parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_description(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    call_and_validate(case, credentials)


@schema.include(path=IMPORT).parametrize()
@settings(max_examples=IMPORT_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_import_keeps_to_its_description(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    call_and_validate(case, credentials)
