"""GET /api/v1/today and GET/PUT /api/v1/me/settings, for a signed-in runner (token or session)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema, create_model

from hipcoach.app.schema import loc_of
from hipcoach.app.training.one_off import one_off_session
from hipcoach.app.training.runner_settings import (
    SettingsInvalidError,
    TimeZoneName,
    save_settings,
    settings_data,
    settings_of,
    validate_settings,
)
from hipcoach.app.training.today import NextSession, today_plan
from hipcoach.app.training.week_strip import StripDay
from hipcoach.core._model import integral
from hipcoach.core.planner import (
    MAX_MINUTES,
    MIN_MINUTES,
    Context,
    Referral,
    RequestInvalidError,
    Session,
    parse_session_request,
)
from hipcoach.core.settings_schema import (
    EQUIPMENT,
    RUNS,
    SETTINGS,
    TIME_ZONE,
    ChoiceSetting,
    NumberSetting,
    Setting,
)
from hipcoach.core.vocabulary import Equipment
from hipcoach.core.week import (
    MAX_RUNS_PER_WEEK,
    RUN_OBJECT_SCHEMA,
    RUN_TEXT_SCHEMA,
    RUNS_ALLOWED,
    RUNS_PER_DAY_SCHEMA,
    Day,
    Run,
)
from hipcoach.web.api_errors import SAFETY_CONFLICT, ErrorMessage, FieldProblems
from hipcoach.web.limits import KB, body_limit
from hipcoach.web.runner import runner_of
from hipcoach.web.training.api import router

# The settings are a few hundred bytes; this is room for a week of runs written at length, and for a week of
# thousands of runs to be refused by its count (a 422 naming runs), as the week planner refuses it.
MAX_SETTINGS_BYTES = 128 * KB
# A one-off request is a context, minutes and a few words of equipment.
MAX_ONE_OFF_BYTES = 4 * KB


# A run as the settings take it, read by parse_run(..., strict=True), which names the part that is wrong.
RunEntry = Annotated[Any, WithJsonSchema({"anyOf": [RUN_OBJECT_SCHEMA, RUN_TEXT_SCHEMA]})]


def number_in(setting: NumberSetting) -> tuple[Any, Any]:
    """A number setting as PUT takes it: its default, and its bounds and help in the description. The number reaches
    validate_settings as sent, which names a bad one and what is allowed (a false is not 0 minutes); a whole number
    written 3.0 is 3, as JSON Schema counts it, and 3.5, "3" or true stay as they are, to be refused there."""
    kind = Annotated[Any, BeforeValidator(integral)] if setting.whole else Any
    limits: dict[str, Any] = {
        "type": "integer" if setting.whole else "number",
        "minimum": setting.low,
        "maximum": setting.high,
    }
    return kind, Field(default=setting.default, description=setting.help, json_schema_extra=limits)


def choice_in(setting: ChoiceSetting) -> tuple[Any, Any]:
    return Literal[setting.values], Field(default=setting.default, description=setting.description)


# The settings the API writes in a form of its own (not numbers, not a choice of words).
OTHERS_IN: dict[Setting, tuple[Any, Any]] = {
    RUNS: (
        list[RunEntry],
        Field(
            max_length=MAX_RUNS_PER_WEEK,
            json_schema_extra=RUNS_PER_DAY_SCHEMA,
            description=f'The usual week: {{"day", "type", "minutes"}} objects or "day:type:minutes" strings in '
            f"lower case; {RUNS_ALLOWED}.",
        ),
    ),
    EQUIPMENT: (
        list[Equipment] | None,
        Field(
            max_length=len(Equipment),
            default_factory=lambda: list(EQUIPMENT.default or ()),
            description="Equipment at hand; [] for body weight only; null for everything.",
        ),
    ),
    TIME_ZONE: (
        TimeZoneName | None,
        Field(
            default=TIME_ZONE.default,
            description="The runner's IANA time zone, like Australia/Sydney: Today, the player's day, the morning "
            "check, progress weeks and the calendar follow it. Left out or null, it stays as it is.",
            examples=["Europe/London"],
        ),
    ),
}


def field_in(setting: Setting | NumberSetting | ChoiceSetting) -> tuple[Any, Any]:
    if isinstance(setting, NumberSetting):
        return number_in(setting)
    if isinstance(setting, ChoiceSetting):
        return choice_in(setting)
    return OTHERS_IN[setting]


class ClosedSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# A field for each setting of the settings' table (hipcoach.core.settings_schema), in its order: the description
# states each one's bounds and default as the table has them.
_FIELDS_IN: dict[str, Any] = {setting.name: field_in(setting) for setting in SETTINGS}
RunnerSettingsIn = create_model(
    "RunnerSettingsIn",
    __base__=ClosedSchema,
    __doc__="The whole settings: PUT replaces them, and a field left out goes back to its default.",
    **_FIELDS_IN,
)


class RunOut(Schema):
    day: Day
    type: str
    minutes: int


OTHERS_OUT: dict[Setting, tuple[Any, Any]] = {
    RUNS: (list[RunOut], ...),
    EQUIPMENT: (list[str] | None, ...),
    TIME_ZONE: (str, Field(description="The runner's IANA time zone (the server's until they choose one).")),
}


def field_out(setting: Setting | NumberSetting | ChoiceSetting) -> tuple[Any, Any]:
    if isinstance(setting, NumberSetting):
        return (int if setting.whole else float), ...
    if isinstance(setting, ChoiceSetting):
        return Literal[setting.values], ...
    return OTHERS_OUT[setting]


# The settings as GET and PUT give them: every setting of the table, in its order.
_FIELDS_OUT: dict[str, Any] = {setting.name: field_out(setting) for setting in SETTINGS}
RunnerSettingsOut = create_model("RunnerSettingsOut", __base__=Schema, **_FIELDS_OUT)


class TodaySession(Schema):
    context: Context
    minutes: float
    reason: str
    run: Run | None = Field(description="The run it goes with, if any.")
    done: bool = Field(description="Logged for today already.")
    play_url: str = Field(description="The player page for this session.")
    session: Session


class StripSessionOut(Schema):
    context: Context
    minutes: float | None = Field(description="The minutes set aside; null for a session logged without a plan.")
    done: bool
    planned: bool = Field(description="False for a session logged without a plan, such as a one-off.")
    play_url: str = Field(description="The player page for a planned session; empty for one logged without a plan.")


class StripDayOut(Schema):
    date: date
    weekday: Day
    runs: list[Run]
    sessions: list[StripSessionOut]
    url: str = Field(description="The day's page: its sessions, each with its Start.")


class FocusOut(Schema):
    findings: list[str] = Field(description="The heaviest findings of the latest screen, in plain words.")
    work: list[str] = Field(description="The drills that answer them, and glute activation after hip flexor work.")
    more: int = Field(description="Findings beyond those named.")
    words: str = Field(description="All of it in one line.")


class NextSessionOut(Schema):
    date: date
    context: Context
    minutes: float
    play_url: str


class SessionNowOut(Schema):
    context: Context
    minutes: float
    play_url: str = Field(description="The player, composing this one-off session now.")


class TodayOut(Schema):
    date: date
    weekday: Day
    runs: list[Run] = Field(description="Today's runs in the usual week.")
    sessions: list[TodaySession] = Field(description="Empty when the runner is referred.")
    referral: Referral | None = Field(description="Instead of any session when the latest screen refers.")
    done: list[Context] = Field(description="The contexts logged for today, one entry per session logged.")
    unplanned_done: list[Context] = Field(
        description="Of those, the sessions logged without a plan (a one-off, or one more than planned)."
    )
    profile_source: str
    notes: list[str]
    week: list[StripDayOut] = Field(description="Today and the six days after it; empty when the runner is referred.")
    focus: FocusOut | None = Field(description="What the sessions work on; null when the runner is referred.")
    next_session: NextSessionOut | None = Field(description="On a day with nothing planned: the next planned session.")
    session_now: SessionNowOut | None = Field(description="On a day with nothing planned: a session to play now.")


class OneOffIn(Schema):
    """What the runner has now: "I have 6 minutes before a run"."""

    model_config = ConfigDict(extra="forbid")

    # context and minutes reach parse_session_request as sent, which names each bad value and what is allowed (a
    # false is not 0 minutes); the description states exactly what it accepts.
    context: Any = Field(
        description="pre-run, post-run, strength, rest-day, standing-series or floor-sequence.",
        json_schema_extra={"type": "string", "enum": [context.value for context in Context]},
    )
    minutes: Any = Field(
        description=f"The minutes there are, {MIN_MINUTES}-{MAX_MINUTES}.",
        json_schema_extra={"type": "number", "minimum": MIN_MINUTES, "maximum": MAX_MINUTES},
    )
    equipment: list[str] | None = Field(
        default=None,
        max_length=len(Equipment),
        description="Equipment at hand; [] for body weight only; null or left out for your settings'.",
        json_schema_extra={
            "anyOf": [
                {"type": "array", "maxItems": len(Equipment), "items": {"enum": [word.value for word in Equipment]}},
                {"type": "null"},
            ]
        },
    )


class OneOffOut(Schema):
    context: Context
    minutes: float
    session: Session | None = Field(description="Null when the runner is referred.")
    referral: Referral | None = Field(description="Instead of the session when the runner must see a clinician.")
    play_url: str = Field(description="The player page for this session.")
    profile_source: str


@router.get(
    "/today",
    tags=["today"],
    response={200: TodayOut, 409: ErrorMessage},
    summary="Today's sessions, or the referral, and what is done",
    description=SAFETY_CONFLICT,
)
def get_today(request: HttpRequest) -> TodayOut:
    plan = today_plan(runner_of(request))
    return TodayOut(
        date=plan.day,
        weekday=plan.weekday,
        runs=plan.runs,
        # The use case's own records, read by their field names: nothing copied field by field.
        sessions=[TodaySession.model_validate(planned, from_attributes=True) for planned in plan.sessions],
        referral=plan.referral,
        done=plan.done,
        unplanned_done=plan.unplanned_done,
        profile_source=plan.profile_source,
        notes=[],
        week=[week_day_out(day) for day in plan.strip],
        focus=None if plan.focus is None else FocusOut.model_validate(plan.focus, from_attributes=True),
        next_session=next_session_out(plan.next_session),
        session_now=None if plan.session_now is None else SessionNowOut.model_validate(vars(plan.session_now)),
    )


def week_day_out(day: StripDay) -> StripDayOut:
    sessions = [StripSessionOut.model_validate(session, from_attributes=True) for session in day.sessions]
    return StripDayOut(date=day.day, weekday=day.weekday, runs=day.runs, sessions=sessions, url=day.url)


def next_session_out(session: NextSession | None) -> NextSessionOut | None:
    if session is None:
        return None
    return NextSessionOut(date=session.day, context=session.context, minutes=session.minutes, play_url=session.play_url)


@router.post(
    "/today/once",
    tags=["today"],
    response={200: OneOffOut, 409: ErrorMessage, 422: FieldProblems},
    summary="A session now, for the minutes there are",
    description=(
        "Composed as Today's are (your screen, settings, progression and recent sessions); the same as the web's "
        "one-off session. Nothing is stored. A referral comes instead of the session; 422 names each bad field. "
        + SAFETY_CONFLICT
    ),
)
@body_limit(MAX_ONE_OFF_BYTES)
def post_once(request: HttpRequest, payload: OneOffIn) -> Status[Any]:
    try:
        wanted = parse_session_request(payload.context, minutes=payload.minutes, equipment=payload.equipment)
    except RequestInvalidError as error:
        detail = [{"type": "value_error", "loc": loc_of(p.field), "msg": str(p)} for p in error.problems]
        return Status(422, {"detail": detail})
    once = one_off_session(runner_of(request), wanted)
    return Status(200, OneOffOut.model_validate(once, from_attributes=True))


@router.get(
    "/me/settings", tags=["settings"], response=RunnerSettingsOut, summary="Your usual week and training settings"
)
def get_settings(request: HttpRequest) -> dict[str, Any]:
    return settings_data(settings_of(runner_of(request)))


@router.put(
    "/me/settings",
    tags=["settings"],
    response={200: RunnerSettingsOut, 422: FieldProblems},
    summary="Replace your usual week and training settings",
    description="Every field is checked; with any problem nothing changes and 422 names each field.",
)
@body_limit(MAX_SETTINGS_BYTES)
def put_settings(request: HttpRequest, payload: RunnerSettingsIn) -> Status[Any]:
    try:
        valid = validate_settings(payload.model_dump(), strict=True)
    except SettingsInvalidError as error:
        detail = [{"type": "value_error", "loc": loc_of(p.field), "msg": str(p)} for p in error.problems]
        return Status(422, {"detail": detail})
    return Status(200, settings_data(save_settings(runner_of(request), valid)))
