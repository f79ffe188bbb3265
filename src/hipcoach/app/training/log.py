"""Saving a session's log: what a log may hold, checked once for the API, the import and the players, and
stored once however often it is sent.

The web player, the API and the terminal player all save through :func:`save_log`, so a session played
anywhere shows everywhere and moves the same progression.

**Idempotency.** The client makes a key when the session starts (``client_key``). A retried or
duplicated save with that key returns the first log (``created`` is False) and changes nothing; the
unique constraint (owner, client_key) settles racing retries. The same key with a different log is a
:class:`LogConflictError` (409 in the API).

"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
)

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.events import session_logged, tell
from hipcoach.app.library.models import Drill as LibraryDrill
from hipcoach.app.schema import component_reference
from hipcoach.app.training.models import (
    DrillEntry,
    SessionLog,
)
from hipcoach.app.training.progression import progress_after_log
from hipcoach.core import clock
from hipcoach.core._model import AS_JSON_INTEGER
from hipcoach.core.catalogue import Catalogue, default_catalogue
from hipcoach.core.limits import EARLIEST_DAY, EARLIEST_MOMENT, depth_of, value_problems
from hipcoach.core.planner import Context
from hipcoach.core.progression import (
    Rating,
)
from hipcoach.core.vocabulary import Side

NOTES_MAX = 2000
# The session as played, kept with the log: a composed session is about 12,000 characters of JSON, 5 levels deep.
SESSION_JSON_MAX = 200_000
SESSION_DEPTH_MAX = 12
# Numbers in the session as played stay within what a browser reads exactly: JavaScript's safe integers.
SESSION_NUMBER_MAX = 2**53 - 1
# The OpenAPI component that states a value inside a free-form object (the session as played, an imported result
# or plan), recursively.
JSON_VALUE = "JsonValue"


def json_value_component() -> dict[str, Any]:
    """JSON Schema of any value inside a free-form object: text, a number within SESSION_NUMBER_MAX, true or
    false, null, or an array or object of such values (no text or list can be longer than the whole's limit)."""
    inner = {"$ref": f"#/components/schemas/{JSON_VALUE}"}
    return {
        "anyOf": [
            {"type": "string", "maxLength": SESSION_JSON_MAX},
            {"type": "number", "minimum": -SESSION_NUMBER_MAX, "maximum": SESSION_NUMBER_MAX},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "array", "items": inner, "maxItems": SESSION_JSON_MAX},
            {"type": "object", "additionalProperties": inner, "maxProperties": SESSION_JSON_MAX},
        ]
    }


def number_beyond_range(value: Any) -> int | float | None:
    """The first number in ``value`` beyond SESSION_NUMBER_MAX either way, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int | float) and not isinstance(item, bool) and abs(item) > SESSION_NUMBER_MAX:
            return item
    return None


# The most drills one session reports: a session of 120 minutes holds far fewer.
DRILLS_MAX = 60
# A phone clock up to a day fast is not a session in the future: the session finished by the time its log
# arrives, so its times are moved back to then (check_log). Further ahead, the log is refused.
CLOCK_SKEW = timedelta(days=1)
# A session is played at most a week before the day it is planned for (the player's window); a log planned
# for later than that, counted from the server's date a CLOCK_SKEW ahead, is refused.
PLANNED_DAYS_AHEAD = 7


# --------------------------------------------------------------------------------------------------
# A log's fields: what the log API takes, and what an import takes (data.py uses the same types)
# --------------------------------------------------------------------------------------------------

# Beyond the earliest day, each time has its own latest (check_log, log_time_problems); this bound only keeps a
# time that no rule has yet compared from being one that cannot be moved to UTC (year 9999 at -14:00).
LATEST_MOMENT = datetime(2100, 1, 1, tzinfo=EARLIEST_MOMENT.tzinfo)
_WRITTEN_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
MOMENT_TEXT = "a date and time written like 2026-03-01T07:30:00+00:00"
DAY_TEXT = "a date written like 2026-03-01"


def _written(kind: type, text: str) -> Any:
    """A time or a day as ISO 8601 text (or the Python value itself): never a number, which pydantic would
    otherwise read as seconds since 1970 (``answered_at: 0``)."""

    def check(value: Any) -> Any:
        if isinstance(value, kind) or (isinstance(value, str) and _WRITTEN_DAY.match(value)):
            return value
        raise ValueError(text)

    return check


def _moment_in_range(value: datetime) -> datetime:
    if value.year < EARLIEST_DAY.year or (value.tzinfo is not None and value < EARLIEST_MOMENT):
        raise ValueError(f"{value.isoformat()} is before {EARLIEST_DAY.isoformat()}; hipcoach keeps no earlier time")
    if value.year >= LATEST_MOMENT.year or (value.tzinfo is not None and value >= LATEST_MOMENT):
        raise ValueError(f"{value.isoformat()} is not a time that has come")
    return value


def _day_in_range(value: date) -> date:
    if value < EARLIEST_DAY:
        raise ValueError(f"{value.isoformat()} is before {EARLIEST_DAY.isoformat()}; hipcoach keeps no earlier day")
    if value >= LATEST_MOMENT.date():
        raise ValueError(f"{value.isoformat()} is not a day that has come")
    return value


# A free-form object as the OpenAPI description states it: its values are JsonValue.
FREE_FORM_SCHEMA = {"type": "object", "additionalProperties": component_reference(JSON_VALUE)}


def _session_within_bounds(value: dict[str, Any]) -> dict[str, Any]:
    """A free-form object (the session as played: the client's own record; an imported result or plan), held to a
    size, a depth, the range of its numbers and the text rules."""
    problems = value_problems(value)
    if problems:
        raise ValueError(f"{problems[0]}")
    if depth_of(value) > SESSION_DEPTH_MAX:
        raise ValueError(f"nested more than {SESSION_DEPTH_MAX} levels deep; at most {SESSION_DEPTH_MAX}")
    beyond = number_beyond_range(value)
    if beyond is not None:
        raise ValueError(f"holds the number {beyond}; numbers from -{SESSION_NUMBER_MAX} to {SESSION_NUMBER_MAX}")
    if len(json.dumps(value)) > SESSION_JSON_MAX:
        raise ValueError(f"at most {SESSION_JSON_MAX} characters of JSON")
    return value


Moment = Annotated[datetime, BeforeValidator(_written(datetime, MOMENT_TEXT)), AfterValidator(_moment_in_range)]
AwareMoment = Annotated[
    AwareDatetime, BeforeValidator(_written(datetime, MOMENT_TEXT)), AfterValidator(_moment_in_range)
]
Day = Annotated[date, BeforeValidator(_written(date, DAY_TEXT)), AfterValidator(_day_in_range)]


ClientKey = Annotated[
    str,
    Field(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Made by the client when the session starts (e.g. a UUID); a retry with it stores one log.",
    ),
]
# The ids a client may name, stated in the OpenAPI description: the catalogue's. The check that a drill is in the
# library is each endpoint's own (a 422 naming the field), so a file or log of a drill since taken out of the
# catalogue is still written by the export.
DRILL_IDS = sorted(drill.id for drill in default_catalogue())
KNOWN_DRILL_IDS = frozenset(DRILL_IDS)
DrillId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="A drill of the library (GET /api/v1/drills).",
        json_schema_extra={"enum": DRILL_IDS},
    ),
]


def each_drill_at_most_once(key: str) -> dict[str, Any]:
    """JSON Schema for a list of drills naming each drill (by ``key``) at most once: a log reports a drill once."""
    return {
        "allOf": [
            {
                "contains": {"type": "object", "properties": {key: {"const": drill_id}}, "required": [key]},
                "minContains": 0,
                "maxContains": 1,
            }
            for drill_id in DRILL_IDS
        ]
    }


# Strict numbers and booleans, as the description states them: "5" or true is not a pain of 5 (5.0 is), nor 1 a true.
Amount = Annotated[
    StrictInt, Field(ge=1, le=3600, description="Reps or seconds per set and side, as prescribed."), AS_JSON_INTEGER
]
Sets = Annotated[StrictInt, Field(ge=1, le=10, description="Sets as prescribed."), AS_JSON_INTEGER]
Sides = Annotated[
    list[Side],
    Field(max_length=len(Side), description="Sides completed: left and right, or both for a two-legged drill."),
]
Pain = Annotated[StrictInt, Field(ge=0, le=10, description="Pain, 0-10 (above 5: stop)."), AS_JSON_INTEGER]
SecondsDone = Annotated[
    StrictInt, Field(ge=0, le=24 * 3600, description="Seconds of the timeline played."), AS_JSON_INTEGER
]
SessionPlayed = Annotated[
    dict[str, Any],
    AfterValidator(_session_within_bounds),
    Field(
        description=f"The session as played: items and timeline; at most {SESSION_JSON_MAX} characters of JSON, "
        f"{SESSION_DEPTH_MAX} levels deep, numbers from -{SESSION_NUMBER_MAX} to {SESSION_NUMBER_MAX}.",
        json_schema_extra=FREE_FORM_SCHEMA,
    ),
]


def _numbers_in_range(value: dict[str, Any]) -> dict[str, Any]:
    beyond = number_beyond_range(value)
    if beyond is not None:
        raise ValueError(f"holds the number {beyond}; numbers from -{SESSION_NUMBER_MAX} to {SESSION_NUMBER_MAX}")
    return value


# What the server made and a file carries back unread (an export's week or referral): its numbers as the description
# states them, its size the file's own limit (a week of two runs a day is longer than a session).
Derived = Annotated[dict[str, Any], AfterValidator(_numbers_in_range), Field(json_schema_extra=FREE_FORM_SCHEMA)]
# Any other free-form object a client sends, held to the same rules as the session as played.
FreeForm = Annotated[dict[str, Any], AfterValidator(_session_within_bounds), Field(json_schema_extra=FREE_FORM_SCHEMA)]
Notes = Annotated[str, Field(max_length=NOTES_MAX)]
Source = Literal["web", "terminal"]


class DrillReport(BaseModel):
    """How one drill went: the dose prescribed, the sides done, a rating and the pain felt."""

    model_config = ConfigDict(extra="forbid")

    drill_id: DrillId
    amount: Amount
    sets: Sets
    sides_done: Sides = Field(default_factory=list)
    rating: Rating = Field(description="easy, ok or hard.")
    pain: Pain

    @field_validator("sides_done")
    @classmethod
    def _once_each(cls, sides: list[Side]) -> list[Side]:
        return sorted(set(sides), key=list(Side).index)


class LogPayload(BaseModel):
    """A session done, as a client saves it (POST /api/v1/logs)."""

    model_config = ConfigDict(extra="forbid")

    client_key: ClientKey
    context: Context
    planned_for: Day | None = Field(default=None, description="The day the session was planned for; default today.")
    started_at: Moment | None = None
    finished_at: Moment | None = Field(default=None, description="Default: when the server receives it.")
    seconds_done: SecondsDone = 0
    session: SessionPlayed = Field(default_factory=dict)
    drills: list[DrillReport] = Field(
        min_length=1, max_length=DRILLS_MAX, json_schema_extra=each_drill_at_most_once("drill_id")
    )
    pain: Pain | None = Field(default=None, description="Pain in the session, 0-10; default the highest.")
    notes: Notes = ""
    red_flag: StrictBool = Field(
        default=False, description="A new warning sign (groin pain when running, night pain, ...): stops the plan."
    )
    source: Source = "web"

    @field_validator("started_at", "finished_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class LogInputError(ValueError):
    """A log that cannot be saved; ``problems`` are 422 entries, each with the field's ``loc`` and a message."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem["msg"] for problem in problems))


class LogConflictError(Exception):
    """The client key was already used for a different log."""


def problem(loc: Sequence[str | int], message: str) -> dict[str, Any]:
    dotted = ".".join(str(part) for part in loc)
    return {"type": "value_error", "loc": ["body", *loc], "msg": f"{dotted}: {message}"}


def parse_log(data: Mapping[str, Any] | LogPayload) -> LogPayload:
    if isinstance(data, LogPayload):
        return data
    try:
        return LogPayload.model_validate(data)
    except ValidationError as error:
        raise LogInputError([problem(e["loc"], e["msg"]) for e in error.errors()]) from None


def repeated_drills(drill_ids: Sequence[str], passed_over: Collection[int] = ()) -> dict[int, str]:
    """A log's rule, for the log API and an import alike: each drill reported once. What is wrong with
    each repeat, by its index; the indexes ``passed_over`` (already refused otherwise) are not counted."""
    seen: dict[str, int] = {}
    repeats = {}
    for index, drill_id in enumerate(drill_ids):
        if index in passed_over:
            continue
        if drill_id in seen:
            repeats[index] = f"{drill_id!r} is already reported at drills.{seen[drill_id]}"
        else:
            seen[drill_id] = index
    return repeats


def log_time_problems(
    *, planned_for: date | None, started_at: datetime | None, finished_at: datetime, now: datetime
) -> list[tuple[str, str]]:
    """A log's rules on its times, for the log API and an import alike (each checks ``finished_at`` against
    now itself): a session starts before it finishes, and is planned for a day at most a week ahead.
    Each problem as (field, what is wrong)."""
    problems = []
    if started_at is not None and started_at > finished_at:
        problems.append(("started_at", "is after finished_at; a session starts before it finishes"))
    latest = timezone.localdate(now + CLOCK_SKEW) + timedelta(days=PLANNED_DAYS_AHEAD)
    if planned_for is not None and planned_for > latest:
        message = f"{planned_for.isoformat()} is more than a week ahead; a session is played at most a week early"
        problems.append(("planned_for", message))
    return problems


def check_log(payload: LogPayload, catalogue: Catalogue | None = None) -> None:
    """What the schema cannot check: drills of the library, each once; times in order and not ahead."""
    catalogue = catalogue or default_catalogue()
    problems: list[dict[str, Any]] = []
    ids = [report.drill_id for report in payload.drills]
    known = set(LibraryDrill.objects.filter(id__in=ids, retired=False).values_list("id", flat=True))
    unknown = {index for index, drill_id in enumerate(ids) if drill_id not in known or drill_id not in catalogue}
    repeats = repeated_drills(ids, passed_over=unknown)
    for index, drill_id in enumerate(ids):
        if index in unknown:
            problems.append(
                problem(
                    ["drills", index, "drill_id"], f"{drill_id!r} is not a drill of the library (GET /api/v1/drills)"
                )
            )
        elif index in repeats:
            problems.append(problem(["drills", index, "drill_id"], repeats[index]))
    now = clock.now()
    if payload.finished_at is not None and payload.finished_at > now + CLOCK_SKEW:
        problems.append(problem(["finished_at"], "is in the future; send when the session finished"))
    elif payload.finished_at is not None and payload.finished_at > now:
        ahead = payload.finished_at - now
        payload.finished_at = now
        if payload.started_at is not None:
            payload.started_at -= ahead
    times = log_time_problems(
        planned_for=payload.planned_for,
        started_at=payload.started_at,
        finished_at=payload.finished_at or now,
        now=now,
    )
    problems += [problem([field], message) for field, message in times]
    if problems:
        raise LogInputError(problems)


# --------------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------------
def save_log(owner: Runner, data: Mapping[str, Any] | LogPayload) -> tuple[SessionLog, bool]:
    """Save a session's log and move the progression on; a retry with the same key returns the first log.

    Returns the log and whether it was stored now. Raises :class:`LogInputError` (nothing is stored) and
    :class:`LogConflictError` (the key names a different log).
    """
    payload = parse_log(data)
    check_log(payload)
    earlier = _log_with_key(owner, payload.client_key)
    if earlier is not None:
        return _same_log(earlier, payload), False
    try:
        with transaction.atomic():
            lock_runner(owner)
            log = _store(owner, payload)
            progress_after_log(owner, log)
    except IntegrityError:
        # A retry raced this one and stored the log first: answer as the retry.
        earlier = _log_with_key(owner, payload.client_key)
        if earlier is None:
            raise
        return _same_log(earlier, payload), False
    tell(session_logged, log=log)
    return log, True


def lock_runner(owner: Runner) -> None:
    """Hold the runner's row until the transaction ends, so that one runner's writes to the log and the
    progression take turns; called first in the transaction, before any chain is locked.

    FOR NO KEY UPDATE: it waits for another save of the same runner, but not for rows merely referring to
    the runner (a screen or a token stored meanwhile). On SQLite, whose transactions take the database's
    write lock at BEGIN (settings.py), there is nothing more to do.
    """
    get_user_model().objects.select_for_update(no_key=True).filter(pk=owner.pk).first()


def _log_with_key(owner: Runner, client_key: str) -> SessionLog | None:
    return SessionLog.objects.filter(owner=owner, client_key=client_key).first()


def _store(owner: Runner, payload: LogPayload) -> SessionLog:
    fields: dict[str, Any] = {
        "owner": owner,
        "client_key": payload.client_key,
        "context": payload.context.value,
        "started_at": payload.started_at,
        "seconds_done": payload.seconds_done,
        "session": payload.session,
        "pain": payload.pain if payload.pain is not None else max(report.pain for report in payload.drills),
        "notes": payload.notes.strip(),
        "source": payload.source,
        "red_flag": payload.red_flag,
    }
    if payload.planned_for is not None:
        fields["planned_for"] = payload.planned_for
    if payload.finished_at is not None:
        fields["finished_at"] = payload.finished_at
    log = SessionLog.objects.create(**fields)
    DrillEntry.objects.bulk_create(
        DrillEntry.reported(log.pk, order, report.drill_id, report) for order, report in enumerate(payload.drills)
    )
    return log


def _fingerprint(
    context: str, drills: Iterable[tuple[str, int, int, Sequence[str], str, int]], pain: int, notes: str, red_flag: bool
) -> tuple[Any, ...]:
    return (context, tuple((d[0], d[1], d[2], tuple(sorted(d[3])), d[4], d[5]) for d in drills), pain, notes, red_flag)


def _same_log(earlier: SessionLog, payload: LogPayload) -> SessionLog:
    """The earlier log when the payload describes it; a different log under the same key is a conflict."""
    reports = [
        (r.drill_id, r.amount, r.sets, [s.value for s in r.sides_done], r.rating.value, r.pain) for r in payload.drills
    ]
    pain = payload.pain if payload.pain is not None else max(r.pain for r in payload.drills)
    sent = _fingerprint(payload.context.value, reports, pain, payload.notes.strip(), payload.red_flag)
    entries = [(e.drill_id, e.amount, e.sets, e.sides_done, e.rating, e.pain) for e in earlier.drills.all()]
    stored = _fingerprint(earlier.context, entries, earlier.pain, earlier.notes, earlier.red_flag)
    same_day = payload.planned_for is None or payload.planned_for == earlier.planned_for
    if sent != stored or not same_day:
        raise LogConflictError(
            f"client_key: already used for a different log (log {earlier.pk}, {earlier.context} on "
            f"{earlier.planned_for:%Y-%m-%d}); make a new key for a new session"
        )
    return earlier
