"""The API's door: how large a body each endpoint takes, and the JSON reader every body goes through.

Each endpoint that takes a body states its limit with :func:`body_limit`; a request declaring more is answered
413 with a JSON message before any of it is read. Every JSON body is read by the core's bounded reader
(:func:`hipcoach.core.limits.read_json`): too deep, a number beyond range, a NUL or a lone surrogate anywhere is
a 422 naming the field, before any validation or work begins.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from ninja.decorators import decorate_view
from ninja.parser import Parser

from hipcoach.core.limits import JsonInputError, JsonProblem, dotted, read_json

KB = 1024
MB = 1024 * KB
# The largest id a table holds (a 64-bit key): a larger one in a path or a body is a 422, never a database error.
MAX_ID = 2**63 - 1


def size_text(size: int) -> str:
    return f"{size // MB} MB" if size >= MB and size % MB == 0 else f"{size // KB} KB"


def declared_length(request: HttpRequest) -> int:
    """The body's size as the client declares it (Django reads no more than that, and nothing without it)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large(max_bytes: int) -> JsonResponse:
    message = f"The body is larger than {size_text(max_bytes)}, the most this endpoint takes."
    return JsonResponse({"detail": message}, status=413)


def body_limit(max_bytes: int) -> Callable[[Any], Any]:
    """The most a request to this endpoint may send: 413 with a JSON message above it, before anything is read.

    Applied to the whole operation (ninja's ``decorate_view``), so the check runs before ninja parses the body.
    """

    def guard(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(run)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if declared_length(request) > max_bytes:
                return too_large(max_bytes)
            return run(request, *args, **kwargs)

        limited.max_body_bytes = max_bytes  # type: ignore[attr-defined]  # a mark on the function, that tests read
        return limited

    return decorate_view(guard)


def problem_entries(problems: list[JsonProblem], prefix: tuple[str | int, ...] = ("body",)) -> list[dict[str, Any]]:
    """The reader's problems as 422 entries, located like ninja's own: ["body", "tests", "deep_squat"]."""
    return [
        {"type": problem.kind, "loc": [*prefix, *problem.loc], "msg": f"{dotted(problem.loc)}: {problem.message}"}
        for problem in problems
    ]


class BoundedParser(Parser):
    """ninja's body parser, with the core's bounds (ninja turns any error here into a 400; see ``api.py``)."""

    def parse_body(self, request: HttpRequest) -> Any:
        return read_json(request.body)


def refused_body(error: BaseException | None) -> JsonInputError | None:
    """The reader's refusal behind an error ninja raised while parsing a body, if that is what it was."""
    return error if isinstance(error, JsonInputError) else None
