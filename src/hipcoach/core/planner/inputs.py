"""What the planner takes: the contexts, the bounds of minutes and level, and the parsers of its input.

Bad input raises :class:`PlannerInputError` (a ``ValueError``) naming the field and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from enum import StrEnum

from hipcoach.core.vocabulary import Equipment, allowed

MAX_MINUTES = 120
MIN_LEVEL, MAX_LEVEL = 1, 5


class Context(StrEnum):
    """What the session is for."""

    PRE_RUN = "pre-run"
    POST_RUN = "post-run"
    STRENGTH = "strength"
    REST_DAY = "rest-day"
    STANDING_SERIES = "standing-series"
    FLOOR_SEQUENCE = "floor-sequence"


PRESETS = (Context.STANDING_SERIES, Context.FLOOR_SEQUENCE)


class PlannerInputError(ValueError):
    """Input the planner cannot use. ``field`` names it and ``allowed`` says what is allowed."""

    def __init__(self, field: str, given: object, allowed: str, detail: str = "") -> None:
        self.field = field
        self.given = given
        self.allowed = allowed
        message = f"{field}: {given!r} is not allowed; allowed: {allowed}"
        super().__init__(f"{message} ({detail})" if detail else message)


def parse_context(value: object) -> Context:
    if isinstance(value, str):
        try:
            return Context(value)
        except ValueError:
            pass
    raise PlannerInputError("context", value, ", ".join(context.value for context in Context))


def parse_minutes(value: object, field: str = "minutes") -> float:
    """Minutes as a positive number up to :data:`MAX_MINUTES`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise PlannerInputError(field, value, f"a number of minutes, more than 0 and at most {MAX_MINUTES}")
    if value <= 0 or value > MAX_MINUTES:
        raise PlannerInputError(field, value, f"more than 0 and at most {MAX_MINUTES} minutes")
    return float(value)


def parse_level(value: object, field: str = "level") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_LEVEL <= value <= MAX_LEVEL:
        raise PlannerInputError(field, value, f"a whole number from {MIN_LEVEL} to {MAX_LEVEL}")
    return value


def parse_equipment(value: object, field: str = "equipment") -> frozenset[Equipment] | None:
    """``None`` allows all equipment; an empty list means body weight only; a string may list names."""
    if value is None:
        return None
    names: Iterable[object]
    if isinstance(value, str):
        names = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, Iterable):
        names = value
    else:
        raise PlannerInputError(field, value, f"a list of: {allowed(Equipment)} (empty for body weight only)")
    found: set[Equipment] = set()
    for name in names:
        try:
            found.add(Equipment(str(name)) if isinstance(name, str) else Equipment(name))  # type: ignore[arg-type]
        except ValueError:
            raise PlannerInputError(field, name, allowed(Equipment)) from None
    return frozenset(found)


def parse_seed(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlannerInputError("seed", value, "a whole number")
    return value


def _parse_history(value: object) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise PlannerInputError("recent_history", value, "a list of sessions, each a list of drill ids")
    sessions: list[tuple[str, ...]] = []
    for session in value:
        if isinstance(session, str) or not isinstance(session, Iterable):
            raise PlannerInputError("recent_history", session, "a list of drill ids for each session")
        sessions.append(tuple(str(drill_id) for drill_id in session))
    return tuple(sessions)
