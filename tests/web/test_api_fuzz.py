"""The API against its own OpenAPI description, fuzzed with every check schemathesis has, anonymous and with a token.

A bounded number of examples per operation, derandomized: a run is reproducible and fits in the suite's time.
Every answer must be documented (status, content type, headers, body shape), no request may fail the server, and
what the description allows must be accepted and what it forbids refused, on every operation.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from hipcoach.app.accounts.accounts import create_runner, issue_token
from hipcoach.app.clinic.clinics import add_clinician, set_up_clinic
from hipcoach.app.clinic.sharing import invite
from hipcoach.core.screen import ScreenInputError, parse_answers, score_screen
from hipcoach.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Text holds no NUL character anywhere in the API (PostgreSQL cannot store one): the door refuses it with a 422
# naming the field (tests/web/test_bounded_input.py), a rule JSON Schema's strings cannot state short of a pattern
# on every one. The fuzzing sends text without it.
schema.config.generation.update(allow_x00=False)

EXAMPLES = 25
# A whole export is slow to make up example after example: fewer of them, so that the fuzzing stays within a minute;
# and no coverage phase, which would try each drill id, once and twice, in each of the file's lists (thousands of
# requests). Its bounds are the log API's (the same types), which the coverage phase goes through.
IMPORT = "/api/v1/me/import"
SHARING = "/api/v1/me/sharing"
IMPORT_EXAMPLES = 8
import_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
import_schema.config.generation.update(allow_x00=False)
import_schema.config.phases.coverage.enabled = False


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


# What no JSON Schema can state, made true of a valid request before it is sent (an invalid one is sent as generated):
# days and instants inside windows that move with the clock (from 2000-01-01, not ahead of now), an event naming a
# log of the same file, a key naming one log of a file, and a screen's result and referral as its answers score.
A_DAY = "2020-06-01"
AN_INSTANT = "2020-06-01T07:00:00+00:00"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T")
KEYS = itertools.count()
SCREEN_FIELDS = {"answers", "result", "refer", "urgent"}


def coherent(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        value = {name: coherent(item, name) for name, item in value.items()}
        return as_scored(value) if value.keys() >= SCREEN_FIELDS else value
    if isinstance(value, list):
        return [coherent(item) for item in value]
    if isinstance(value, str):
        return coherent_text(value, key)
    return value


def coherent_text(text: str, key: str) -> str | None:
    if key == "log":
        return None  # an event of no log: the file's logs are made up apart from it
    if key == "client_key":
        return f"{text[:56]}-{next(KEYS)}"  # each log of a file its own key, within 64 characters
    if DAY.match(text):
        return A_DAY
    if INSTANT.match(text):
        return AN_INSTANT
    return text


def as_scored(screen: dict[str, Any]) -> dict[str, Any]:
    try:
        result = score_screen(parse_answers(screen["answers"]))
    except ScreenInputError:
        return screen
    return {**screen, "result": result.model_dump(mode="json"), "refer": result.refer, "urgent": result.urgent}


def with_open_invitation(body: Any) -> Any:
    """A code to accept names an open invitation (which no schema can list): a clinician's, made for this request."""
    if not isinstance(body, dict) or "code" not in body:
        return body
    clinic = set_up_clinic("Fuzz Physio")
    clinician = add_clinician(clinic, "fuzz.clinician@example.org").clinician
    return {**body, "code": invite(clinician).code}


def call_and_validate(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    if case.meta is not None and not case.meta.generation.mode.is_negative:
        case.body = coherent(case.body)
        if case.path == IMPORT and isinstance(case.body, dict):
            # The clinical part's rules are its forms' (a drill of the library, a measure's own bounds, a note with
            # its time, one current prescription): tests/web/test_export_clinical.py holds each, field by field.
            case.body["clinic"] = None
        if case.path == SHARING:
            case.body = with_open_invitation(case.body)
    # The fuzzer's client asks for gzip but reads the body as it comes: ask for it plain (tests/web/test_delivery.py
    # checks the compression).
    case.call_and_validate(headers={**credentials, "Accept-Encoding": "identity"})


@schema.exclude(path=IMPORT).parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_description(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    call_and_validate(case, credentials)


@import_schema.include(path=IMPORT).parametrize()
@settings(max_examples=IMPORT_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_import_keeps_to_its_description(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    call_and_validate(case, credentials)
