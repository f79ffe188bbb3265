"""A request for one session, parsed once: every door (the page, the API, the terminal, the calendar, the benchmark)
builds a :class:`SessionRequest` with :func:`parse_session_request` and hands it on, so the same minutes get the same
answer everywhere, and the time there is travels as whole seconds, never re-read from text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hipcoach.core._model import Frozen
from hipcoach.core.planner.inputs import (
    Context,
    PlannerInputError,
    parse_context,
    parse_equipment,
    parse_level,
    parse_minutes,
    parse_seconds,
    parse_seed,
    seconds_of,
)
from hipcoach.core.vocabulary import Equipment

Parsed = TypeVar("Parsed")


class SessionRequest(Frozen):
    """One session wanted: for what, the time there is, and what the runner chose beyond their usual settings."""

    context: Context
    seconds: int
    # None: the runner's usual equipment (everything when there is no runner); an empty tuple: body weight only.
    equipment: tuple[Equipment, ...] | None = None
    # None: the runner's usual level.
    level: int | None = None
    seed: int = 0

    @property
    def minutes(self) -> float:
        """The time there is in minutes, as the planner takes it (exactly ``seconds`` again: 61 s is 61 s)."""
        return self.seconds / 60


class RequestInvalidError(ValueError):
    """Every problem found in a request, each a :class:`PlannerInputError` naming its field and what is allowed."""

    def __init__(self, problems: list[PlannerInputError]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def parse_session_request(
    context: object,
    *,
    minutes: object = None,
    seconds: object = None,
    equipment: object = None,
    level: object = None,
    seed: object = 0,
    default_minutes: Callable[[Context], float] | None = None,
    option_prefix: str = "",
) -> SessionRequest:
    """Check every field, then raise :class:`RequestInvalidError` listing all problems, or return the request.

    The time there is comes as ``minutes`` (a number, as typed on a page or a command line after
    :func:`~hipcoach.core.planner.inputs.number_from_text`) or as ``seconds`` (the player's address), else from
    ``default_minutes`` for the context (the runner's settings). ``option_prefix`` names the fields as the door
    shows them (``--`` for the terminal's options).
    """
    problems: list[PlannerInputError] = []

    def check(parse: Callable[[object, str], Parsed], value: object, name: str) -> Parsed | None:
        try:
            return parse(value, option_prefix + name)
        except PlannerInputError as problem:
            problems.append(problem)
            return None

    kind = check(parse_context, context, "context")
    chosen_seconds: int | None = None
    if minutes is not None:
        chosen_minutes = check(parse_minutes, minutes, "minutes")
        chosen_seconds = None if chosen_minutes is None else seconds_of(chosen_minutes)
    elif seconds is not None:
        chosen_seconds = check(parse_seconds, seconds, "seconds")
    elif isinstance(kind, Context) and default_minutes is not None:
        chosen_seconds = seconds_of(default_minutes(kind))
    else:
        check(parse_minutes, None, "minutes")  # nothing says how long: named as a missing number of minutes
    chosen_equipment = check(parse_equipment, equipment, "equipment")
    chosen_level = None if level is None else check(parse_level, level, "level")
    chosen_seed = check(parse_seed, seed, "seed")
    if problems or kind is None or chosen_seconds is None or chosen_seed is None:
        raise RequestInvalidError(problems)
    return SessionRequest(
        context=kind,
        seconds=chosen_seconds,
        equipment=None if chosen_equipment is None else tuple(w for w in Equipment if w in chosen_equipment),
        level=chosen_level,
        seed=chosen_seed,
    )
