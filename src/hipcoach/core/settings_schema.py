"""The runner's settings, each written once: its name, what the settings page calls it, its bounds, its default
and how the API and the terminal describe it.

Every door takes its fields from this table: the model's columns and validators
(``hipcoach.app.training.models``), the check and the use case (``app/training/runner_settings.py``), the export's
format (``app/training/data.py``), the settings page's fields (``web/training/forms.py``), the API's schema
(``web/training/api_today.py``), the terminal's ``week`` options (``cli/plans.py``) and the week's own defaults
(:class:`hipcoach.core.week.WeekPreferences`). So each door states the same bounds, and
``tests/test_settings_schema.py`` checks that they still agree.

A session's minutes are held to the planner's one bound (:data:`hipcoach.core.planner.MIN_MINUTES` to
:data:`~hipcoach.core.planner.MAX_MINUTES`), every session request's; the level to the planner's
``MIN_LEVEL``-``MAX_LEVEL``.

The table is plain data, without a framework: the week (runs), the equipment and the time zone have a form of
their own at each door, and are listed here by name and label, in the order of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from hipcoach.core.planner import (
    DEFAULT_LEVEL,
    MAX_LEVEL,
    MAX_MINUTES,
    MIN_LEVEL,
    MIN_MINUTES,
    PlannerInputError,
)

# A reminder at most a day ahead: calendar apps handle longer ones, a runner does not need them.
MAX_REMINDER_MINUTES = 1440
# REFERENCE.md section 4: hip and glute strength on 2-3 non-consecutive days a week.
MIN_STRENGTH_DAYS, MAX_STRENGTH_DAYS = 2, 3

AGE_UNDER_65 = "under-65"
AGE_65_AND_OVER = "65-and-over"


def allowed_numbers(low: int, high: int, *, whole: bool, unit: str = "") -> str:
    """What is allowed, as a refusal says it: ``{low} or {high}`` when there are two, else ``a whole number from
    {low} to {high}`` or, counting minutes, ``a number of minutes from {low} to {high}``."""
    if whole and high == low + 1:
        return f"{low} or {high}"
    kind = "a whole number" if whole else "a number"
    counted = f" of {unit}" if unit else ""
    return f"{kind}{counted} from {low} to {high}"


def number_in(value: object, field: str, low: int, high: int, *, whole: bool, allowed: str) -> float | int:
    """``value`` if it is a number from ``low`` to ``high`` (a whole number with ``whole``), else a
    :class:`PlannerInputError` naming ``field`` with ``allowed``. A true or false is not a number; NaN and the
    infinities lie outside every range; a whole number past the largest float is compared exactly."""
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        raise PlannerInputError(field, value, allowed)
    if not low <= value <= high:  # NaN too: every comparison with it is false
        raise PlannerInputError(field, value, allowed)
    return value if whole else float(value)


@dataclass(frozen=True)
class NumberSetting:
    """A number the runner sets. ``label`` (the page's) and ``description`` (the API's and the terminal's help)
    may write ``{low}``, ``{high}`` and ``{allowed}``: they are filled in from the bounds, never written twice."""

    name: str
    label: str
    low: int
    high: int
    default: int
    description: str
    # A whole number (kept as one), else any number: a session may be 7.5 minutes.
    whole: bool = False
    # What it counts, as the allowed values name it: "a number of minutes from {low} to {high}".
    unit: str = ""
    # The page offers each number to pick from (there are a few), rather than a box to type one in.
    pick: bool = False
    # One of the week's preferences: WeekPreferences has it, and so has the terminal's `week`.
    week: bool = False

    def _filled(self, text: str) -> str:
        return text.format(low=self.low, high=self.high, allowed=self.allowed)

    @property
    def page_label(self) -> str:
        return self._filled(self.label)

    @property
    def help(self) -> str:
        """What the API's description and the terminal's help say of it, with its bounds."""
        return self._filled(self.description)

    @property
    def allowed(self) -> str:
        """What is allowed, as a refusal says it: ``2 or 3``, ``a whole number from 1 to 5``."""
        return allowed_numbers(self.low, self.high, whole=self.whole, unit=self.unit)

    def parse(self, value: object, field: str | None = None) -> float | int:
        """The value, if allowed; else a :class:`PlannerInputError` naming ``field`` (by default the setting)."""
        name = self.name if field is None else field
        return number_in(value, name, self.low, self.high, whole=self.whole, allowed=self.allowed)


@dataclass(frozen=True)
class ChoiceSetting:
    """One of a few words: ``choices`` pairs each with what the page shows for it."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]
    default: str
    description: str

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    @property
    def allowed(self) -> str:
        return ", ".join(self.values)

    def parse(self, value: object, field: str | None = None) -> str:
        if not isinstance(value, str) or value not in self.values:
            raise PlannerInputError(self.name if field is None else field, value, self.allowed)
        return value


@dataclass(frozen=True)
class Setting:
    """A setting each door writes in a form of its own (a list of runs, of equipment; a time zone's name).
    ``default`` is what a new runner has: no equipment (body weight only, until the onboarding asks), and for a time
    zone ``None``, left as it is."""

    name: str
    label: str
    default: tuple[str, ...] | None = None


def _minutes_of_a_session(name: str, label: str, default: int, what: str) -> NumberSetting:
    return NumberSetting(
        name,
        label,
        MIN_MINUTES,
        MAX_MINUTES,
        default,
        f"{what}, {{low}}-{{high}}.",
        unit="minutes",
        week=True,
    )


RUNS = Setting("runs", "Your usual week", default=())
# A new runner has body weight only: the onboarding asks what they own rather than assuming a foam roller.
EQUIPMENT = Setting("equipment", "Equipment at hand", default=())
PRE_RUN_MINUTES = _minutes_of_a_session("pre_run_minutes", "Before a run", 8, "Minutes before a run")
POST_RUN_MINUTES = _minutes_of_a_session("post_run_minutes", "After a run", 10, "Minutes after a run")
STRENGTH_MINUTES = _minutes_of_a_session("strength_minutes", "Strength day", 20, "Minutes of strength")
REST_DAY_MINUTES = _minutes_of_a_session("rest_day_minutes", "Rest day", 10, "Minutes on a rest day")
STRENGTH_DAYS = NumberSetting(
    "strength_days",
    "Strength days a week",
    MIN_STRENGTH_DAYS,
    MAX_STRENGTH_DAYS,
    MIN_STRENGTH_DAYS,
    "Strength days a week: {allowed}.",
    whole=True,
    pick=True,
    week=True,
)
LEVEL = NumberSetting(
    "level",
    "Level ({low} easiest, {high} hardest)",
    MIN_LEVEL,
    MAX_LEVEL,
    DEFAULT_LEVEL,
    "{low}-{high}: the hardest drill level to include.",
    whole=True,
    pick=True,
    week=True,
)
AGE_BAND = ChoiceSetting(
    "age_band",
    "Age",
    ((AGE_UNDER_65, "Under 65"), (AGE_65_AND_OVER, "65 and over")),
    AGE_UNDER_65,
    # REFERENCE.md section 4: holds of 30-60 s from 65; the screen's age decides when there is one.
    "65 and over: holds of 30-60 s after a run (when no screen age).",
)
REMINDER_MINUTES = NumberSetting(
    "reminder_minutes",
    "Calendar reminder, minutes before each session",
    0,
    MAX_REMINDER_MINUTES,
    30,
    "Calendar reminder before each session, {low}-{high} minutes.",
    whole=True,
    unit="minutes",
)
TIME_ZONE = Setting("time_zone", "Time zone (your day starts and ends in it)")

# Every setting, in the order of the settings page (and of the API's schema and the export's format).
SETTINGS: tuple[Setting | NumberSetting | ChoiceSetting, ...] = (
    RUNS,
    EQUIPMENT,
    PRE_RUN_MINUTES,
    POST_RUN_MINUTES,
    STRENGTH_MINUTES,
    REST_DAY_MINUTES,
    STRENGTH_DAYS,
    LEVEL,
    AGE_BAND,
    REMINDER_MINUTES,
    TIME_ZONE,
)
NUMBER_SETTINGS = tuple(setting for setting in SETTINGS if isinstance(setting, NumberSetting))
# The minutes set aside for a session of each context.
MINUTE_SETTINGS = (PRE_RUN_MINUTES, POST_RUN_MINUTES, STRENGTH_MINUTES, REST_DAY_MINUTES)
# The numbers the week's planner takes (with the equipment): WeekPreferences' and `hipcoach week`'s.
WEEK_SETTINGS = tuple(setting for setting in NUMBER_SETTINGS if setting.week)


def default_values() -> dict[str, object]:
    """A new runner's settings, by name (a fresh list for the week)."""
    return {
        setting.name: list(setting.default) if isinstance(setting.default, tuple) else setting.default
        for setting in SETTINGS
    }
