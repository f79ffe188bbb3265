"""The words a runner reads for a context and a day, on every page and in the terminal."""

from __future__ import annotations

from hipcoach.core.planner import Context
from hipcoach.core.week import DAY_NAMES

CONTEXT_LABELS = {
    Context.PRE_RUN: "Before a run",
    Context.POST_RUN: "After a run",
    Context.STRENGTH: "Strength",
    Context.REST_DAY: "Rest day",
    Context.STANDING_SERIES: "Standing series",
    Context.FLOOR_SEQUENCE: "Floor sequence",
}


def minutes_words(seconds: int) -> str:
    """7 min 40 s, for a session's length."""
    minutes, rest = divmod(max(seconds, 0), 60)
    if rest == 0:
        return f"{minutes} min"
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest} s"


# The day names are the core's (its week notes name days too), given here with the other words.
__all__ = ["CONTEXT_LABELS", "DAY_NAMES", "minutes_words"]
