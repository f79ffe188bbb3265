"""What the planner takes: the contexts, the bounds of minutes and level, and the parsers of its input.

Bad input raises :class:`PlannerInputError` (a ``ValueError``) naming the field and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from hipcoach.core.vocabulary import Equipment, allowed

# The one bound of a session's minutes, for every door (page, API, terminal, settings, import): a session shorter
# than a minute holds no drill with its setup, and two hours is past any warm-up or recovery the article describes.
MIN_MINUTES, MAX_MINUTES = 1, 120
MINUTES_ALLOWED = f"a number of minutes from {MIN_MINUTES} to {MAX_MINUTES}"
MIN_SECONDS, MAX_SECONDS = MIN_MINUTES * 60, MAX_MINUTES * 60
MIN_LEVEL, MAX_LEVEL = 1, 5
# The level a runner who has said nothing of theirs starts at (the settings' default, the API's, the terminal's).
DEFAULT_LEVEL = 2


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


def parse_context(value: object, field: str = "context") -> Context:
    if isinstance(value, str):
        try:
            return Context(value)
        except ValueError:
            pass
    raise PlannerInputError(field, value, ", ".join(context.value for context in Context))


def parse_minutes(value: object, field: str = "minutes") -> float:
    """Minutes as a number from :data:`MIN_MINUTES` to :data:`MAX_MINUTES` (a true or false is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not MIN_MINUTES <= value <= MAX_MINUTES:
        raise PlannerInputError(field, value, MINUTES_ALLOWED)  # NaN compares false, so it is refused here too
    return float(value)


def seconds_of(minutes: float) -> int:
    """The time there is in whole seconds, as a session's budget counts it: the card, the player and the log agree
    because the minutes are turned into seconds once, here, and travel as seconds after."""
    return round(minutes * 60)


def parse_seconds(value: object, field: str = "seconds") -> int:
    """A session's time as whole seconds, from :data:`MIN_SECONDS` to :data:`MAX_SECONDS`."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SECONDS <= value <= MAX_SECONDS:
        raise PlannerInputError(field, value, f"a whole number of seconds from {MIN_SECONDS} to {MAX_SECONDS}")
    return value


def number_from_text(text: object) -> object:
    """A number typed in a form or on a command line (``"6"``, ``" 6.5 "``) as a number; any other text as given,
    stripped, for the parsers to refuse by name. A value that is not text is returned as it is."""
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    for kind in (int, float):
        try:
            return kind(stripped)
        except ValueError:
            continue
    return stripped


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
            if isinstance(name, str):
                found.add(Equipment(str(name)))
            else:
                found.add(Equipment(name))  # type: ignore[arg-type]  # any other value: Equipment's ValueError
        except ValueError:
            raise PlannerInputError(field, name, allowed(Equipment)) from None
    return frozenset(found)


def parse_seed(value: object, field: str = "seed") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlannerInputError(field, value, "a whole number")
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
