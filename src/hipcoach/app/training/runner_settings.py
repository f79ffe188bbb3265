"""The runner's settings: their usual week and how they like to train, checked by the core's rules, and the
time zone their day is kept in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Field as ModelField
from pydantic import Field

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.training.models import RunnerSettings, week_preferences
from hipcoach.core import clock
from hipcoach.core.planner import (
    MIN_MINUTES,
    PlannerInputError,
    parse_equipment,
    parse_level,
    parse_minutes,
)
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import (
    Run,
    WeekPreferences,
    parse_run,
    runs_per_day_problems,
    too_many_runs,
)

AGE_UNDER_65 = "under-65"
AGE_65_AND_OVER = "65-and-over"
AGE_BANDS = (AGE_UNDER_65, AGE_65_AND_OVER)
MINUTE_FIELDS = ("pre_run_minutes", "post_run_minutes", "strength_minutes", "rest_day_minutes")
# A reminder at most a day ahead: calendar apps handle longer ones, a runner does not need them.
MAX_REMINDER_MINUTES = 1440
# A session's minutes in the settings have the bounds of every session request (the core's one bound).
MIN_SESSION_MINUTES = MIN_MINUTES
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


def _field_default(name: str) -> Any:
    """The default of one of the model's own columns (a relation has none)."""
    field = RunnerSettings._meta.get_field(name)
    if not isinstance(field, ModelField):
        raise TypeError(f"RunnerSettings.{name} is not a column")
    return field.get_default()


def default_settings() -> dict[str, Any]:
    """A new runner's settings, from the model's field defaults (one source for page, API and create)."""
    names = (*MINUTE_FIELDS, "strength_days", "level", "reminder_minutes")
    values: dict[str, Any] = {name: _field_default(name) for name in names}
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
    return parse_minutes(value, name)


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


def settings_of(user: Runner) -> RunnerSettings:
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


def save_settings(user: Runner, valid: ValidSettings) -> RunnerSettings:
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


def runner_zone(user: Runner) -> ZoneInfo:
    """The time zone the runner's "today" is kept in (one small query)."""
    return zone_of(RunnerSettings.objects.filter(owner=user).only("time_zone").first())


def set_time_zone_if_unset(user: Runner, name: str) -> None:
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
