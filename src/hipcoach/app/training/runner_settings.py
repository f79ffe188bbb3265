"""The runner's settings: their usual week and how they like to train, checked by the core's rules, and the
time zone their day is kept in.

Which settings there are, their bounds and their defaults are the settings' table's
(:mod:`hipcoach.core.settings_schema`): the check, the defaults, what the page and the API show and what is saved
all go through it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.db import transaction
from pydantic import Field

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.training.models import RunnerSettings, week_preferences
from hipcoach.core import clock
from hipcoach.core.planner import PlannerInputError, parse_equipment
from hipcoach.core.settings_schema import (
    AGE_65_AND_OVER,
    AGE_BAND,
    AGE_UNDER_65,
    MAX_REMINDER_MINUTES,
    MINUTE_SETTINGS,
    NUMBER_SETTINGS,
    SETTINGS,
    ChoiceSetting,
    NumberSetting,
    default_values,
)
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import (
    Run,
    WeekPreferences,
    parse_run,
    runs_per_day_problems,
    too_many_runs,
)

# Every setting's name, bounds and default are the settings' table's (hipcoach.core.settings_schema); its bounds
# and age bands are named here too, for the modules that import them from the use case.
AGE_BANDS = AGE_BAND.values
MINUTE_FIELDS = tuple(setting.name for setting in MINUTE_SETTINGS)
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
# The order a 422 (and the page, before it sorts them by field) lists the problems in, as before the settings
# had their table: the week, the minutes, then the others. A permutation of the table's names (tested).
PROBLEM_ORDER = (
    "runs",
    *MINUTE_FIELDS,
    "equipment",
    "level",
    "strength_days",
    "reminder_minutes",
    "age_band",
    "time_zone",
)


def default_settings() -> dict[str, Any]:
    """A new runner's settings, from the settings' table (one source for the page, the API, the model and the
    week)."""
    return default_values()


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


def _runs(value: object, name: str, *, strict: bool) -> list[Run]:
    """The usual week, every run read; all the problems found at once."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise PlannerInputError(name, value, "a list of runs written day:type:minutes")
    if (too_many := too_many_runs(value)) is not None:
        raise too_many  # and no run is read: a week that long is refused whole
    runs: list[Run] = []
    problems: list[PlannerInputError] = []
    for index, raw in enumerate(value):
        try:
            runs.append(parse_run(raw, index, strict=strict))
        except PlannerInputError as problem:
            problems.append(problem)
    problems += runs_per_day_problems(runs) if len(runs) == len(value) else []
    if problems:
        raise SettingsInvalidError(problems)
    return runs


def _time_zone(value: object, name: str) -> str | None:
    if value is not None and not clock.is_time_zone(value):
        raise PlannerInputError(name, value, TIME_ZONE_ALLOWED)
    return value if isinstance(value, str) else None


def validate_settings(data: Mapping[str, Any], *, strict: bool = False) -> ValidSettings:
    """Check every setting of the table with the core's rules; raise :class:`SettingsInvalidError` listing all
    problems.

    ``runs`` are written ``"day:type:minutes"`` or as ``{"day", "type", "minutes"}``; ``equipment`` is a
    list (empty for body weight only) or ``None`` for everything; ``age_band`` is ``under-65`` or
    ``65-and-over``; each number within its bounds (the table's).
    """
    readers: dict[str, Any] = {
        "runs": lambda value, name: _runs(value, name, strict=strict),
        "equipment": parse_equipment,
        "time_zone": _time_zone,
    }
    problems: list[PlannerInputError] = []
    values: dict[str, Any] = {}
    for setting in sorted(SETTINGS, key=lambda setting: PROBLEM_ORDER.index(setting.name)):
        read = setting.parse if isinstance(setting, NumberSetting | ChoiceSetting) else readers[setting.name]
        try:
            values[setting.name] = read(data.get(setting.name), setting.name)
        except SettingsInvalidError as error:
            problems += error.problems
        except PlannerInputError as problem:
            problems.append(problem)
    if problems:
        raise SettingsInvalidError(problems)
    equipment = values["equipment"]
    valid = ValidSettings(
        runs=values["runs"],
        equipment=None if equipment is None else [word for word in Equipment if word in equipment],
        older_adult=values[AGE_BAND.name] == AGE_65_AND_OVER,
        time_zone=values["time_zone"],
        **{setting.name: values[setting.name] for setting in NUMBER_SETTINGS},
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
        **{setting.name: getattr(record, setting.name) for setting in NUMBER_SETTINGS},
        AGE_BAND.name: AGE_65_AND_OVER if record.older_adult else AGE_UNDER_65,
        "time_zone": zone_of(record).key,
    }


def save_settings(user: Runner, valid: ValidSettings) -> RunnerSettings:
    """Replace the runner's settings (one transaction; saving the same twice gives the same result)."""
    with transaction.atomic():
        RunnerSettings.objects.get_or_create(owner=user)
        record = RunnerSettings.objects.select_for_update().get(owner=user)
        record.runs = [str(run) for run in valid.runs]
        record.equipment = None if valid.equipment is None else [word.value for word in valid.equipment]
        for setting in NUMBER_SETTINGS:
            setattr(record, setting.name, getattr(valid, setting.name))
        record.older_adult = valid.older_adult
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


__all__ = [
    "AGE_65_AND_OVER",
    "AGE_BANDS",
    "AGE_UNDER_65",
    "MAX_REMINDER_MINUTES",
    "MINUTE_FIELDS",
    "PROBLEM_ORDER",
    "TIME_ZONE_ALLOWED",
    "TIME_ZONE_NAMES",
    "TIME_ZONE_PATTERN",
    "SettingsInvalidError",
    "TimeZoneName",
    "ValidSettings",
    "default_settings",
    "runner_zone",
    "save_settings",
    "set_time_zone_if_unset",
    "settings_data",
    "settings_of",
    "validate_settings",
    "week_saved",
    "zone_of",
]
