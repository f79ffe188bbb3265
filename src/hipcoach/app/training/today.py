"""The runner's app: their settings, today's sessions, one-off sessions and the four-week calendar.

Pages, the JSON API and the calendar feed all call these functions; the rules stay in the core
(``plan_week`` places the sessions, ``compose_session`` chooses and doses the drills).

**Only today is composed.** ``plan_week`` composes all seven days, but Today needs one day. The week's
*skeleton* (which contexts fall on which day, why, and with which seed) does not depend on the drills, so
it is ``plan_week`` run over an empty catalogue, cached per usual week; then only today's sessions are
composed with the runner's real profile, progression states and recent sessions. A test keeps the
skeleton equal to the full plan's days.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Alarm, Calendar, Event
from pydantic import Field

from hipcoach import __version__
from hipcoach.app.clock import local_today
from hipcoach.app.screens.profiles import ProfileChoice, profile_from_saved
from hipcoach.app.screens.screens import ScreenOwner
from hipcoach.app.training.log import RED_FLAG_ADVICE, open_red_flag
from hipcoach.app.training.models import ProgressionState, RunnerSettings, SessionLog, week_preferences
from hipcoach.core import clock
from hipcoach.core.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, default_catalogue
from hipcoach.core.planner import (
    MAX_MINUTES,
    Context,
    PlannerInputError,
    Referral,
    ReferralRequired,
    Session,
    check_referral,
    compose_session,
    parse_context,
    parse_equipment,
    parse_level,
    parse_minutes,
)
from hipcoach.core.profile import OLDER_ADULT_AGE, Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import (
    DAYS,
    Day,
    Run,
    WeekPreferences,
    parse_run,
    plan_week,
    runs_per_day_problems,
    too_many_runs,
)

# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------

AGE_UNDER_65 = "under-65"
AGE_65_AND_OVER = "65-and-over"
AGE_BANDS = (AGE_UNDER_65, AGE_65_AND_OVER)
MINUTE_FIELDS = ("pre_run_minutes", "post_run_minutes", "strength_minutes", "rest_day_minutes")
# A reminder at most a day ahead: calendar apps handle longer ones, a runner does not need them.
MAX_REMINDER_MINUTES = 1440
# At least a minute for a session: the model's floor (RunnerSettings validators), within the core's ceiling.
MIN_SESSION_MINUTES = 1
TIME_ZONE_ALLOWED = "an IANA time zone name, like Europe/London or America/Los_Angeles"
# A time zone as the API takes it: the description lists the names; the settings' check refuses any other (a 422
# naming time_zone), the same list as the settings page's.
TIME_ZONE_NAMES = sorted(clock.time_zone_names())
# The same names as one pattern: the description states the list exactly, and a client or a test tool reads one
# pattern rather than trying each of some 600 names in turn.
TIME_ZONE_PATTERN = f"^(?:{'|'.join(re.escape(name) for name in TIME_ZONE_NAMES)})$"
TimeZoneName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=clock.MAX_TIME_ZONE_LENGTH,
        json_schema_extra={"pattern": TIME_ZONE_PATTERN},
        examples=["Europe/London"],
    ),
]


def default_settings() -> dict[str, Any]:
    """A new runner's settings, from the model's field defaults (one source for page, API and create)."""
    names = (*MINUTE_FIELDS, "strength_days", "level", "reminder_minutes")
    values: dict[str, Any] = {name: RunnerSettings._meta.get_field(name).get_default() for name in names}
    return {"runs": [], "equipment": None, "age_band": AGE_UNDER_65, **values, "time_zone": None}


@dataclass(frozen=True)
class ValidSettings:
    """Settings checked by the core's rules, ready to save."""

    runs: list[Run]
    equipment: list[Equipment] | None
    pre_run_minutes: float
    post_run_minutes: float
    strength_minutes: float
    rest_day_minutes: float
    strength_days: int
    level: int
    older_adult: bool
    reminder_minutes: int
    # None keeps the runner's time zone as it is: a client that does not know about it cannot reset it.
    time_zone: str | None = None

    def preferences(self) -> WeekPreferences:
        return week_preferences(self)


class SettingsInvalidError(ValueError):
    """Every problem found, each a :class:`PlannerInputError` naming its field and what is allowed."""

    def __init__(self, problems: Sequence[PlannerInputError]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def _session_minutes(value: object, name: str) -> float:
    allowed = f"a number of minutes from {MIN_SESSION_MINUTES} to {MAX_MINUTES}"
    try:
        minutes = parse_minutes(value, name)
    except (PlannerInputError, OverflowError):  # OverflowError: a whole number past the largest float
        raise PlannerInputError(name, value, allowed) from None
    if minutes < MIN_SESSION_MINUTES:
        raise PlannerInputError(name, value, allowed)
    return minutes


def _whole_number(value: object, name: str, low: int, high: int, allowed: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PlannerInputError(name, value, allowed)
    return value


def validate_settings(data: Mapping[str, Any], *, strict: bool = False) -> ValidSettings:
    """Check every field with the core's parsers; raise :class:`SettingsInvalidError` listing all problems.

    ``runs`` are written ``"day:type:minutes"`` or as ``{"day", "type", "minutes"}``; ``equipment`` is a
    list (empty for body weight only) or ``None`` for everything; ``age_band`` is ``under-65`` or
    ``65-and-over``.
    """
    problems: list[PlannerInputError] = []
    runs: list[Run] = []
    raw_runs = data.get("runs")
    if isinstance(raw_runs, str) or not isinstance(raw_runs, Sequence):
        problems.append(PlannerInputError("runs", raw_runs, "a list of runs written day:type:minutes"))
    elif (too_many := too_many_runs(raw_runs)) is not None:
        problems.append(too_many)  # and no run is read: a week that long is refused whole
    else:
        for index, raw in enumerate(raw_runs):
            try:
                runs.append(parse_run(raw, index, strict=strict))
            except PlannerInputError as problem:
                problems.append(problem)
        problems += runs_per_day_problems(runs) if len(runs) == len(raw_runs) else []

    def check(name: str, parse: Any) -> Any:
        try:
            return parse(data.get(name), name)
        except PlannerInputError as problem:
            problems.append(problem)
            return None

    minutes = {name: check(name, _session_minutes) for name in MINUTE_FIELDS}
    equipment = check("equipment", parse_equipment)
    level = check("level", parse_level)
    strength_days = check("strength_days", lambda value, name: _whole_number(value, name, 2, 3, "2 or 3"))
    reminder = check(
        "reminder_minutes",
        lambda value, name: _whole_number(
            value, name, 0, MAX_REMINDER_MINUTES, f"a whole number of minutes from 0 to {MAX_REMINDER_MINUTES}"
        ),
    )
    age_band = data.get("age_band")
    if age_band not in AGE_BANDS:
        problems.append(PlannerInputError("age_band", age_band, ", ".join(AGE_BANDS)))
    time_zone = data.get("time_zone")
    if time_zone is not None and not clock.is_time_zone(time_zone):
        problems.append(PlannerInputError("time_zone", time_zone, TIME_ZONE_ALLOWED))
    if problems:
        raise SettingsInvalidError(problems)
    ordered_equipment = None if equipment is None else [word for word in Equipment if word in equipment]
    valid = ValidSettings(
        runs=runs,
        equipment=ordered_equipment,
        strength_days=strength_days,
        level=level,
        older_adult=age_band == AGE_65_AND_OVER,
        reminder_minutes=reminder,
        time_zone=time_zone,
        **minutes,
    )
    valid.preferences()  # the core's own model of the preferences: a bug, never an input, if it refuses
    return valid


def settings_of(user: AbstractBaseUser) -> RunnerSettings:
    """The runner's settings, created with the defaults on first use."""
    record, _ = RunnerSettings.objects.get_or_create(owner=user)
    return record


def settings_data(record: RunnerSettings) -> dict[str, Any]:
    """The settings as the API and the form show them (what ``validate_settings`` takes back)."""
    return {
        "runs": [{"day": run.day.value, "type": run.type.value, "minutes": run.minutes} for run in record.week_runs()],
        "equipment": None if record.equipment is None else list(record.equipment),
        **{name: getattr(record, name) for name in MINUTE_FIELDS},
        "strength_days": record.strength_days,
        "level": record.level,
        "age_band": AGE_65_AND_OVER if record.older_adult else AGE_UNDER_65,
        "reminder_minutes": record.reminder_minutes,
        "time_zone": zone_of(record).key,
    }


def save_settings(user: AbstractBaseUser, valid: ValidSettings) -> RunnerSettings:
    """Replace the runner's settings (one transaction; saving the same twice gives the same result)."""
    with transaction.atomic():
        RunnerSettings.objects.get_or_create(owner=user)
        record = RunnerSettings.objects.select_for_update().get(owner=user)
        record.runs = [str(run) for run in valid.runs]
        record.equipment = None if valid.equipment is None else [word.value for word in valid.equipment]
        for name in (*MINUTE_FIELDS, "strength_days", "level", "older_adult", "reminder_minutes"):
            setattr(record, name, getattr(valid, name))
        if valid.time_zone is not None:
            record.time_zone = valid.time_zone
        record.save()
    return record


def zone_of(record: RunnerSettings | None) -> ZoneInfo:
    """The runner's time zone: their setting, else the server's ``TIME_ZONE``."""
    if record is not None and record.time_zone:
        try:
            return clock.zone_named(record.time_zone)
        except ValueError:  # a name this machine's time zone database no longer has
            pass
    return ZoneInfo(django_settings.TIME_ZONE)


def runner_zone(user: AbstractBaseUser) -> ZoneInfo:
    """The time zone the runner's "today" is kept in (one small query)."""
    return zone_of(RunnerSettings.objects.filter(owner=user).only("time_zone").first())


def set_time_zone_if_unset(user: AbstractBaseUser, name: str) -> None:
    """Take a proposed time zone (the browser's at sign-up, the computer's in the terminal) unless the runner
    has chosen one; a name that is not a time zone is ignored."""
    if not clock.is_time_zone(name):
        return
    with transaction.atomic():
        _, created = RunnerSettings.objects.get_or_create(owner=user, defaults={"time_zone": name})
        if not created:
            RunnerSettings.objects.filter(owner=user, time_zone="").update(time_zone=name, updated_at=clock.now())


def week_saved(record: RunnerSettings | None) -> bool:
    """Whether the runner has told hipcoach their usual week (onboarding's second step)."""
    return record is not None and bool(record.runs)


# --------------------------------------------------------------------------------------------------
# The calendar secret
# --------------------------------------------------------------------------------------------------


def new_calendar_secret(user: AbstractBaseUser) -> str:
    """A new private feed address; the old one stops working at once."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        RunnerSettings.objects.get_or_create(owner=user)
        RunnerSettings.objects.filter(owner=user).update(calendar_secret=secret, updated_at=clock.now())
    return secret


def revoke_calendar_secret(user: AbstractBaseUser) -> None:
    RunnerSettings.objects.filter(owner=user).update(calendar_secret=None, updated_at=clock.now())


def settings_for_feed(secret: str) -> RunnerSettings | None:
    if not secret:
        return None
    # A deactivated account's feed serves nothing, as its API tokens and logins do not.
    return RunnerSettings.objects.select_related("owner").filter(calendar_secret=secret, owner__is_active=True).first()


# --------------------------------------------------------------------------------------------------
# What a runner's plan is made from
# --------------------------------------------------------------------------------------------------

# Sessions of the log the planner weighs for variety (the weight halves each session back).
RECENT_SESSIONS = 6


def runner_profile(user: AbstractBaseUser, record: RunnerSettings) -> ProfileChoice:
    """The profile of the latest screen; the settings' age band applies when the screen gave no age."""
    choice = profile_from_saved(ScreenOwner.of(user, None), None)
    if record.older_adult and choice.profile.age is None:
        # REFERENCE.md section 4: holds of 30-60 s from 65.
        profile = choice.profile.model_copy(update={"age": OLDER_ADULT_AGE})
        return ProfileChoice(profile, choice.source, choice.note)
    return choice


def dose_states_of(user: AbstractBaseUser) -> dict[str, DoseState]:
    states = (ProgressionState.to_core(row) for row in ProgressionState.objects.filter(owner=user).only("state"))
    return {state.drill_id: state for state in states}


def recent_history_of(user: AbstractBaseUser, count: int = RECENT_SESSIONS) -> list[list[str]]:
    """The drill ids of the last sessions logged, the most recent first."""
    rows = (
        SessionLog.objects.filter(owner=user).order_by("-finished_at", "-id").values_list("session__items", flat=True)
    )
    history: list[list[str]] = []
    for items in rows[:count]:
        if isinstance(items, list):
            history.append([str(item["drill_id"]) for item in items if isinstance(item, dict) and "drill_id" in item])
    return history


def done_on(user: AbstractBaseUser, day: date) -> list[Context]:
    """The contexts logged for ``day``, one entry per log."""
    done = []
    for value in SessionLog.objects.filter(owner=user, planned_for=day).order_by().values_list("context", flat=True):
        try:
            done.append(Context(value))
        except ValueError:  # pragma: no cover - the model's choices hold only contexts
            continue
    return done


# --------------------------------------------------------------------------------------------------
# The week's skeleton and today's sessions
# --------------------------------------------------------------------------------------------------

EMPTY_CATALOGUE = Catalogue([])


@dataclass(frozen=True)
class Slot:
    """A session the week places on a day, before its drills are chosen."""

    context: Context
    reason: str
    run: Run | None
    seed: int


@lru_cache(maxsize=4096)
def _skeleton(runs: tuple[str, ...], strength_days: int) -> tuple[tuple[Slot, ...], ...]:
    # The placement rules of plan_week never look at drills: over an empty catalogue it only places.
    week = plan_week(Profile(), list(runs), WeekPreferences(strength_days=strength_days), catalogue=EMPTY_CATALOGUE)
    return tuple(
        tuple(
            Slot(
                context=planned.context,
                reason=planned.reason,
                run=None if planned.run is None else plan.runs[planned.run],
                seed=planned.session.seed,
            )
            for planned in plan.sessions
        )
        for plan in week.days
    )


@lru_cache(maxsize=1)
def _catalogue_digest() -> str:
    return hashlib.sha256(DEFAULT_CATALOGUE_PATH.read_bytes()).hexdigest()


def composed_session(
    profile: Profile,
    context: Context,
    minutes: float,
    *,
    equipment: Sequence[Equipment] | None,
    level: int,
    history: Sequence[Sequence[str]],
    seed: int,
    dose_states: Mapping[str, DoseState],
) -> Session:
    """``compose_session`` over the shipped catalogue, reused when every input is the same.

    The key holds everything the session depends on (profile, context, minutes, equipment, level, recent
    sessions, seed, progression states, the catalogue and hipcoach's version), so a cached session is
    never stale: a new log, screen, setting or progression simply makes a new key.
    """
    inputs = [
        __version__,
        _catalogue_digest(),
        profile.model_dump(mode="json"),
        context.value,
        minutes,
        None if equipment is None else sorted(word.value for word in equipment),
        level,
        [list(session) for session in history],
        seed,
        {drill_id: state.model_dump(mode="json") for drill_id, state in sorted(dose_states.items())},
    ]
    key = "session:" + hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    store = caches["sessions"]
    cached = store.get(key)
    if cached is not None:
        return Session.model_validate_json(cached)
    session = compose_session(
        profile,
        context,
        minutes,
        equipment,
        level,
        history,
        seed,
        catalogue=default_catalogue(),
        dose_states=dose_states,
    )
    store.set(key, session.model_dump_json(exclude=set(Session.model_computed_fields)))
    return session


def week_skeleton(runs: Sequence[Run], strength_days: int) -> tuple[tuple[Slot, ...], ...]:
    """The seven days' slots, Monday first."""
    return _skeleton(tuple(str(run) for run in runs), strength_days)


def weekday_of(day: date) -> Day:
    return DAYS[day.weekday()]


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
    week_saved: bool = False


def play_url(day: date, context: Context) -> str:
    """The player's address for a planned session (the player page owns the route)."""
    return f"/play/{day.isoformat()}/{context.value}/"


def once_play_url(context: Context, minutes: float, equipment: Sequence[Equipment] | None) -> str:
    """The player's address for a one-off session: it composes the same session from these parameters."""
    url = f"/play/once/?context={context.value}&minutes={minutes:g}"
    if equipment is not None:
        url += "&equipment=" + (",".join(word.value for word in equipment) or "none")
    return url


def referral_of(user: AbstractBaseUser, profile: Profile) -> Referral | None:
    """Why the runner gets no session: their latest screen refers, or a session since reported a red flag."""
    try:
        check_referral(profile)
    except ReferralRequired as referral:
        return referral.referral
    flagged = open_red_flag(user)
    if flagged is not None:
        when = timezone.localtime(flagged.finished_at)
        return Referral(
            urgent=False,
            reasons=[f"You reported a new warning sign after your session of {when:%d %B %Y}."],
            message=RED_FLAG_ADVICE,
        )
    return None


def today_plan(user: AbstractBaseUser, day: date | None = None) -> TodayPlan:
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
            week_saved=week_saved(record),
        )

    referral = referral_of(user, choice.profile)
    if referral is not None:
        return plan([], referral)

    preferences = record.to_core()
    slots = week_skeleton(runs, record.strength_days)[DAYS.index(weekday)]
    states = dose_states_of(user) if slots else {}
    history = recent_history_of(user) if slots else []
    left_done = Counter(done)
    sessions = []
    for slot in slots:
        minutes = preferences.minutes_for(slot.context)
        session = composed_session(
            choice.profile,
            slot.context,
            minutes,
            equipment=preferences.equipment,
            level=preferences.level,
            history=history,
            seed=slot.seed,
            dose_states=states,
        )
        history.insert(0, session.drill_ids)
        is_done = left_done[slot.context] > 0
        left_done[slot.context] -= 1
        sessions.append(
            PlannedToday(
                context=slot.context,
                minutes=minutes,
                reason=slot.reason,
                run=slot.run,
                session=session,
                done=is_done,
                play_url=play_url(day, slot.context),
            )
        )
    return plan(sessions, None)


# --------------------------------------------------------------------------------------------------
# One-off sessions ("I have 6 minutes before a run")
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OneOff:
    context: Context
    minutes: float
    equipment: list[Equipment] | None
    session: Session | None
    referral: Referral | None
    play_url: str
    profile_source: str


@dataclass(frozen=True)
class OneOffRequest:
    context: Context
    minutes: float
    equipment: list[Equipment] | None


def parse_one_off(context: object, minutes: object, equipment: object) -> OneOffRequest:
    """Check a one-off request with the core's parsers; raises :class:`SettingsInvalidError` naming each field.

    ``equipment`` ``None`` means the equipment of the runner's settings; ``[]`` body weight only.
    """
    problems: list[PlannerInputError] = []
    parsed_context: Context | None = None
    parsed_minutes = 0.0
    parsed_equipment: frozenset[Equipment] | None = None
    try:
        parsed_context = parse_context(context)
    except PlannerInputError as problem:
        problems.append(problem)
    try:
        parsed_minutes = _session_minutes(minutes, "minutes")
    except PlannerInputError as problem:
        problems.append(problem)
    try:
        parsed_equipment = parse_equipment(equipment)
    except PlannerInputError as problem:
        problems.append(problem)
    if problems or parsed_context is None:
        raise SettingsInvalidError(problems)
    ordered = None if parsed_equipment is None else [word for word in Equipment if word in parsed_equipment]
    return OneOffRequest(parsed_context, parsed_minutes, ordered)


def one_off_session(user: AbstractBaseUser, request: OneOffRequest) -> OneOff:
    """A session composed now for the runner (their screen, level, progression and recent sessions).

    The player composes the same session from the same parameters (``once_play_url``).
    """
    context, minutes, equipment = request.context, request.minutes, request.equipment
    record = settings_of(user)
    choice = runner_profile(user, record)
    at_hand = equipment if equipment is not None else record.to_core().equipment
    url = once_play_url(context, minutes, equipment)
    referral = referral_of(user, choice.profile)
    if referral is not None:
        return OneOff(context, minutes, equipment, None, referral, url, choice.source)
    session = composed_session(
        choice.profile,
        context,
        minutes,
        equipment=at_hand,
        level=record.level,
        history=recent_history_of(user),
        seed=0,
        dose_states=dose_states_of(user),
    )
    return OneOff(context, minutes, equipment, session, None, url, choice.source)


# --------------------------------------------------------------------------------------------------
# The calendar (RFC 5545)
# --------------------------------------------------------------------------------------------------

CALENDAR_DAYS = 28
# Simple defaults, documented in the README: the day's first run at 07:00 and its second at 17:30
# (a third or later starts an hour after the one before ends); pre-run ends as the run starts and
# post-run starts as it ends; strength and rest-day sessions from 18:30, one after the other.
RUN_STARTS = (time(7, 0), time(17, 30))
GAP_BETWEEN_LATER_RUNS = timedelta(hours=1)
EVENING_START = time(18, 30)
PRODID = "-//hipcoach//training calendar//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    url: str


def _uid_key(user: AbstractBaseUser) -> str:
    # Stable for the runner, revealing nothing: not their id nor their feed secret.
    return salted_hmac("hipcoach.calendar.uid", str(user.pk)).hexdigest()[:20]


def _minutes_words(minutes: float) -> str:
    return f"{minutes:g} min"


def _run_times(day: date, runs: Sequence[Run], zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    times: list[tuple[datetime, datetime]] = []
    for index, run in enumerate(runs):
        if index < len(RUN_STARTS):
            start = datetime.combine(day, RUN_STARTS[index], tzinfo=zone)
        else:
            start = times[-1][1] + GAP_BETWEEN_LATER_RUNS
        times.append((start, start + timedelta(minutes=run.minutes)))
    return times


def calendar_entries(
    user: AbstractBaseUser, start: date, base_url: str, days: int = CALENDAR_DAYS
) -> list[CalendarEntry]:
    """The planned sessions of ``days`` days from ``start``, from the usual week (none for a referral)."""
    record = settings_of(user)
    choice = runner_profile(user, record)
    runs = record.week_runs()
    if referral_of(user, choice.profile) is not None:
        return []
    week = plan_week(
        choice.profile,
        runs,
        record.to_core(),
        catalogue=default_catalogue(),
        recent_history=recent_history_of(user),
        dose_states=dose_states_of(user),
    )
    zone = zone_of(record)
    key = _uid_key(user)
    entries = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        plan = week.day(weekday_of(day))
        run_times = _run_times(day, plan.runs, zone)
        evening = datetime.combine(day, EVENING_START, tzinfo=zone)
        for number, planned in enumerate(plan.sessions):
            # The event lasts the minutes set aside (the session fits within them), in whole minutes.
            length = timedelta(minutes=math.ceil(planned.minutes))
            if planned.run is not None and planned.context is Context.PRE_RUN:
                end = run_times[planned.run][0]
                begin = end - length
            elif planned.run is not None:
                begin = run_times[planned.run][1]
                end = begin + length
            else:
                begin, end = evening, evening + length
                evening = end
            url = base_url.rstrip("/") + play_url(day, planned.context)
            drills = [f"- {item.name}: {item.dose}" for item in planned.session.items]
            lines = [planned.reason, "", *drills, "", f"Start: {url}"]
            entries.append(
                CalendarEntry(
                    uid=f"{day:%Y%m%d}-{planned.context.value}-{number}-{key}@hipcoach",
                    start=begin,
                    end=end,
                    summary=f"hipcoach: {planned.context.value} {_minutes_words(planned.minutes)}",
                    description="\n".join(lines),
                    url=url,
                )
            )
    return entries


def calendar_ics(user: AbstractBaseUser, base_url: str, start: date | None = None) -> bytes:
    """The next four weeks as an iCalendar file, each event with a reminder ``reminder_minutes`` before."""
    record = settings_of(user)
    zone = zone_of(record)
    start = start or clock.today_in(zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "hipcoach")
    calendar.add("x-wr-timezone", zone.key)
    # Ask subscribing apps to refresh twice a day (Apple reads the first, Outlook the second).
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = clock.now().replace(microsecond=0)
    for entry in calendar_entries(user, start, base_url):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("url", entry.url)
        event.add("transp", "OPAQUE")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", -timedelta(minutes=record.reminder_minutes))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def minutes_words(seconds: int) -> str:
    """7 min 40 s, for a session's length."""
    minutes, rest = divmod(max(seconds, 0), 60)
    if rest == 0:
        return f"{minutes} min"
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest} s"
