"""Today's sessions for a runner, from their usual week, each marked done once logged; the week ahead as a strip;
the focus of their latest screen; and, on a day with nothing planned, the next session and a session now."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.prescription import current_prescription
from hipcoach.app.clock import local_today
from hipcoach.app.screens.profiles import ProfileChoice
from hipcoach.app.training.focus import Focus, focus_of
from hipcoach.app.training.models import RunnerSettings
from hipcoach.app.training.one_off import once_play_url
from hipcoach.app.training.runner import (
    done_between,
    dose_states_of,
    recent_history_of,
    referral_and_clearance_of,
    referral_of,
    runner_profile,
)
from hipcoach.app.training.runner_settings import settings_of, week_saved
from hipcoach.app.training.sessions import composed_week, weekday_of
from hipcoach.app.training.week_strip import (
    STRIP_DAYS,
    DaySession,
    StripDay,
    day_sessions,
    next_planned,
    week_strip,
)
from hipcoach.core.planner import (
    Context,
    Referral,
    Session,
    SessionRequest,
    seconds_of,
)
from hipcoach.core.week import (
    Day,
    DayPlan,
    Run,
    Week,
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
class NextSession:
    """The next planned session still to do, on a day after this one."""

    day: date
    weekday: Day
    context: Context
    minutes: float
    play_url: str
    url: str  # the day's view, with the session's reason and its Start


@dataclass(frozen=True)
class SessionNow:
    """One tap to a session now, on a day with nothing planned: a rest-day session of the runner's rest-day
    minutes (their settings), composed by the player as a one-off."""

    context: Context
    minutes: float
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
    # The screen's advice that does not lock the plan (e.g. seeing a clinician about low energy availability).
    advice: list[str] = field(default_factory=list)
    # A clinician's clearances that unlocked the plan: "Cleared by <name> on <date>: <note>".
    cleared: list[str] = field(default_factory=list)
    week_saved: bool = False
    # The sessions logged for the day without a plan (a one-off, or one more than planned): done as well.
    unplanned_done: list[Context] = field(default_factory=list)
    # The week ahead from today (empty for a referral): the same week the sessions come from.
    strip: list[StripDay] = field(default_factory=list)
    focus: Focus | None = None
    # On a day with nothing planned: the next session of the week ahead, and (today) one tap to a session now.
    next_session: NextSession | None = None
    session_now: SessionNow | None = None
    is_today: bool = True


@dataclass(frozen=True)
class PlannedDay:
    """A day's planned sessions, each marked done once logged, or the referral instead of them."""

    sessions: list[PlannedToday]
    referral: Referral | None


def _planned_today(day_plan: DayPlan, marked: list[DaySession]) -> list[PlannedToday]:
    """The day's planned sessions in full, each done or not as its day's sessions (``day_sessions``, the planned
    ones first, in the plan's order) mark it."""
    return [
        PlannedToday(
            context=planned.context,
            minutes=planned.minutes,
            reason=planned.reason,
            run=None if planned.run is None else day_plan.runs[planned.run],
            session=planned.session,
            done=shown.done,
            play_url=shown.play_url,
        )
        for planned, shown in zip(day_plan.sessions, [s for s in marked if s.planned], strict=True)
    ]


def _week_of(user: Runner, choice: ProfileChoice, record: RunnerSettings) -> Week:
    """The runner's week, composed as Today, its strip and the player show it."""
    return composed_week(
        choice.profile,
        record.week_runs(),
        record.to_core(),
        history=recent_history_of(user),
        dose_states=dose_states_of(user),
        prescription=current_prescription(user),
    )


def _next_session(strip: list[StripDay], day: date) -> NextSession | None:
    found = next_planned(strip, day)
    if found is None:
        return None
    strip_day, session = found
    minutes = session.minutes or 0.0
    return NextSession(strip_day.day, strip_day.weekday, session.context, minutes, session.play_url, strip_day.url)


def _session_now(minutes: float) -> SessionNow:
    request = SessionRequest(context=Context.REST_DAY, seconds=seconds_of(minutes))
    return SessionNow(Context.REST_DAY, minutes, once_play_url(request))


def today_plan(user: Runner, day: date | None = None) -> TodayPlan:
    """A day's sessions (today's unless ``day``), or the referral, each marked done when the runner logged it for
    that day; with the week ahead from today, the focus, and the next session on a day with nothing planned."""
    today = local_today()
    day = day or today
    record = settings_of(user)
    choice = runner_profile(user, record)
    runs = record.week_runs()
    weekday = weekday_of(day)
    todays_runs = [run for run in runs if run.day is weekday]
    # One query for the day and the week ahead.
    logged = done_between(user, min(day, today), max(day, today + timedelta(days=STRIP_DAYS - 1)))
    done = logged.get(day, [])

    base = TodayPlan(
        day=day,
        weekday=weekday,
        runs=todays_runs,
        sessions=[],
        referral=None,
        done=done,
        profile_source=choice.source,
        advice=list(choice.profile.advice),
        cleared=[clearance.line for clearance in choice.cleared],
        week_saved=week_saved(record),
        is_today=day == today,
    )
    referral, flag_clearance = referral_and_clearance_of(user, choice.profile)
    if referral is not None:
        return replace(base, referral=referral, cleared=[])
    if flag_clearance is not None and flag_clearance not in choice.cleared:
        base = replace(base, cleared=[*base.cleared, flag_clearance.line])

    week = _week_of(user, choice, record)
    day_plan = week.day(weekday)
    strip = week_strip(week, today, logged)
    # A day of the week ahead has its sessions marked done in the strip already; a day before today is marked here.
    shown = next((strip_day.sessions for strip_day in strip if strip_day.day == day), None)
    marked = day_sessions(day, day_plan, done) if shown is None else shown
    nothing_planned = not day_plan.sessions
    return replace(
        base,
        sessions=_planned_today(day_plan, marked),
        unplanned_done=[session.context for session in marked if not session.planned],
        strip=strip,
        focus=focus_of(choice.profile),
        next_session=_next_session(strip, day) if nothing_planned else None,
        session_now=_session_now(record.to_core().rest_day_minutes) if nothing_planned and day == today else None,
    )


def planned_day(user: Runner, day: date) -> PlannedDay:
    """A day's sessions as :func:`today_plan` gives them (each marked done once logged), or the referral: what the
    player plays, without the week ahead, the focus or the next session around them."""
    record = settings_of(user)
    choice = runner_profile(user, record)
    referral = referral_of(user, choice.profile)
    if referral is not None:
        return PlannedDay(sessions=[], referral=referral)
    day_plan = _week_of(user, choice, record).day(weekday_of(day))
    marked = day_sessions(day, day_plan, done_between(user, day, day).get(day, []))
    return PlannedDay(sessions=_planned_today(day_plan, marked), referral=None)
