"""The week ahead, as Today shows it: each day's runs and sessions from the runner's week, each marked done once
logged, and the sessions logged without a plan (one-offs) as done too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from hipcoach.app.training.sessions import weekday_of
from hipcoach.core.planner import Context
from hipcoach.core.week import Day, DayPlan, Run, Week

# Today and the six days after it.
STRIP_DAYS = 7


def play_url(day: date, context: Context) -> str:
    """The player's address for a planned session (the player page owns the route)."""
    return f"/play/{day.isoformat()}/{context.value}/"


def day_url(day: date, today: date) -> str:
    """The address of a day of the strip: Today itself, or that day's sessions."""
    return "/today/" if day == today else f"/today/?day={day.isoformat()}"


@dataclass(frozen=True)
class DaySession:
    """A session of a day: planned (with its player) or logged without a plan (a one-off: ``play_url`` empty)."""

    context: Context
    minutes: float | None  # None for one logged without a plan
    done: bool
    planned: bool
    play_url: str


@dataclass(frozen=True)
class StripDay:
    day: date
    weekday: Day
    runs: list[Run]
    sessions: list[DaySession]
    is_today: bool
    url: str

    @property
    def to_do(self) -> list[DaySession]:
        return [session for session in self.sessions if not session.done]


def marked_done(planned: Sequence[Context], logged: Sequence[Context]) -> tuple[list[bool], list[Context]]:
    """Which planned sessions the logs of their day cover (a log covers one session of its context, the first
    not yet covered), and the logs left over: sessions done without a plan, such as a one-off."""
    left = Counter(logged)
    done = []
    for context in planned:
        done.append(left[context] > 0)
        left[context] -= 1
    unplanned = []
    for context in logged:
        if left[context] > 0:
            unplanned.append(context)
            left[context] -= 1
    return done, unplanned


def day_sessions(day: date, plan: DayPlan, logged: Sequence[Context]) -> list[DaySession]:
    """A day's sessions: the planned ones, each done or not, then those logged without a plan."""
    done, unplanned = marked_done([planned.context for planned in plan.sessions], logged)
    sessions = [
        DaySession(planned.context, planned.minutes, is_done, True, play_url(day, planned.context))
        for planned, is_done in zip(plan.sessions, done, strict=True)
    ]
    return sessions + [DaySession(context, None, True, False, "") for context in unplanned]


def week_strip(week: Week, today: date, logged: Mapping[date, Sequence[Context]]) -> list[StripDay]:
    """Today and the six days after it, from the runner's week (the same week Today's sessions come from)."""
    strip = []
    for offset in range(STRIP_DAYS):
        day = today + timedelta(days=offset)
        plan = week.day(weekday_of(day))
        strip.append(
            StripDay(
                day=day,
                weekday=plan.day,
                runs=list(plan.runs),
                sessions=day_sessions(day, plan, logged.get(day, ())),
                is_today=offset == 0,
                url=day_url(day, today),
            )
        )
    return strip


def next_planned(strip: Sequence[StripDay], after: date) -> tuple[StripDay, DaySession] | None:
    """The first planned session still to do on a day after ``after``, with its day."""
    for strip_day in strip:
        if strip_day.day <= after:
            continue
        for session in strip_day.to_do:
            return strip_day, session
    return None
