"""The bounds of what hipcoach takes from outside, and the JSON reader that holds every document to them.

Every JSON document a runner or a script sends (an API body, an import, an answers file given to the terminal)
is read by :func:`read_json`, so that nothing in it can tie up the process that reads it or break what is done
with it later:

- nesting at most :data:`MAX_JSON_DEPTH` levels deep, checked on the raw text before it is parsed (Python's
  parser recurses once per level and fails with a RecursionError well before a body of ``[`` runs out);
- numbers written in at most :data:`MAX_NUMBER_CHARS` characters, and finite (``1e400``, ``NaN`` and
  ``Infinity`` are refused): Python refuses to convert an integer of more than 4,300 digits, and no answer,
  dose or setting needs more than a few digits;
- text without the NUL character (PostgreSQL cannot store it) and without lone surrogates such as ``"\\udfff"``
  (SQLite stores them, then the export cannot encode them as UTF-8), in keys and values alike.

A refusal names where the value is (``tests.seated_ir_deg.left``), so the API answers 422 and the terminal
exits 2 naming the field, as for any other invalid answer.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

# Deep enough for any document hipcoach writes (an export, with a planned week's sessions inside, is about 12
# levels deep), shallow enough that parsing and every later walk over the document stay cheap.
MAX_JSON_DEPTH = 32
# A number as JSON writes it: the longest a double is written in is about 24 characters ("-1.2345678901234567e-300").
MAX_NUMBER_CHARS = 32
# The earliest day a runner's date or time may name: hipcoach did not exist before, and a year-1 time cannot even
# be moved to UTC in some time zones. The latest is each field's own rule (a clock a day fast, a week ahead).
EARLIEST_DAY = date(2000, 1, 1)
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)

Location = tuple[str | int, ...]

# A JSON string, whole: the closing quote is optional so that an unterminated string is consumed in one pass
# (a pattern that had to find the closing quote could retry from every later quote: quadratic on a hostile body).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_OPEN_CLOSE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
# Escapes that decode to text the document may not hold; seen in the raw text, the parsed value is walked.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class JsonProblem:
    loc: Location
    message: str
    kind: str = "value_error"

    def __str__(self) -> str:
        return f"{dotted(self.loc)}: {self.message}"


class JsonInputError(ValueError):
    """The document cannot be taken; ``problems`` names each place and what is allowed there."""

    def __init__(self, problems: Sequence[JsonProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def dotted(loc: Location) -> str:
    """("logs", 3, "notes") -> "logs.3.notes"; the document itself is "body"."""
    return ".".join(str(part) for part in loc) or "body"


def text_problem(text: str) -> str | None:
    """What makes ``text`` one hipcoach cannot keep (a NUL, a lone surrogate), or None when it can."""
    found = _FORBIDDEN_TEXT.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains the NUL character (\\u0000), which text may not hold"
    return f"contains a lone surrogate (\\u{ord(found.group()):04x}), which is not a character"


def nested_deeper_than(raw: bytes, limit: int) -> bool:
    """Whether the JSON text opens more than ``limit`` arrays or objects inside each other.

    Strings are taken out, then every innermost ``[]`` pair (objects count as arrays) is removed in one pass of
    ``bytes.replace``; a document ``d`` levels deep is gone after ``d`` passes. At most ``limit + 1`` passes are
    made, each in C, so the check stays linear in the size of the text whatever it holds. Brackets that never
    close count as levels too (``[`` x 100000 is too deep, not merely unfinished).
    """
    skeleton = _JSON_STRING.sub(b"", raw).translate(_OPEN_CLOSE, _NOT_BRACKETS)
    depth = 0
    while skeleton:
        inner_removed = skeleton.replace(b"[]", b"")
        if len(inner_removed) == len(skeleton):
            break  # what is left never closes: "]]][[[" at most
        depth += 1
        if depth > limit:
            return True
        skeleton = inner_removed
    return depth + skeleton.count(b"[") > limit


class _Refused:
    """A number the parser met that the document may not hold; the walk after parsing says where it was."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def read_json(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The document in ``raw``, held to this module's bounds; :class:`JsonInputError` names what is not."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonInputError(
            [JsonProblem((), f"not UTF-8 text ({error.reason} at byte {error.start})", "json_invalid")]
        ) from None
    if nested_deeper_than(data, max_depth):
        message = f"nested too deeply: more than {max_depth} levels of arrays and objects, at most {max_depth}"
        raise JsonInputError([JsonProblem((), message, "json_too_deep")])
    refused: list[_Refused] = []

    def number(text: str, convert: Any) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            value: Any = _Refused(f"a number of {len(text)} characters; at most {MAX_NUMBER_CHARS}")
        else:
            value = convert(text)
            if isinstance(value, float) and not math.isfinite(value):
                value = _Refused(f"{text} is beyond the range of a number")
        if isinstance(value, _Refused):
            refused.append(value)
        return value

    def constant(name: str) -> _Refused:
        refused.append(_Refused(f"{name} is not a number JSON allows"))
        return refused[-1]

    try:
        value = json.loads(
            text,
            parse_int=lambda digits: number(digits, int),
            parse_float=lambda digits: number(digits, float),
            parse_constant=constant,
        )
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise JsonInputError([JsonProblem((), message, "json_invalid")]) from None
    if refused or _SUSPECT_ESCAPE.search(data):
        problems = value_problems(value)
        if problems:
            raise JsonInputError(problems)
    return value


def value_problems(value: Any, at: Location = ()) -> list[JsonProblem]:
    """Every text and number in a parsed document that it may not hold, each with where it is."""
    problems = []
    stack: list[tuple[Location, Any]] = [(at, value)]
    while stack:
        loc, item = stack.pop()
        if isinstance(item, str):
            reason = text_problem(item)
            if reason is not None:
                problems.append(JsonProblem(loc, reason, "string_not_allowed"))
        elif isinstance(item, _Refused):
            problems.append(JsonProblem(loc, item.reason, "number_not_allowed"))
        elif isinstance(item, dict):
            for key, inner in item.items():
                reason = text_problem(key)
                if reason is not None:
                    shown = key.encode("unicode_escape").decode("ascii")  # the name as it can be printed
                    problems.append(JsonProblem((*loc, shown), f"the name {reason}", "string_not_allowed"))
                    continue
                stack.append(((*loc, key), inner))
        elif isinstance(item, list):
            stack.extend(((*loc, index), inner) for index, inner in enumerate(item))
    return sorted(problems, key=lambda problem: [str(part) for part in problem.loc])


def depth_of(value: Any) -> int:
    """How many arrays and objects are nested in ``value`` (0 for a number or a string)."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, value)]
    while stack:
        depth, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((depth + 1, inner) for inner in item.values())
        elif isinstance(item, list):
            stack.extend((depth + 1, inner) for inner in item)
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
    return deepest
