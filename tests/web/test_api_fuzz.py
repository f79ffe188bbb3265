"""The API against its own OpenAPI description, fuzzed with every check schemathesis has, anonymous and with a token.

A bounded number of examples per operation, derandomized: a run is reproducible and fits in the suite's time.
Every answer must be documented (status, content type, headers, body shape), no request may fail the server, and
what the description allows must be accepted and what it forbids refused, except where ``NOT_YET`` says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from hipcoach.web.accounts.services import create_runner, issue_token
from hipcoach.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

EXAMPLES = 25

# Checks not yet passed by an operation, each with the input that shows why: they go with the work on input bounds
# and strict types at the door, and come off this list with it.
NOT_YET: dict[str, list[Any]] = {
    # `?position=` (empty) is taken as no filter, where the description allows only the position words.
    "GET /api/v1/drills": [negative_data_rejection],
    # Types are not strict at the door: `"tests": {"deep_squat": false}` is taken as a score of 0 (and refers as pain).
    # Some answers the description allows are refused by the screen's own rules.
    "POST /api/v1/screens": [negative_data_rejection, positive_data_acceptance],
    # Types are not strict at the door, as above; `"minutes": 0` is refused where the description allows any number.
    "POST /api/v1/sessions/compose": [negative_data_rejection, positive_data_acceptance],
    # `"preferences": {"seed": false}` is taken as 0; `"runs": [""]` is refused where the description allows any text.
    "POST /api/v1/weeks/plan": [negative_data_rejection, positive_data_acceptance],
    # `"drill_id": "0"`, a drill the library does not hold, is refused: the description names no ids.
    "POST /api/v1/logs": [positive_data_acceptance],
    # `"context": ""` and `"minutes": 0` are refused where the description allows any text and any number.
    "POST /api/v1/today/once": [positive_data_acceptance],
    # `"reminder_minutes": false` is taken as 0; `"equipment": [""]` is refused where any text is allowed.
    "PUT /api/v1/me/settings": [negative_data_rejection, positive_data_acceptance],
    # `"morning_check": {"answered_at": 0}` is taken as 1970 (the import checks less than the log API does);
    # `"drill": "0"` is refused, as for the log API.
    "POST /api/v1/me/import": [negative_data_rejection, positive_data_acceptance],
}


@pytest.fixture(params=["anonymous", "token"])
def credentials(request: pytest.FixtureRequest, db: Any) -> dict[str, str]:
    if request.param == "anonymous":
        return {}
    runner = create_runner("fuzz@example.org", "hip-opener-42-lunge")
    _, token = issue_token(runner, "fuzzing")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_description(case: schemathesis.Case, credentials: dict[str, str]) -> None:
    case.call_and_validate(headers=credentials, excluded_checks=NOT_YET.get(case.operation.label, []))
