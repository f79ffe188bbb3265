"""Every error under /api/ answers JSON with a message, ``{"detail": "..."}``, never an HTML page.

The API's own endpoints answer JSON already; what is left is answered outside them: an address no endpoint
has (404), a method an endpoint does not take (405), a failure (500), a request Django refuses before any
endpoint (400). :class:`ApiErrorsAsJson`, first in settings.MIDDLEWARE, turns each of those into JSON with
the same status and headers (``Allow``, ``Retry-After``, ``WWW-Authenticate``).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from pydantic import ConfigDict

from hipcoach.app.screens.safety_check import SAFETY_EXAMPLE_JSON

API_PREFIX = "/api/"
# Headers an error's client acts on, kept when its page is replaced.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def error_message(request: HttpRequest, response: HttpResponse) -> str:
    """What went wrong, for the status of a response that came without a JSON message."""
    status = response.status_code
    if status == HTTPStatus.NOT_FOUND:
        return f"No API endpoint at {request.path}; GET /api/openapi.json lists them."
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        allowed = response.get("Allow", "")
        return f"{request.method} is not allowed on {request.path}; allowed: {allowed or 'none'}."
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return "The server failed to answer this request; the failure is logged. Try again later."
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "The request could not be answered."


def is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The same error, status and headers as JSON with a message."""
    if "Allow" in response:  # in one order, whatever order the router lists them in
        response["Allow"] = ", ".join(sorted(method.strip() for method in response["Allow"].split(",")))
    answer = JsonResponse({"detail": error_message(request, response)}, status=response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            answer[header] = response[header]
    return answer


class ApiErrorsAsJson:
    """Turns an error page under /api/ (404, 405, 500, ...) into ``{"detail": message}`` with its status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and response.status_code >= 400 and not is_json(response):
            return as_json(request, response)
        return response


# How to answer the safety questions through the API (the 409 of every endpoint that plans says it).
ANSWER_SAFETY_QUESTIONS = (
    f"Answer them once with POST /api/v1/screens: the safety answers alone are enough, e.g. {SAFETY_EXAMPLE_JSON} "
    "(each red flag answered yes goes in red_flags, each sign of low energy availability in low_energy; "
    "GET /api/v1/screens/schema gives the format). Then plan again."
)
SAFETY_CONFLICT = (
    "409 when no screen is on record: nothing is planned for a runner never asked the safety questions (warning "
    "signs, pain now, a hip replacement, the age). The message says how to answer them: POST /api/v1/screens with "
    "the safety answers alone. Nothing changes on a 409."
)


# --------------------------------------------------------------------------------------------------
# The errors in the OpenAPI description
# --------------------------------------------------------------------------------------------------


class ErrorMessage(Schema):
    """An error with a message: 401, 403, 404, 405, 409, 413, 500."""

    detail: str


class FieldProblem(Schema):
    """One invalid field: where it is (``["body", "drills", 0, "pain"]``), what is wrong and what is allowed."""

    model_config = ConfigDict(extra="allow")
    type: str
    loc: list[str | int]
    msg: str


class FieldProblems(Schema):
    """An error naming each invalid field: 415, 422."""

    detail: list[FieldProblem]


WRITES = frozenset({"post", "put", "patch", "delete"})
MESSAGE = ErrorMessage.__name__
FIELD_PROBLEMS = FieldProblems.__name__


def _response(description: str, schema_name: str) -> dict[str, Any]:
    reference = {"$ref": f"#/components/schemas/{schema_name}"}
    return {"description": description, "content": {"application/json": {"schema": reference}}}


def errors_of(path: str, method: str, operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The errors any operation of the API can answer beyond its own, each with the shape actually sent."""
    errors = {
        401: _response(
            "No valid credentials: an endpoint of an account without a token or a signed-in session, or a wrong or "
            "revoked API token on any endpoint.",
            MESSAGE,
        )
    }
    if method in WRITES:
        errors[403] = _response(
            "A write from a signed-in browser session without its CSRF token (X-CSRFToken).", MESSAGE
        )
        errors[413] = _response("The request body is larger than allowed.", MESSAGE)
    if "{" in path:
        errors[404] = _response("Nothing of yours at this address.", MESSAGE)
    if operation.get("requestBody"):
        errors[400] = _response("The body cannot be read: not UTF-8 text, or not JSON.", MESSAGE)
    if operation.get("parameters") or operation.get("requestBody"):
        errors[422] = _response("A field is invalid: each problem names it and what is allowed.", FIELD_PROBLEMS)
    return errors


def with_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every error an operation can answer described, where it does not describe it."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorMessage, FieldProblems):
        described = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(described.pop("$defs", {}))
        components[model.__name__] = described
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            documented = {int(status) for status in responses}
            for status, response in errors_of(path, method, operation).items():
                if status not in documented:
                    responses[status] = response
    return schema
