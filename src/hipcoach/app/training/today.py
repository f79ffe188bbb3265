"""Today's sessions for a runner, from their usual week, each marked done once logged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clock import local_today
from hipcoach.app.training.runner import done_on, dose_states_of, recent_history_of, referral_of, runner_profile
from hipcoach.app.training.runner_settings import settings_of, week_saved
from hipcoach.app.training.sessions import composed_week, weekday_of
from hipcoach.core.planner import (
    Context,
    Referral,
    Session,
)
from hipcoach.core.week import (
    Day,
    Run,
)


@dataclass(frozen=True)
class PlannedToday:
    context: Context
    minutes: float
    reason: str
    run: Run | None
    session: Session
    done: bool
    play_url: str


@dataclass(frozen=True)
class TodayPlan:
    day: date
    weekday: Day
    runs: list[Run]
    sessions: list[PlannedToday]
    referral: Referral | None
    done: list[Context]
    profile_source: str
    notes: list[str] = field(default_factory=list)
    # The screen's advice that does not lock the plan (e.g. seeing a clinician about low energy availability).
    advice: list[str] = field(default_factory=list)
    week_saved: bool = False


def play_url(day: date, context: Context) -> str:
    """The player's address for a planned session (the player page owns the route)."""
    return f"/play/{day.isoformat()}/{context.value}/"


def today_plan(user: Runner, day: date | None = None) -> TodayPlan:
    """Today's sessions (or the referral), each marked done when the runner logged it for today."""
    day = day or local_today()
    record = settings_of(user)
    choice = runner_profile(user, record)
    runs = record.week_runs()
    weekday = weekday_of(day)
    todays_runs = [run for run in runs if run.day is weekday]
    done = done_on(user, day)
    notes = [choice.note] if choice.note else []

    def plan(sessions: list[PlannedToday], referral: Referral | None) -> TodayPlan:
        return TodayPlan(
            day=day,
            weekday=weekday,
            runs=todays_runs,
            sessions=sessions,
            referral=referral,
            done=done,
            profile_source=choice.source,
            notes=notes,
            advice=list(choice.profile.advice),
            week_saved=week_saved(record),
        )

    referral = referral_of(user, choice.profile)
    if referral is not None:
        return plan([], referral)

    week = composed_week(
        choice.profile,
        runs,
        record.to_core(),
        history=recent_history_of(user),
        dose_states=dose_states_of(user),
    )
    day_plan = week.day(weekday)
    left_done = Counter(done)
    sessions = []
    for planned in day_plan.sessions:
        is_done = left_done[planned.context] > 0
        left_done[planned.context] -= 1
        sessions.append(
            PlannedToday(
                context=planned.context,
                minutes=planned.minutes,
                reason=planned.reason,
                run=None if planned.run is None else day_plan.runs[planned.run],
                session=planned.session,
                done=is_done,
                play_url=play_url(day, planned.context),
            )
        )
    return plan(sessions, None)
