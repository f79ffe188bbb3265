"""The week: hip sessions placed around the runner's runs, chosen across the week as a coach would write it.

:func:`plan_week` places the sessions by these rules:

1. a pre-run routine before every run (article, "Pre-Run Hip Mobility Routine");
2. post-run recovery after every long, tempo, intervals or race run (article, "Recovery Stretches");
3. strength on 2-3 non-consecutive days (``preferences.strength_days``; REFERENCE 4: hip/glute strength 2-3
   non-consecutive days a week), never the day before intervals, tempo, a long run or a race and never on a race
   day, so a hard run is never done on legs tired from strength. It goes after the run, on a hard day or an easy
   one: days with a run come first, so that whenever the week has a day without a run at least one such day
   keeps neither a run nor strength (strength never takes the runner's only rest day; coaching practice, not a
   REFERENCE row); among equals the days are spread as far apart as possible. On a run day strength comes after
   the day's runs;
4. at least three recovery sessions a week (article: hip mobility work "at least three times a
   week"): when the hard runs give fewer, post-run recovery follows the longest easy runs, and where the
   week would still fall short, rest-day sessions go on days without a run, spread through the week
   and on days without strength where possible. A clinician's prescription (:mod:`hipcoach.core.prescription`)
   sets this count in place of three (its sessions per week, at most seven: every day has a run or is free, so
   seven always fit).

and then chooses every session's drills with the rest of the week in view
(:class:`~hipcoach.core.planner.Variety`):

5. no drill twice on the same day: the pre-run, post-run, strength and rest-day sessions of one day leave out
   each other's drills, since a drill done twice doubles the day's dose past REFERENCE 4's (about 60 s of stretch
   per muscle group; 2-3 sets of strength work). A runner who wants a drill again asks for a one-off session,
   which the week does not plan;
6. the pre-run routine may stay familiar (no rotation: a warm-up the runner knows), but post-run, strength and
   rest-day work rotate through the eligible drills: a drill not yet in those sessions gets a freshness bonus
   (``ROTATION_WEIGHT``, :mod:`hipcoach.core.planner.rules`), halved for each use, so over a week most eligible
   drills appear at least once (the article lists many drills for each context); a bonus, never a penalty, so a
   used drill still fills spare minutes, and smaller than covering a finding, so a drill that covers one still
   counts for it;
7. the week's strength sessions do the same exercises at the same doses: the first is composed, the others choose
   only among its drills, and say so, because strength builds by repeating and progressing the same exercises
   (REFERENCE 4: from 2x10 to 3x15 over weeks; article: "gradually increase resistance to establish continued
   progress");
8. so that rules 5-7 hold, the strength sessions are composed first, then each day's pre-run routines (leaving
   out that day's strength drills), then the post-run and rest-day sessions in the week's order (leaving out the
   day's other drills, rotating). Each session's seed is its place in the week, so the same input and seed give
   the same week.

The week repeats: Sunday is the day before Monday, so strength on Sunday counts as the day before a
Monday tempo run and Sunday and Monday are consecutive. Minutes per context come from the runner's
preferences (by default a new runner's settings: :mod:`hipcoach.core.settings_schema`). A profile that refers
gets no week: :class:`~hipcoach.core.planner.ReferralRequired` is raised.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations, islice
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StrictFloat, ValidationError, WithJsonSchema

from hipcoach.core._model import Frozen, WholeNumber, integral
from hipcoach.core.catalogue import Catalogue
from hipcoach.core.planner import (
    MAX_LEVEL,
    MAX_MINUTES,
    MIN_LEVEL,
    MIN_MINUTES,
    MINUTES_ALLOWED,
    Context,
    PlannerInputError,
    Session,
    SessionRequest,
    Variety,
    check_referral,
    compose_requested,
    parse_equipment,
    parse_level,
    parse_minutes,
    seconds_of,
)
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState
from hipcoach.core.settings_schema import (
    POST_RUN_MINUTES,
    PRE_RUN_MINUTES,
    REST_DAY_MINUTES,
    STRENGTH_DAYS,
    STRENGTH_MINUTES,
)
from hipcoach.core.vocabulary import Equipment

if TYPE_CHECKING:
    from hipcoach.core.prescription import Prescription


class Day(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class RunType(StrEnum):
    EASY = "easy"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    LONG = "long"
    RACE = "race"


DAYS = tuple(Day)
# The days in the runner's words, on every page, in the terminal and in the week's notes.
DAY_NAMES: dict[Day, str] = {
    Day.MON: "Monday",
    Day.TUE: "Tuesday",
    Day.WED: "Wednesday",
    Day.THU: "Thursday",
    Day.FRI: "Friday",
    Day.SAT: "Saturday",
    Day.SUN: "Sunday",
}
# Runs that earn post-run recovery and that strength must not come the day before.
HARD_RUNS = frozenset({RunType.TEMPO, RunType.INTERVALS, RunType.LONG, RunType.RACE})
# Article: "dedicate 5-10 minutes to hip mobility work at least three times a week".
MIN_RECOVERY_SESSIONS = 3
MAX_RUN_MINUTES = 1440
# A runner may run twice a day, and a race day may hold a warm-up, the race and a cool-down: three runs a day, and so
# 21 a week, cover every real week. Each run brings its own sessions to compose, so the bound also bounds the work.
MAX_RUNS_PER_DAY = 3
# A week's seed varies its sessions; any 32-bit number will do.
MAX_SEED = 2**32 - 1
MAX_RUNS_PER_WEEK = 7 * MAX_RUNS_PER_DAY
RUNS_ALLOWED = f"at most {MAX_RUNS_PER_WEEK} runs a week, {MAX_RUNS_PER_DAY} on any day"
# "sun:intervals:1440" is 18 characters; room for spaces around the parts.
MAX_RUN_TEXT = 40
# A run exactly as the API takes it, "tue:tempo:45": a day, a run type and whole minutes from 1 to MAX_RUN_MINUTES
# (1440, spelled out digit by digit), lower case, nothing around them. The terminal's --runs is more lenient: any
# case, spaces around the parts.
_RUN_MINUTES_PATTERN = "(?:[1-9][0-9]{0,2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440)"
RUN_PATTERN = f"^(?:{'|'.join(Day)}):(?:{'|'.join(RunType)}):{_RUN_MINUTES_PATTERN}$"
RUN_WRITTEN = (
    f"a run written day:type:minutes, e.g. 'tue:tempo:45': days {', '.join(Day)}; types {', '.join(RunType)}; "
    f"minutes 1-{MAX_RUN_MINUTES}, in lower case"
)
RUN_LOOSELY = "a run written day:type:minutes, e.g. 'tue:tempo:45'"
_RUN = re.compile(RUN_PATTERN)
# A run as the API's text form takes it: the description states the pattern, and parse_run(..., strict=True) refuses
# just what it does, naming the part that is wrong.
RUN_TEXT_SCHEMA: dict[str, Any] = {"type": "string", "maxLength": MAX_RUN_TEXT, "pattern": RUN_PATTERN}
RunText = Annotated[str, Field(max_length=MAX_RUN_TEXT), WithJsonSchema(RUN_TEXT_SCHEMA)]
# A run as the API's object form takes it.
RUN_OBJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "day": {"enum": [day.value for day in Day]},
        "type": {"enum": [kind.value for kind in RunType]},
        "minutes": {"type": "integer", "minimum": 1, "maximum": MAX_RUN_MINUTES},
    },
    "required": ["day", "type", "minutes"],
    "additionalProperties": False,
}


def _a_run_on(day: Day) -> dict[str, Any]:
    """A run on ``day``, written either way the API takes it ("mon:easy:30" or {"day": "mon", ...})."""
    return {
        "anyOf": [
            {"type": "string", "pattern": f"^{day.value}:"},
            {"type": "object", "properties": {"day": {"const": day.value}}, "required": ["day"]},
        ]
    }


# The runs-a-day limit as JSON Schema states it, for a list of runs in the API's description: at most
# MAX_RUNS_PER_DAY items on each day.
RUNS_PER_DAY_SCHEMA: dict[str, Any] = {
    "allOf": [{"contains": _a_run_on(day), "minContains": 0, "maxContains": MAX_RUNS_PER_DAY} for day in Day]
}


class Run(Frozen):
    day: Day
    type: RunType
    minutes: int = Field(ge=1, le=MAX_RUN_MINUTES)

    def __str__(self) -> str:
        return f"{self.day.value}:{self.type.value}:{self.minutes}"


class WeekPreferences(Frozen):
    """The runner's preferences for the week; minutes are per session of each context."""

    # Strict numbers: a true or false sent for one is refused, not taken as 1 or 0. The defaults are the runner's
    # settings' (hipcoach.core.settings_schema), so a week planned without them is a new runner's week.
    pre_run_minutes: StrictFloat = Field(default=PRE_RUN_MINUTES.default, ge=MIN_MINUTES, le=MAX_MINUTES)
    post_run_minutes: StrictFloat = Field(default=POST_RUN_MINUTES.default, ge=MIN_MINUTES, le=MAX_MINUTES)
    strength_minutes: StrictFloat = Field(default=STRENGTH_MINUTES.default, ge=MIN_MINUTES, le=MAX_MINUTES)
    rest_day_minutes: StrictFloat = Field(default=REST_DAY_MINUTES.default, ge=MIN_MINUTES, le=MAX_MINUTES)
    strength_days: WholeNumber = Field(default=STRENGTH_DAYS.default, ge=STRENGTH_DAYS.low, le=STRENGTH_DAYS.high)
    equipment: list[Equipment] | None = Field(default=None, max_length=len(Equipment))
    # The easiest, when a week is asked for without a level (the API's /weeks/plan); a runner's settings start at
    # their own default level, which they hand in.
    level: WholeNumber = Field(default=MIN_LEVEL, ge=MIN_LEVEL, le=MAX_LEVEL)
    seed: WholeNumber = Field(default=0, ge=0, le=MAX_SEED)

    def minutes_for(self, context: Context) -> float:
        """The minutes set aside for a session of ``context``: a standing series or a floor sequence, done on a
        day without a run, takes a rest day's."""
        return {
            Context.PRE_RUN: self.pre_run_minutes,
            Context.POST_RUN: self.post_run_minutes,
            Context.STRENGTH: self.strength_minutes,
            Context.REST_DAY: self.rest_day_minutes,
            Context.STANDING_SERIES: self.rest_day_minutes,
            Context.FLOOR_SEQUENCE: self.rest_day_minutes,
        }[context]


class PlannedSession(Frozen):
    context: Context
    minutes: float
    reason: str
    run: int | None = Field(default=None, description="Index of the day's run it goes with, if any.")
    session: Session


class DayPlan(Frozen):
    day: Day
    runs: list[Run]
    sessions: list[PlannedSession]

    def contexts(self) -> list[Context]:
        return [planned.context for planned in self.sessions]


class Week(Frozen):
    days: list[DayPlan]
    notes: list[str]

    def day(self, day: Day | str) -> DayPlan:
        return self.days[DAYS.index(Day(day))]

    def count(self, context: Context) -> int:
        return sum(plan.contexts().count(context) for plan in self.days)

    def strength_days(self) -> list[Day]:
        return [plan.day for plan in self.days if Context.STRENGTH in plan.contexts()]


# --------------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------------


def _run_parts(value: object, field: str, *, strict: bool) -> Sequence[object]:
    """The day, type and minutes of a run as written, not yet read."""
    parts: Sequence[object] = ()
    if isinstance(value, str) and not (strict and len(value) > MAX_RUN_TEXT):
        parts = value.split(":")
    elif isinstance(value, Mapping):
        if strict and set(value) != {"day", "type", "minutes"}:
            raise PlannerInputError(field, value, "an object of day, type and minutes, and nothing else")
        parts = [value.get("day"), value.get("type"), value.get("minutes")]
    elif isinstance(value, Sequence) and not isinstance(value, str) and not strict:
        parts = value
    if len(parts) != 3:
        raise PlannerInputError(field, value, RUN_WRITTEN if strict else RUN_LOOSELY)
    return parts


def parse_run(value: object, index: int = 0, *, strict: bool = False) -> Run:
    """A run from a :class:`Run`, a ``"day:type:minutes"`` string, a mapping or a 3-tuple.

    ``strict`` takes a run only as the API's description states it: text matching :data:`RUN_PATTERN`, or an
    object of a day, a type and whole minutes written exactly; the terminal's lenient reading takes any case,
    spaces around the parts and minutes written as text.
    """
    field = f"runs[{index}]"
    if isinstance(value, Run):
        return value
    day, kind, minutes = _run_parts(value, field, strict=strict)
    try:
        day = Day(str(day) if strict and isinstance(day, str) else str(day).strip().lower())
    except ValueError:
        raise PlannerInputError(f"{field}.day", day, ", ".join(DAYS)) from None
    try:
        kind = RunType(str(kind) if strict and isinstance(kind, str) else str(kind).strip().lower())
    except ValueError:
        raise PlannerInputError(f"{field}.type", kind, ", ".join(RunType)) from None
    number: object = integral(minutes) if strict and not isinstance(value, str) else minutes
    if isinstance(minutes, str) and (isinstance(value, str) or not strict):
        try:
            number = int(minutes.strip())
        except ValueError:
            number = minutes
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_RUN_MINUTES:
        raise PlannerInputError(f"{field}.minutes", minutes, f"a whole number of minutes from 1 to {MAX_RUN_MINUTES}")
    if strict and isinstance(value, str) and _RUN.fullmatch(value) is None:
        raise PlannerInputError(field, value, RUN_WRITTEN)  # each part right, but written otherwise: " mon", "045"
    return Run(day=day, type=kind, minutes=number)


def too_many_runs(runs: Sized) -> PlannerInputError | None:
    """The problem with a week of more than :data:`MAX_RUNS_PER_WEEK` runs, found before any is read."""
    if len(runs) <= MAX_RUNS_PER_WEEK:
        return None
    return PlannerInputError("runs", f"{len(runs)} runs", RUNS_ALLOWED)


def runs_per_day_problems(runs: Sequence[Run]) -> list[PlannerInputError]:
    """Each run past the :data:`MAX_RUNS_PER_DAY` th of its day, named by its place in the list."""
    problems = []
    seen: dict[Day, int] = {}
    for index, run in enumerate(runs):
        seen[run.day] = seen.get(run.day, 0) + 1
        if seen[run.day] > MAX_RUNS_PER_DAY:
            detail = f"run {seen[run.day]} on {run.day.value}"
            problems.append(PlannerInputError(f"runs[{index}]", str(run), RUNS_ALLOWED, detail))
    return problems


def parse_runs(runs: object, *, strict: bool = False) -> list[Run]:
    if runs is None:
        return []
    if isinstance(runs, str):
        runs = [part for part in runs.replace(",", " ").split() if part]
    if not isinstance(runs, Iterable):
        raise PlannerInputError("runs", runs, "a list of runs written day:type:minutes")
    listed = list(islice(runs, MAX_RUNS_PER_WEEK + 1))  # never more of a long or endless iterable
    if len(listed) > MAX_RUNS_PER_WEEK:
        count = f"{len(runs)} runs" if isinstance(runs, Sized) else f"more than {MAX_RUNS_PER_WEEK} runs"
        raise PlannerInputError("runs", count, RUNS_ALLOWED)
    parsed = [parse_run(run, index, strict=strict) for index, run in enumerate(listed)]
    for problem in runs_per_day_problems(parsed):
        raise problem
    return parsed


def parse_preferences(value: object) -> WeekPreferences:
    if value is None:
        return WeekPreferences()
    if isinstance(value, WeekPreferences):
        preferences = value
    elif isinstance(value, Mapping):
        try:
            preferences = WeekPreferences.model_validate(dict(value))
        except ValidationError as error:
            detail = error.errors()[0]
            name = ".".join(str(part) for part in detail["loc"])
            raise PlannerInputError(
                f"preferences.{name}", detail.get("input"), _preference_rule(str(detail["loc"][0]))
            ) from None
    else:
        raise PlannerInputError("preferences", value, "an object with the week's preferences")
    # Re-check with the planner's own rules, so that a model built without validation fails clearly too.
    for name in ("pre_run_minutes", "post_run_minutes", "strength_minutes", "rest_day_minutes"):
        parse_minutes(getattr(preferences, name), f"preferences.{name}")
    parse_level(preferences.level, "preferences.level")
    parse_equipment(preferences.equipment, "preferences.equipment")
    return preferences


def _preference_rule(name: str) -> str:
    if name.endswith("_minutes"):
        return MINUTES_ALLOWED
    rules = {
        "strength_days": STRENGTH_DAYS.allowed,
        "level": f"a whole number from {MIN_LEVEL} to {MAX_LEVEL}",
        "equipment": ", ".join(Equipment),
        "seed": f"a whole number from 0 to {MAX_SEED}",
    }
    return rules.get(name, ", ".join(WeekPreferences.model_fields))


# --------------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------------


def strength_day_choice(runs: Sequence[Run], wanted: int) -> list[int]:
    """The strength days (indices 0-6), by rule 3 of the module docstring.

    Of the allowed days (not the day before a hard run, not a race day), no two consecutive, and leaving a day with
    neither a run nor strength when the week has a day without a run: as many as wanted fit, on as many run days as
    possible (strength goes after a run), then spread as far apart as possible.
    """
    hard = {DAYS.index(run.day) for run in runs if run.type in HARD_RUNS}
    races = {DAYS.index(run.day) for run in runs if run.type is RunType.RACE}
    run_days = {DAYS.index(run.day) for run in runs}
    rest_days = set(range(7)) - run_days
    allowed_days = [day for day in range(7) if (day + 1) % 7 not in hard and day not in races]
    for count in range(wanted, 0, -1):
        best: tuple[int, int] | None = None
        chosen: tuple[int, ...] = ()
        for days in combinations(allowed_days, count):
            if any((b - a) % 7 in (1, 6) for a, b in combinations(days, 2)):
                continue
            if rest_days and rest_days <= set(days):
                continue  # strength never takes the runner's last day of rest
            gaps = [((days[(i + 1) % count] - days[i]) % 7) or 7 for i in range(count)]
            key = (sum(day in run_days for day in days), min(gaps))
            if best is None or key > best:
                best, chosen = key, days
        if best is not None:
            return list(chosen)
    return []


def _distance(day: int, days: set[int]) -> int:
    """Days from ``day`` to the nearest of ``days`` in the repeating week (7 when there are none)."""
    return min((min((day - other) % 7, (other - day) % 7) for other in days), default=7)


# After every session of the day: when strength is on a run day, it comes after that day's run (rule 3).
_STRENGTH_ORDER = 100
_REST_DAY_ORDER = 200


@dataclass(frozen=True)
class _Placement:
    """A session the week places: its day (0-6), its order within the day, its context, the day's run it goes
    with (if any) and why it is there."""

    day: int
    order: int
    context: Context
    run: int | None
    reason: str


def _run_sessions(by_day: Mapping[int, Sequence[Run]]) -> list[_Placement]:
    """Rules 1 and 2: a pre-run routine before every run, post-run recovery after every hard one."""
    placed: list[_Placement] = []
    for day, day_runs in by_day.items():
        for index, run in enumerate(day_runs):
            why = f"Before your {run.type.value} run (article: pre-run routine)."
            placed.append(_Placement(day, 2 * index, Context.PRE_RUN, index, why))
            if run.type in HARD_RUNS:
                why = f"After your {run.type.value} run (article: recovery)."
                placed.append(_Placement(day, 2 * index + 1, Context.POST_RUN, index, why))
    return placed


def _strength_sessions(by_day: Mapping[int, Sequence[Run]], days: Sequence[int]) -> list[_Placement]:
    """Rules 3 and 7: strength on the chosen days; every session after the first repeats its exercises."""
    placed: list[_Placement] = []
    for day in days:
        runs = by_day[day]
        after = f", after your {runs[-1].type.value} run" if runs else ""
        why = f"Strength day{after}: 2-3 non-consecutive days a week, never the day before a hard run (REFERENCE 4)."
        if placed:
            why += (
                f" Same exercises as {DAY_NAMES[DAYS[days[0]]]}: strength builds by repeating and progressing them "
                "(REFERENCE 4)."
            )
        placed.append(_Placement(day, _STRENGTH_ORDER, Context.STRENGTH, None, why))
    return placed


def _recovery_sessions(
    by_day: Mapping[int, Sequence[Run]],
    placed: Sequence[_Placement],
    strength: Sequence[int],
    wanted: int = MIN_RECOVERY_SESSIONS,
) -> list[_Placement]:
    """Rule 4: at least ``wanted`` recovery sessions (three, or the clinician's), from the longest easy runs and
    then rest days."""
    recovery = sum(1 for entry in placed if entry.context is Context.POST_RUN)
    added: list[_Placement] = []
    easy = sorted(
        (
            (day, index, run)
            for day, day_runs in by_day.items()
            for index, run in enumerate(day_runs)
            if run.type not in HARD_RUNS
        ),
        key=lambda entry: (-entry[2].minutes, entry[0], entry[1]),
    )
    source = "article" if wanted == MIN_RECOVERY_SESSIONS else "your clinician's prescription"
    for day, index, run in easy[: max(wanted - recovery, 0)]:
        why = f"After your {run.type.value} run: at least {wanted} recovery sessions a week ({source})."
        added.append(_Placement(day, 2 * index + 1, Context.POST_RUN, index, why))
    recovery += len(added)
    free = [day for day in range(7) if not by_day[day]]
    while recovery < wanted and free:
        # Spread the recovery over the week: the free day furthest from the other recovery sessions,
        # preferring days without strength.
        covered = {entry.day for entry in (*placed, *added) if entry.context in (Context.POST_RUN, Context.REST_DAY)}
        day = min(free, key=lambda d: (d in strength, -_distance(d, covered), d))
        free.remove(day)
        why = f"Rest-day session: the week needs at least {wanted} recovery sessions ({source})."
        added.append(_Placement(day, _REST_DAY_ORDER, Context.REST_DAY, None, why))
        recovery += 1
    return added


def _composition_order(placed: Sequence[_Placement]) -> list[int]:
    """Rule 8: which session to compose first (indices into ``placed``, which is in the week's order).

    Strength first (its exercises fixed for the week), then each pre-run routine, then post-run and rest-day
    work, each in the week's order, so every session knows the drills of the day's sessions composed before it.
    """
    rank = {Context.STRENGTH: 0, Context.PRE_RUN: 1}
    return sorted(range(len(placed)), key=lambda number: (rank.get(placed[number].context, 2), number))


class _WeekComposer:
    """Composes the placed sessions so that no drill comes twice on one day and the week's work rotates."""

    def __init__(
        self,
        profile: Profile,
        prefs: WeekPreferences,
        *,
        catalogue: Catalogue | None,
        recent_history: Sequence[Sequence[str]] | None,
        dose_states: Mapping[str, DoseState] | None,
        prescription: Prescription | None = None,
    ) -> None:
        self.profile = profile
        self.prefs = prefs
        self.prescription = prescription
        self.catalogue = catalogue
        self.dose_states = dose_states
        self.history: list[list[str]] = [list(session) for session in (recent_history or [])]
        self.on_day: dict[int, set[str]] = {day: set() for day in range(7)}
        self.used: Counter[str] = Counter()
        self.strength: frozenset[str] | None = None

    def variety(self, placement: _Placement) -> Variety:
        """Rules 5-7: leave out the day's drills; rotate post-run, strength and rest-day work; repeat the first
        strength session's exercises."""
        today = frozenset(self.on_day[placement.day])
        if placement.context is Context.STRENGTH:
            return Variety(exclude=today, only=self.strength)
        if placement.context is Context.PRE_RUN:
            return Variety(exclude=today)  # a familiar warm-up: no rotation
        return Variety(exclude=today, used=dict(self.used))

    def compose(self, placement: _Placement, number: int) -> Session:
        minutes = self.prefs.minutes_for(placement.context)
        request = SessionRequest(
            context=placement.context, seconds=seconds_of(minutes), seed=self.prefs.seed * 1000 + number
        )
        session = compose_requested(
            self.profile,
            request,
            self.history,
            usual_equipment=self.prefs.equipment,
            usual_level=self.prefs.level,
            catalogue=self.catalogue,
            dose_states=self.dose_states,
            variety=self.variety(placement),
            prescription=self.prescription,
        )
        drills = session.drill_ids
        self.history.insert(0, drills)
        self.on_day[placement.day].update(drills)
        if placement.context is not Context.PRE_RUN:
            self.used.update(drills)
        if placement.context is Context.STRENGTH and self.strength is None:
            self.strength = frozenset(drills)
        return session


def plan_week(
    profile: Profile,
    runs: Iterable[Run | str | Mapping[str, Any] | Sequence[Any]] | str | None,
    preferences: WeekPreferences | Mapping[str, Any] | None = None,
    *,
    catalogue: Catalogue | None = None,
    recent_history: Sequence[Sequence[str]] | None = None,
    dose_states: Mapping[str, DoseState] | None = None,
    prescription: Prescription | None = None,
) -> Week:
    """Plan the week around ``runs`` (e.g. ``["tue:tempo:45", "sun:long:90"]``); see the module docstring.

    ``prescription``, the runner's clinician's, goes to every session (:mod:`hipcoach.core.prescription`), and its
    sessions per week set rule 4's count of recovery sessions in place of the article's three."""
    parsed = parse_runs(runs)
    prefs = parse_preferences(preferences)
    check_referral(profile)

    by_day: dict[int, list[Run]] = {day: [] for day in range(7)}
    for run in parsed:
        by_day[DAYS.index(run.day)].append(run)
    notes = [
        "Pre-run before every run; post-run after long, tempo, intervals and race runs; strength on "
        "non-consecutive days after a run, never the day before a hard run, the same exercises each time; at "
        "least three recovery sessions; no drill twice on one day, and the recovery work rotates through your "
        "drills."
    ]
    strength = strength_day_choice(parsed, prefs.strength_days)
    if len(strength) < prefs.strength_days:
        notes.append(
            f"Only {len(strength)} strength day(s) fit this week (wanted {prefs.strength_days}): strength needs "
            "non-consecutive days, never the day before intervals, tempo, a long run or a race, never a race day, "
            "and never your last day of rest."
        )
    placed = [*_run_sessions(by_day), *_strength_sessions(by_day, strength)]
    wanted = MIN_RECOVERY_SESSIONS
    if prescription is not None and prescription.sessions_per_week is not None:
        wanted = prescription.sessions_per_week
    # Every day has a run or is free, so up to seven always fit (SESSIONS_PER_WEEK_HIGH).
    placed.extend(_recovery_sessions(by_day, placed, strength, wanted))
    placed.sort(key=lambda entry: (entry.day, entry.order))

    composer = _WeekComposer(
        profile,
        prefs,
        catalogue=catalogue,
        recent_history=recent_history,
        dose_states=dose_states,
        prescription=prescription,
    )
    sessions: dict[int, Session] = {}
    for number in _composition_order(placed):
        sessions[number] = composer.compose(placed[number], number)
    by_session_day: dict[int, list[PlannedSession]] = {day: [] for day in range(7)}
    for number, entry in enumerate(placed):
        by_session_day[entry.day].append(
            PlannedSession(
                context=entry.context,
                minutes=prefs.minutes_for(entry.context),
                reason=entry.reason,
                run=entry.run,
                session=sessions[number],
            )
        )
    days = [DayPlan(day=DAYS[day], runs=by_day[day], sessions=by_session_day[day]) for day in range(7)]
    return Week(days=days, notes=notes)
