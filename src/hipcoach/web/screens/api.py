"""POST /api/v1/screens (score and save a screen), GET /api/v1/screens (the runner's screens), and each screen
test's figure (GET /api/v1/screens/tests/{id}/figure.svg)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError

# The function ninja.Header calls, typed as a function (to mypy, ninja.Header is a generic alias for annotations).
from ninja.params.functions import Header

from hipcoach.app.schema import ANSWERS_COMPONENT, COMPONENT_MARK
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.screens import IdempotencyConflictError, record_screen, screens_of
from hipcoach.core.figures import figure_svg
from hipcoach.core.limits import JsonInputError, read_json
from hipcoach.core.screen import ScreenInputError, ScreenResult, TestId, parse_answers, screen_json_schema
from hipcoach.web.api_errors import ErrorMessage, FieldProblems
from hipcoach.web.library.api import figure_response
from hipcoach.web.limits import KB, body_limit, problem_entries
from hipcoach.web.screens.owner import owner_of

router = Router(tags=["screens"])
IDEMPOTENCY_KEY_MAX = Screen._meta.get_field("idempotency_key").max_length
# A screen's answers are about 1 KB: this is room for every optional answer written out at length, and for a
# refusal that names the field rather than the size when a body is merely odd (a hundred thousand brackets).
MAX_SCREEN_BYTES = 128 * KB


class SavedScreen(Schema):
    id: int
    taken_at: datetime
    result: ScreenResult


def saved(screen: Screen) -> SavedScreen:
    _, result = screen.to_core()
    return SavedScreen(id=screen.pk, taken_at=screen.taken_at, result=result)


def with_component_references(schema: Any) -> Any:
    """The OpenAPI document with every stand-in (component_reference) made a reference to its component."""
    if isinstance(schema, dict) and COMPONENT_MARK in schema:
        return {"$ref": f"#/components/schemas/{schema[COMPONENT_MARK]}"}
    if isinstance(schema, dict):
        return {key: with_component_references(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [with_component_references(value) for value in schema]
    return schema


def answer_format_components() -> dict[str, Any]:
    """The answer format's JSON Schema as OpenAPI components: the format and each of its definitions, referred to
    where the OpenAPI document keeps them (a "#/$defs/..." inside the document would point at nothing)."""
    text = json.dumps(screen_json_schema()).replace('"#/$defs/', '"#/components/schemas/')
    answers = json.loads(text)
    answers.pop("$schema", None)
    return {**answers.pop("$defs", {}), ANSWERS_COMPONENT: answers}


def field_errors(error: ScreenInputError) -> list[dict[str, Any]]:
    """One entry per problem, located like ninja's own 422s: ["body", "tests", "seated_ir_deg", "left"]."""
    entries = []
    for problem in error.problems:
        path, _, _ = problem.partition(": ")
        entries.append({"type": "value_error", "loc": ["body", *path.split(".")], "msg": problem})
    return entries


@router.post(
    "",
    response={201: SavedScreen, 200: SavedScreen, 409: ErrorMessage, 415: FieldProblems, 422: FieldProblems},
    summary="Score and save a screen",
    description=(
        "The body is the screen's answer format (JSON Schema at GET /api/v1/screens/schema). "
        "Send an Idempotency-Key header to make a retried request store one screen."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ANSWERS_COMPONENT}"}}},
        }
    },
)
@body_limit(MAX_SCREEN_BYTES)
def create_screen(
    request: HttpRequest,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key", max_length=IDEMPOTENCY_KEY_MAX),
) -> Status[Any]:
    if request.content_type != "application/json":
        # A cross-site form can post text/plain but not application/json without a CORS preflight, which
        # this API never grants: so no other site can plant a screen in a runner's session.
        problem = {
            "type": "content_type",
            "loc": ["header", "Content-Type"],
            "msg": "send the answers as application/json",
        }
        return Status(415, {"detail": [problem]})
    try:
        data = read_json(request.body or b"null")
    except JsonInputError as error:
        return Status(422, {"detail": problem_entries(error.problems)})
    try:
        answers = parse_answers(data)
    except ScreenInputError as error:
        return Status(422, {"detail": field_errors(error)})
    try:
        screen, created = record_screen(answers, owner_of(request), idempotency_key=idempotency_key)
    except IdempotencyConflictError as error:
        return Status(409, {"detail": str(error)})
    return Status(201 if created else 200, saved(screen))


@router.get("", response=list[SavedScreen], summary="The runner's screens, oldest first")
def list_screens(request: HttpRequest) -> list[SavedScreen]:
    return [saved(screen) for screen in screens_of(owner_of(request))]


@router.get("/schema", summary="The answer format as JSON Schema")
def answers_schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps(screen_json_schema(), indent=2), content_type="application/schema+json")


@router.get(
    "/tests/{test_id}/figure.svg",
    response={200: None, 404: dict[str, str]},
    summary="How to set up a screen test: its animated figure (SVG); still=true for one key pose",
    openapi_extra={"responses": {200: {"description": "The figure", "content": {"image/svg+xml": {}}}}},
)
def get_test_figure(
    request: HttpRequest,
    test_id: Annotated[str, Path(max_length=64)],
    still: bool = False,
    side: Literal["right", "left"] = "right",
) -> HttpResponse:
    if test_id not in {test.value for test in TestId}:
        allowed = ", ".join(test.value for test in TestId)
        raise HttpError(404, f"No screen test with id '{test_id}'; the tests are: {allowed}.")
    return figure_response(figure_svg(test_id, side=side, still=still))
