"""A runner's data, whole: export it as one JSON file (and the logs as CSV), import it into an empty account,
delete the account with everything in it.

**The export** (format 1) holds the account's e-mail, the usual week and training settings, every screen
with its answers and its result as scored on the day, the plan (this week as the planner makes it now,
and each drill chain's progression state with every change and its reason), every log with its
drill entries and its morning check, and what the runner's clinicians wrote (``clinic``: app.clinic.data).
It holds no database ids: a log is named by its ``client_key``, and a progression event points at its log that
way. API tokens and the private calendar link are secrets and
stay out; so do the axes login records.

**The import** restores that file into an account that holds none of it yet (no screen, log or
progression, and no usual week saved: a new account), in one transaction. Every field is checked first,
drill ids against the library; with any problem nothing is written and each problem names its field.
Each log is held to exactly what the log API holds every log to: the same field types (services.py: at least
one drill, times written as dates, none before 2000-01-01, the session as played bounded) and the same rules
(each drill once, started before it finished, planned at most a week ahead: the same functions). No time in the
file may be later than now (the log API's allowance of a day for a clock running ahead) or before 2000-01-01,
and each screen is scored again from its answers: a ``refer`` or ``urgent`` the answers do not give is refused,
and the result stored is the one scored now.
The week plan in the file is not imported: it is made again from the settings, screens and progression.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, overload

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import transaction
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    ValidationError,
    WithJsonSchema,
    create_model,
)

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.data import (
    ExportClinical,
    clinical_counts,
    clinical_export,
    clinical_problems,
    clinical_times,
    has_clinical_data,
    restore_clinical,
)
from hipcoach.app.clinic.prescription import current_prescription
from hipcoach.app.clock import local_today
from hipcoach.app.library.models import Drill
from hipcoach.app.schema import ANSWERS_REFERENCE, loc_of
from hipcoach.app.screens.models import Screen
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.training.log import (
    CLOCK_SKEW,
    DRILLS_MAX,
    Amount,
    AwareMoment,
    ClientKey,
    Day,
    Derived,
    DrillId,
    FreeForm,
    Notes,
    Pain,
    SecondsDone,
    SessionPlayed,
    Sets,
    Sides,
    Source,
    each_drill_at_most_once,
    log_time_problems,
    repeated_drills,
)
from hipcoach.app.training.models import (
    DrillEntry,
    MorningCheck,
    ProgressionEvent,
    ProgressionState,
    RunnerSettings,
    SessionLog,
)
from hipcoach.app.training.runner import dose_states_of, recent_history_of, referral_of, runner_profile
from hipcoach.app.training.runner_settings import TIME_ZONE_PATTERN
from hipcoach.core import clock
from hipcoach.core._model import WholeNumber
from hipcoach.core.limits import EARLIEST_DAY, EARLIEST_MOMENT, JsonInputError, read_json
from hipcoach.core.planner import Context, PlannerInputError
from hipcoach.core.progression import Action, DoseState, Rating
from hipcoach.core.screen import ScreenAnswers, ScreenResult, score_screen
from hipcoach.core.settings_schema import (
    AGE_BAND,
    EQUIPMENT,
    NUMBER_SETTINGS,
    RUNS,
    SETTINGS,
    TIME_ZONE,
    ChoiceSetting,
    NumberSetting,
    Setting,
)
from hipcoach.core.vocabulary import Equipment, Side
from hipcoach.core.week import (
    MAX_RUNS_PER_WEEK,
    RUNS_PER_DAY_SCHEMA,
    RunText,
    parse_run,
    plan_week,
    runs_per_day_problems,
)

FORMAT = 1
# A year of logs is a few megabytes (each log keeps the session as played); this leaves room for years.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
BATCH = 1000


# --------------------------------------------------------------------------------------------------
# The file's format
# --------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportProfile(_Strict):
    email: str = Field(max_length=254, description="The account's e-mail; an import keeps the account's own.")


def _a_time_zone(value: str) -> str:
    if value and not clock.is_time_zone(value):
        raise ValueError("not a time zone name like Europe/London")
    return value


def _number_kept(setting: NumberSetting) -> dict[str, tuple[Any, Any]]:
    # Strict numbers, as the description states them: "30" or true is not a number of minutes.
    return {setting.name: (WholeNumber if setting.whole else StrictFloat, Field(ge=setting.low, le=setting.high))}


# The settings the file writes in a form of its own; the age band as the model keeps it, 65 or over or not.
_OTHERS_KEPT: dict[Setting | ChoiceSetting, dict[str, tuple[Any, Any]]] = {
    RUNS: {
        "runs": (
            list[RunText],
            Field(
                max_length=MAX_RUNS_PER_WEEK,
                json_schema_extra=RUNS_PER_DAY_SCHEMA,
                description='The usual week, e.g. ["tue:tempo:45", "sat:long:100"].',
            ),
        )
    },
    EQUIPMENT: {
        "equipment": (
            list[Equipment] | None,
            Field(max_length=len(Equipment), description="Equipment at hand; [] body weight only; null everything."),
        )
    },
    AGE_BAND: {"older_adult": (StrictBool, Field(description="65 or over: longer holds after a run."))},
    TIME_ZONE: {
        "time_zone": (
            Annotated[str, AfterValidator(_a_time_zone)],
            Field(
                default="",
                max_length=clock.MAX_TIME_ZONE_LENGTH,
                description="The runner's IANA time zone; empty for the server's (files from before it was kept).",
                json_schema_extra={"pattern": TIME_ZONE_PATTERN.replace("^(?:", "^(?:|", 1)},  # or empty
            ),
        )
    },
}


def _kept(setting: Setting | NumberSetting | ChoiceSetting) -> dict[str, tuple[Any, Any]]:
    return _number_kept(setting) if isinstance(setting, NumberSetting) else _OTHERS_KEPT[setting]


# The settings as the file keeps them: every setting of the settings' table (hipcoach.core.settings_schema), in its
# order, each number held to the table's bounds, as the page and the API hold it.
_SETTINGS_KEPT: dict[str, Any] = {name: field for setting in SETTINGS for name, field in _kept(setting).items()}
ExportSettings = create_model("ExportSettings", __base__=_Strict, **_SETTINGS_KEPT)


class ExportScreen(_Strict):
    taken_at: AwareDatetime
    answers: Annotated[dict[str, Any], WithJsonSchema(ANSWERS_REFERENCE)] = Field(
        description="The answers as given (the screen's answer format)."
    )
    result: FreeForm = Field(
        description="The result as scored on the day (the screen's result); refer and urgent as it says, and as the "
        "answers score."
    )
    refer: StrictBool
    urgent: StrictBool


# A log in the file is held to the log API's own field rules (services.py: the same types), so an import takes
# exactly the logs POST /api/v1/logs takes; the export writes what is stored without checking it again.


class ExportDrillEntry(_Strict):
    order: WholeNumber = Field(ge=0, lt=DRILLS_MAX)
    drill: DrillId
    amount: Amount
    sets: Sets
    sides_done: Sides
    rating: Rating
    pain: Pain


class ExportMorningCheck(_Strict):
    worse: StrictBool
    answered_at: AwareMoment


class ExportLog(_Strict):
    client_key: ClientKey
    context: Context
    planned_for: Day
    started_at: AwareMoment | None
    finished_at: AwareMoment
    seconds_done: SecondsDone
    session: SessionPlayed
    pain: Pain
    notes: Notes
    source: Source
    red_flag: StrictBool
    drills: list[ExportDrillEntry] = Field(
        min_length=1, max_length=DRILLS_MAX, json_schema_extra=each_drill_at_most_once("drill")
    )
    morning_check: ExportMorningCheck | None


REASON_MAX = 2000
# A chain changes at most a few times a week: ten thousand reasons are two centuries of changes.
REASONS_MAX = 10_000
# The most of each part a file may hold: ten sessions a day for over twenty years, a screen a day for as long.
SCREENS_MAX = 10_000
LOGS_MAX = 100_000
EVENTS_MAX = 100_000
# A chain is named by its first drill: never more chains than drills in a library.
CHAINS_MAX = 1000


class ExportDoseState(_Strict):
    """The core's :class:`DoseState` (where a runner stands in a chain), with the bounds a file is held to."""

    drill_id: DrillId
    amount: Amount
    sets: WholeNumber = Field(ge=1, le=100)
    flagged: StrictBool = False
    reasons: list[Annotated[str, Field(max_length=REASON_MAX)]] = Field(
        default_factory=list, max_length=REASONS_MAX, description="The reason for every change, oldest first."
    )


class ExportProgressionState(_Strict):
    chain_start: DrillId = Field(description="The first drill of the chain.")
    state: ExportDoseState = Field(description="The drill and dose the runner stands at in this chain.")


class ExportProgressionEvent(_Strict):
    at: AwareDatetime
    log: ClientKey | None = Field(description="The client_key of the log that caused it, if any.")
    drill: DrillId
    action: Action
    reason: str = Field(max_length=REASON_MAX)
    before: ExportDoseState | None
    after: ExportDoseState | None


class ExportPlan(_Strict):
    week: Derived | None = Field(
        description="This week as the planner makes it at export time; made again after an import, not read. "
        "Null when the account never answered the safety questions (nothing is planned before them)."
    )
    referral: Derived | None = Field(description="Instead of a week when the latest screen refers.")
    progression_states: list[ExportProgressionState] = Field(
        max_length=CHAINS_MAX, json_schema_extra=each_drill_at_most_once("chain_start")
    )
    progression_events: list[ExportProgressionEvent] = Field(max_length=EVENTS_MAX)


class ExportDocument(_Strict):
    """Everything of one runner, as GET /api/v1/me/export gives it and POST /api/v1/me/import takes it."""

    format: Literal[1] = Field(description="The version of this format: 1.")
    exported_at: AwareDatetime
    profile: ExportProfile
    settings: ExportSettings | None
    screens: list[ExportScreen] = Field(max_length=SCREENS_MAX)
    plan: ExportPlan
    logs: list[ExportLog] = Field(max_length=LOGS_MAX, description="Oldest first.")
    clinic: ExportClinical | None = Field(
        default=None, description="What the runner's clinicians wrote; absent from files made before it was kept."
    )


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def _settings_data(record: RunnerSettings | None) -> ExportSettings | None:
    if record is None:
        return None
    # Its fields are the table's, made at import (create_model): given by name, as the file writes them.
    return ExportSettings.model_validate(
        {
            "runs": [str(run) for run in record.runs],
            "equipment": None if record.equipment is None else [Equipment(word) for word in record.equipment],
            **{setting.name: getattr(record, setting.name) for setting in NUMBER_SETTINGS},
            "older_adult": record.older_adult,
            "time_zone": record.time_zone,
        }
    )


LOG_FIELDS = (
    "id",
    "client_key",
    "context",
    "planned_for",
    "started_at",
    "finished_at",
    "seconds_done",
    "session",
    "pain",
    "notes",
    "source",
    "red_flag",
)
ENTRY_FIELDS = ("log_id", "order", "drill_id", "amount", "sets", "sides_done", "rating", "pain")


def _logs_of(user: Runner) -> list[ExportLog]:
    """The runner's logs, oldest first, each with its drill entries and morning check: three queries.

    Written as stored (``model_construct``, no validation): the export of what was accepted always succeeds, and
    a log kept from before a rule was tightened is still exported (the import then names what it refuses).
    """
    entries: dict[int, list[ExportDrillEntry]] = {}
    rows = DrillEntry.objects.filter(log__owner=user).order_by("log_id", "order", "id").values_list(*ENTRY_FIELDS)
    for log_id, order, drill_id, amount, sets, sides, rating, pain in rows.iterator(chunk_size=BATCH):
        entries.setdefault(log_id, []).append(
            ExportDrillEntry.model_construct(
                order=order,
                drill=drill_id,
                amount=amount,
                sets=sets,
                sides_done=[Side(side) for side in sides],
                rating=Rating(rating),
                pain=pain,
            )
        )
    checks = {
        log_id: ExportMorningCheck.model_construct(worse=worse, answered_at=answered_at)
        for log_id, worse, answered_at in MorningCheck.objects.filter(log__owner=user).values_list(
            "log_id", "worse", "answered_at"
        )
    }
    logs = []
    for row in SessionLog.objects.filter(owner=user).order_by("finished_at", "id").values(*LOG_FIELDS):
        log_id = row.pop("id")
        row["context"] = Context(row["context"])
        logs.append(ExportLog.model_construct(**row, drills=entries.get(log_id, []), morning_check=checks.get(log_id)))
    return logs


def _week_plan(user: Runner, record: RunnerSettings | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """This week as the planner makes it for the runner now, or the referral that replaces it, as Today
    decides it: the latest screen refers, or a session since reported a new warning sign."""
    # Without saved settings, the model's defaults (not saved: an export writes nothing).
    try:
        choice = runner_profile(user, record if record is not None else RunnerSettings(owner=user))
    except SafetyQuestionsUnansweredError:
        return None, None  # nothing is planned before the safety questions are answered; the export still works
    referral = referral_of(user, choice.profile)
    if referral is not None:
        return None, referral.model_dump(mode="json")
    week = plan_week(
        choice.profile,
        record.runs if record is not None else [],
        record.to_core() if record is not None else None,
        recent_history=recent_history_of(user),
        dose_states=dose_states_of(user),
        prescription=current_prescription(user),
    )
    return week.model_dump(mode="json"), None


@overload
def _dose_state(stored: dict[str, Any]) -> ExportDoseState: ...
@overload
def _dose_state(stored: None) -> None: ...
def _dose_state(stored: dict[str, Any] | None) -> ExportDoseState | None:
    """A stored state (the core's DoseState as JSON) as the file writes it."""
    if stored is None:
        return None
    return ExportDoseState.model_construct(**DoseState.model_validate(stored).model_dump())


def export_document(user: Runner) -> ExportDocument:
    """Everything of ``user``, read in one transaction so the parts agree with each other."""
    with transaction.atomic():
        record = RunnerSettings.objects.filter(owner=user).first()
        screens = list(Screen.objects.filter(owner=user).order_by("taken_at", "id"))
        states = list(ProgressionState.objects.filter(owner=user).order_by("chain_start"))
        events = list(
            ProgressionEvent.objects.filter(owner=user)
            .order_by("at", "id")
            .values("at", "drill_id", "action", "reason", "before", "after", "log__client_key")
        )
        logs = _logs_of(user)
        week, referral = _week_plan(user, record)
        clinical = clinical_export(user)
    return ExportDocument(
        format=FORMAT,
        exported_at=clock.now(),
        profile=ExportProfile(email=getattr(user, "email", "") or user.get_username()),
        settings=_settings_data(record),
        screens=[
            ExportScreen(
                taken_at=screen.taken_at,
                answers=screen.answers,
                result=screen.result,
                refer=screen.refer,
                urgent=screen.urgent,
            )
            for screen in screens
        ],
        plan=ExportPlan(
            week=week,
            referral=referral,
            # Written as stored, as the logs are (see _logs_of).
            progression_states=[
                ExportProgressionState.model_construct(chain_start=row.chain_start, state=_dose_state(row.state))
                for row in states
            ],
            progression_events=[
                ExportProgressionEvent.model_construct(
                    at=event["at"],
                    log=event["log__client_key"],
                    drill=event["drill_id"],
                    action=Action(event["action"]),
                    reason=event["reason"],
                    before=_dose_state(event["before"]),
                    after=_dose_state(event["after"]),
                )
                for event in events
            ],
        ),
        logs=logs,
        clinic=clinical,
    )


def export_json(user: Runner) -> str:
    """The export as JSON text (times in UTC, to the microsecond)."""
    return export_document(user).model_dump_json(indent=1)


def export_filename(suffix: str) -> str:
    return f"hipcoach-{local_today():%Y-%m-%d}{suffix}"


CSV_COLUMNS = ("date", "context", "drill", "drill_name", "amount", "unit", "sets", "sides", "rating", "pain")
_UNITS = {"reps": "reps", "hold_seconds": "seconds", "duration_seconds": "seconds"}


def _unit_of(record: Any) -> str:
    dose = record.get("dose", {}) if isinstance(record, dict) else {}
    return next((unit for key, unit in _UNITS.items() if dose.get(key) is not None), "")


def logs_csv_rows(user: Runner) -> Iterator[str]:
    """The logs as CSV lines: one row per drill entry, oldest session first, with a header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Sequence[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    drills = {
        drill_id: (name, _unit_of(record))
        for drill_id, name, record in Drill.objects.values_list("id", "name", "record")
    }
    rows = (
        DrillEntry.objects.filter(log__owner=user)
        .order_by("log__finished_at", "log_id", "order", "id")
        .values_list("log__planned_for", "log__context", "drill_id", "amount", "sets", "sides_done", "rating", "pain")
    )
    for day, context, drill_id, amount, sets, sides, rating, pain in rows.iterator(chunk_size=BATCH):
        name, unit = drills.get(drill_id, (drill_id, ""))
        yield line([day.isoformat(), context, drill_id, name, amount, unit, sets, " ".join(sides), rating, pain])


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


class ImportInputError(ValueError):
    """The file cannot be imported; ``problems`` lists each as {"loc", "msg", "type"}, nothing was written."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where(p['loc'])}: {p['msg']}" for p in problems))


class AccountNotEmptyError(Exception):
    """The account already holds data: an import would mix two histories."""

    message = (
        "This account already holds screens, logs, progression or a usual week: an import goes only into an "
        "empty account. Sign up for a new account to import into, or delete this account's data first."
    )


def where(loc: Sequence[str | int]) -> str:
    """["logs", 3, "drills", 0, "drill"] -> "logs[3].drills[0].drill"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def _problem(loc: Sequence[str | int], message: str, kind: str = "value_error") -> dict[str, Any]:
    return {"type": kind, "loc": list(loc), "msg": message}


def _pydantic_problems(error: ValidationError, prefix: Sequence[str | int] = ()) -> list[dict[str, Any]]:
    return [_problem([*prefix, *detail["loc"]], detail["msg"], detail["type"]) for detail in error.errors()]


def parse_import(raw: bytes | str | Any) -> ExportDocument:
    """The file as an :class:`ExportDocument`, every field checked; :class:`ImportInputError` otherwise."""
    if isinstance(raw, bytes | str):
        if len(raw) > MAX_IMPORT_BYTES:
            raise ImportInputError([_problem([], f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB")])
        try:
            data = read_json(raw)
        except JsonInputError as error:
            raise ImportInputError([_problem(list(p.loc), p.message, p.kind) for p in error.problems]) from None
    else:
        data = raw
    if not isinstance(data, dict):
        raise ImportInputError([_problem([], "not a hipcoach export: the file must hold one JSON object")])
    if "format" in data and data["format"] != FORMAT:
        raise ImportInputError(
            [
                _problem(
                    ["format"], f"format {data['format']!r} is not one this hipcoach reads; it reads format {FORMAT}"
                )
            ]
        )
    try:
        document = ExportDocument.model_validate(data)
    except ValidationError as error:
        raise ImportInputError(_pydantic_problems(error)) from None
    problems = _check_document(document)
    if problems:
        raise ImportInputError(problems)
    return document


def _check_document(document: ExportDocument) -> list[dict[str, Any]]:
    """What the format alone cannot say: runs, screens, unique keys, drill ids and log references."""
    known = set(Drill.objects.values_list("id", flat=True))
    now = clock.now()
    return [
        *_check_times(document, now),
        *_check_settings(document.settings),
        *_check_screens(document.screens),
        *_check_logs(document.logs, known, now),
        *_check_plan(document.plan, {log.client_key for log in document.logs}, known),
        *clinical_problems(
            document.clinic, (now + CLOCK_SKEW).date(), {screen.taken_at for screen in document.screens}
        ),
    ]


def _runs_of(settings: BaseModel | None) -> list[str]:
    """The usual week of the file's settings (a field of the table's model, which the type checker cannot see)."""
    return [] if settings is None else list(getattr(settings, "runs"))  # noqa: B009 - made by create_model


def _check_settings(settings: ExportSettings | None) -> list[dict[str, Any]]:
    """The usual week by the settings' own rules: each run, and at most so many a day."""
    errors = []
    runs = []
    for index, run in enumerate(_runs_of(settings)):
        try:
            runs.append(parse_run(run, index, strict=True))
        except PlannerInputError as error:
            errors.append(error)
    if not errors:
        errors = runs_per_day_problems(runs)
    problems = []
    for wrong in errors:
        loc = ["settings", *loc_of(wrong.field)[1:]]  # loc_of starts with "body"
        problems.append(_problem(loc, f"{wrong.given!r} is not allowed; allowed: {wrong.allowed}"))
    return problems


def _times(document: ExportDocument) -> Iterator[tuple[list[str | int], datetime | None]]:
    """Every moment the file gives, with where it is."""
    yield ["exported_at"], document.exported_at
    for index, screen in enumerate(document.screens):
        yield ["screens", index, "taken_at"], screen.taken_at
    for index, log in enumerate(document.logs):
        yield ["logs", index, "started_at"], log.started_at
        yield ["logs", index, "finished_at"], log.finished_at
        if log.morning_check is not None:
            yield ["logs", index, "morning_check", "answered_at"], log.morning_check.answered_at
    for index, event in enumerate(document.plan.progression_events):
        yield ["plan", "progression_events", index, "at"], event.at
    yield from clinical_times(document.clinic)


def _check_times(document: ExportDocument, now: datetime) -> list[dict[str, Any]]:
    """No moment after now: a screen dated ahead would stay the latest over every screen taken later (the
    referral reads the latest) and would count as a new screen after any warning sign reported since.

    The allowance is the log API's (CLOCK_SKEW, a day): the file may come from a server or phone
    whose clock runs a little ahead of this one; more than that is not a real time.
    """
    latest = now + CLOCK_SKEW
    problems = []
    for loc, moment in _times(document):
        if moment is not None and moment > latest:
            message = f"{moment.isoformat()} is in the future; a time in the file must be one that has passed"
            problems.append(_problem(loc, message))
        elif moment is not None and moment < EARLIEST_MOMENT:
            message = f"{moment.isoformat()} is before {EARLIEST_DAY.isoformat()}; hipcoach keeps no earlier time"
            problems.append(_problem(loc, message))
    return problems


def _check_screens(screens: Sequence[ExportScreen]) -> list[dict[str, Any]]:
    """Each screen's answers valid, and its referral the one the answers score now (the import stores that)."""
    problems = []
    for index, screen in enumerate(screens):
        try:
            fresh: ScreenResult | None = score_screen(ScreenAnswers.model_validate(screen.answers))
        except ValidationError as error:
            problems += _pydantic_problems(error, ["screens", index, "answers"])
            fresh = None
        try:
            # Strictly, as JSON: a text or a true where the result has a number is refused, as the description says.
            result = ScreenResult.model_validate_json(json.dumps(screen.result), strict=True)
        except ValidationError as error:
            problems += _pydantic_problems(error, ["screens", index, "result"])
            continue
        # The referral lock reads these two; they must say what the result says, and what the answers score.
        for name in ("refer", "urgent"):
            given = getattr(screen, name)
            if given != getattr(result, name):
                message = f"{given} does not match the screen's result ({name} is {getattr(result, name)})"
                problems.append(_problem(["screens", index, name], message))
            elif fresh is not None and given != getattr(fresh, name):
                message = f"{given} does not match the answers: the answers score {name} as {getattr(fresh, name)}"
                problems.append(_problem(["screens", index, name], message))
    return problems


def _unknown_drill(loc: list[str | int], drill_id: str, known: set[str]) -> list[dict[str, Any]]:
    if drill_id in known:
        return []
    return [_problem(loc, f"no drill {drill_id!r} in the library (GET /api/v1/drills lists them)")]


def _check_logs(logs: Sequence[ExportLog], known: set[str], now: datetime) -> list[dict[str, Any]]:
    """Keys unique in the file, drills of the library (a drill retired since stays in a log), and the log
    API's rules for every log (services.py): each drill once, times in order, not planned far ahead."""
    problems = []
    keys: set[str] = set()
    for index, log in enumerate(logs):
        if log.client_key in keys:
            problems.append(_problem(["logs", index, "client_key"], f"{log.client_key!r} names two logs"))
        keys.add(log.client_key)
        drills = [entry.drill for entry in log.drills]
        for number, drill_id in enumerate(drills):
            problems += _unknown_drill(["logs", index, "drills", number, "drill"], drill_id, known)
        unknown = {number for number, drill_id in enumerate(drills) if drill_id not in known}
        for number, message in repeated_drills(drills, passed_over=unknown).items():
            problems.append(_problem(["logs", index, "drills", number, "drill"], message))
        times = log_time_problems(
            planned_for=log.planned_for, started_at=log.started_at, finished_at=log.finished_at, now=now
        )
        problems += [_problem(["logs", index, field], message) for field, message in times]
    return problems


def _check_plan(plan: ExportPlan, log_keys: set[str], known: set[str]) -> list[dict[str, Any]]:
    problems = []
    chains: set[str] = set()
    for index, state in enumerate(plan.progression_states):
        at: list[str | int] = ["plan", "progression_states", index]
        if state.chain_start in chains:
            problems.append(_problem([*at, "chain_start"], f"{state.chain_start!r} has two states"))
        chains.add(state.chain_start)
        problems += _unknown_drill([*at, "chain_start"], state.chain_start, known)
        problems += _unknown_drill([*at, "state", "drill_id"], state.state.drill_id, known)
    for index, event in enumerate(plan.progression_events):
        at = ["plan", "progression_events", index]
        problems += _unknown_drill([*at, "drill"], event.drill, known)
        if event.log is not None and event.log not in log_keys:
            problems.append(_problem([*at, "log"], f"no log with client_key {event.log!r} in this file"))
    return problems


def has_data(user: Runner) -> bool:
    """Whether the account holds anything an import would mix with (API tokens do not count)."""
    record = RunnerSettings.objects.filter(owner=user).only("runs").first()
    return (
        (record is not None and bool(record.runs))
        or Screen.objects.filter(owner=user).exists()
        or SessionLog.objects.filter(owner=user).exists()
        or ProgressionState.objects.filter(owner=user).exists()
        or ProgressionEvent.objects.filter(owner=user).exists()
        or has_clinical_data(user)
    )


def _scored_screen(user: Runner, screen: ExportScreen) -> Screen:
    """The screen with its result scored now from its answers: the file's result is never stored as given."""
    answers = ScreenAnswers.model_validate(screen.answers)
    return Screen(owner=user, taken_at=screen.taken_at, **Screen.fields_from_core(answers, score_screen(answers)))


def import_document(user: Runner, document: ExportDocument) -> dict[str, int]:
    """Write the file's data into ``user``'s empty account, all or nothing; the counts written."""
    with transaction.atomic():
        # Two imports into one account at once: the second waits here, then finds the account full.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if has_data(user):
            raise AccountNotEmptyError(AccountNotEmptyError.message)
        if document.settings is not None:
            values = document.settings.model_dump(mode="json")
            values["runs"] = [str(parse_run(run, i)) for i, run in enumerate(_runs_of(document.settings))]
            RunnerSettings.objects.update_or_create(owner=user, defaults=values)
        Screen.objects.bulk_create([_scored_screen(user, screen) for screen in document.screens], batch_size=BATCH)
        logs = SessionLog.objects.bulk_create(
            [
                SessionLog(
                    owner=user,
                    client_key=log.client_key,
                    context=log.context.value,
                    planned_for=log.planned_for,
                    started_at=log.started_at,
                    finished_at=log.finished_at,
                    seconds_done=log.seconds_done,
                    session=log.session,
                    pain=log.pain,
                    notes=log.notes,
                    source=log.source,
                    red_flag=log.red_flag,
                )
                for log in document.logs
            ],
            batch_size=BATCH,
        )
        log_ids = {log.client_key: log.pk for log in logs}
        DrillEntry.objects.bulk_create(
            [
                DrillEntry.reported(log_ids[log.client_key], entry.order, entry.drill, entry)
                for log in document.logs
                for entry in log.drills
            ],
            batch_size=BATCH,
        )
        MorningCheck.objects.bulk_create(
            [
                MorningCheck(
                    log_id=log_ids[log.client_key],
                    worse=log.morning_check.worse,
                    answered_at=log.morning_check.answered_at,
                )
                for log in document.logs
                if log.morning_check is not None
            ],
            batch_size=BATCH,
        )
        ProgressionState.objects.bulk_create(
            [
                ProgressionState(owner=user, chain_start=state.chain_start, state=state.state.model_dump(mode="json"))
                for state in document.plan.progression_states
            ],
            batch_size=BATCH,
        )
        ProgressionEvent.objects.bulk_create(
            [
                ProgressionEvent(
                    owner=user,
                    log_id=log_ids[event.log] if event.log is not None else None,
                    at=event.at,
                    drill_id=event.drill,
                    action=event.action.value,
                    reason=event.reason,
                    before=event.before.model_dump(mode="json") if event.before is not None else None,
                    after=event.after.model_dump(mode="json") if event.after is not None else None,
                )
                for event in document.plan.progression_events
            ],
            batch_size=BATCH,
        )
        clinical = restore_clinical(user, document.clinic, BATCH)
    return {
        "screens": len(document.screens),
        "logs": len(document.logs),
        "drill_entries": sum(len(log.drills) for log in document.logs),
        "morning_checks": sum(1 for log in document.logs if log.morning_check is not None),
        "progression_states": len(document.plan.progression_states),
        "progression_events": len(document.plan.progression_events),
        "settings": int(document.settings is not None),
        **clinical,
    }


# --------------------------------------------------------------------------------------------------
# Counts and deletion
# --------------------------------------------------------------------------------------------------


def data_counts(user: Runner) -> dict[str, int]:
    """How much the account holds, part by part (what the data page shows and delete removes)."""
    return {
        "screens": Screen.objects.filter(owner=user).count(),
        "logs": SessionLog.objects.filter(owner=user).count(),
        "drill_entries": DrillEntry.objects.filter(log__owner=user).count(),
        "morning_checks": MorningCheck.objects.filter(log__owner=user).count(),
        "progression_states": ProgressionState.objects.filter(owner=user).count(),
        "progression_events": ProgressionEvent.objects.filter(owner=user).count(),
        "settings": RunnerSettings.objects.filter(owner=user).count(),
        **clinical_counts(user),
    }


def delete_account(user: Runner) -> None:
    """The account and everything in it (cascades: screens, settings, logs and their entries and checks,
    progression, API tokens), and the login-attempt records kept under its e-mail; one transaction."""
    username = user.get_username()
    with transaction.atomic():
        user.delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=username).delete()
