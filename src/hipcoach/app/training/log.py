"""Saving a session's log, moving each drill's progression on from it, and the next morning's check.

The web player, the API and the terminal player all save through :func:`save_log`, so a session played
anywhere shows everywhere and moves the same progression.

**Idempotency.** The client makes a key when the session starts (``client_key``). A retried or
duplicated save with that key returns the first log (``created`` is False) and changes nothing; the
unique constraint (owner, client_key) settles racing retries. The same key with a different log is a
:class:`LogConflictError` (409 in the API).

**Progression.** After each new log, for every progression chain the session touched, the runner's
:class:`~hipcoach.app.training.models.ProgressionState` of that chain (named by its first drill) goes
through the core's :func:`~hipcoach.core.progression.next_prescription` with the logs since the chain
last changed of its current drill and of the drills before it (a strength session's lead-in, read for pain
only: pain above 5/10 on one steps the chain back below it); every change (and every stop) is kept as a
:class:`~hipcoach.app.training.models.ProgressionEvent` with its reason. A session steps a chain back at
most once: its morning check does not step back again a chain the session's own pain already stepped back.

**Concurrency.** Each save and each morning answer first locks the runner (:func:`lock_runner`), then the
chains its drills touch. Two devices saving at once then take their turns: without it, two sessions with
the same drills in opposite order locked the chains in opposite order and PostgreSQL ended one in a
deadlock, losing its log.

**Red flag.** A new warning sign reported after a session stops the plan (REFERENCE.md section 6): the
log keeps ``red_flag=True`` and :func:`open_red_flag` finds it until the runner takes the screen again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet
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

from hipcoach.app.library.models import Drill as LibraryDrill
from hipcoach.app.schema import component_reference
from hipcoach.app.screens.models import Screen
from hipcoach.app.training.models import (
    DrillEntry,
    MorningCheck,
    ProgressionEvent,
    ProgressionState,
    SessionLog,
)
from hipcoach.core import clock
from hipcoach.core._model import AS_JSON_INTEGER
from hipcoach.core.catalogue import Catalogue, default_catalogue
from hipcoach.core.limits import EARLIEST_DAY, EARLIEST_MOMENT, depth_of, value_problems
from hipcoach.core.planner import Context
from hipcoach.core.progression import (
    Action,
    Decision,
    DoseState,
    DrillLog,
    Rating,
    already_stepped_back,
    next_prescription,
)
from hipcoach.core.safety import RedFlag
from hipcoach.core.timeline import SessionItem
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
# The morning check opens at 04:00 local time on the day after the session and closes at the end of that day
# (REFERENCE.md section 5: pain and stiffness must settle by the next morning).
MORNING_OPENS = time(4, 0)
# A phone clock up to a day fast is not a session in the future: the session finished by the time its log
# arrives, so its times are moved back to then (check_log). Further ahead, the log is refused.
CLOCK_SKEW = timedelta(days=1)
# A session is played at most a week before the day it is planned for (the player's window); a log planned
# for later than that, counted from the server's date a CLOCK_SKEW ahead, is refused.
PLANNED_DAYS_AHEAD = 7

RED_FLAG_SIGNS = [
    flag.label
    for flag in (
        RedFlag.GROIN_PAIN_RUNNING,
        RedFlag.PAIN_ON_HOPPING,
        RedFlag.NIGHT_PAIN,
        RedFlag.LIMP,
        RedFlag.PAINFUL_LIMITED_IR,
        RedFlag.FEVER_OR_UNWELL,
    )
]
RED_FLAG_ADVICE = (
    "You reported a new warning sign. Stop training your hips on your own and see a clinician; "
    "groin or front-thigh pain when running, pain on hopping, a limp or night pain means today, and no running. "
    "Once a clinician has cleared you, take the hip screen again to unlock your plan."
)


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


class MorningCheckError(Exception):
    """The morning check cannot be answered now (too early, too late, or answered otherwise already)."""


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


def save_log(owner: AbstractBaseUser, data: Mapping[str, Any] | LogPayload) -> tuple[SessionLog, bool]:
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
    return log, True


def lock_runner(owner: AbstractBaseUser) -> None:
    """Hold the runner's row until the transaction ends, so that one runner's writes to the log and the
    progression take turns; called first in the transaction, before any chain is locked.

    FOR NO KEY UPDATE: it waits for another save of the same runner, but not for rows merely referring to
    the runner (a screen or a token stored meanwhile). On SQLite, whose transactions take the database's
    write lock at BEGIN (settings.py), there is nothing more to do.
    """
    get_user_model().objects.select_for_update(no_key=True).filter(pk=owner.pk).first()


def _log_with_key(owner: AbstractBaseUser, client_key: str) -> SessionLog | None:
    return SessionLog.objects.filter(owner=owner, client_key=client_key).first()


def _store(owner: AbstractBaseUser, payload: LogPayload) -> SessionLog:
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
        DrillEntry(
            log=log,
            order=order,
            drill_id=report.drill_id,
            amount=report.amount,
            sets=report.sets,
            sides_done=[side.value for side in report.sides_done],
            rating=report.rating.value,
            pain=report.pain,
        )
        for order, report in enumerate(payload.drills)
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


# --------------------------------------------------------------------------------------------------
# Progression
# --------------------------------------------------------------------------------------------------


@dataclass
class _Chain:
    start: str
    ids: list[str]
    entries: list[DrillEntry]


def _chains(entries: Iterable[DrillEntry], catalogue: Catalogue) -> list[_Chain]:
    chains: dict[str, _Chain] = {}
    for entry in entries:
        if entry.drill_id not in catalogue:
            continue  # a drill that left the catalogue keeps its log but has no progression
        ids = [drill.id for drill in catalogue.progression_chain(entry.drill_id)]
        chains.setdefault(ids[0], _Chain(ids[0], ids, [])).entries.append(entry)
    return list(chains.values())


def _locked_state(owner: AbstractBaseUser, chain: _Chain) -> ProgressionState | None:
    return ProgressionState.objects.select_for_update().filter(owner=owner, chain_start=chain.start).first()


def _furthest(chain: _Chain) -> DrillEntry:
    """The session's furthest drill of the chain: the runner's place in it when they have no state yet."""
    return max(chain.entries, key=lambda entry: chain.ids.index(entry.drill_id))


def _place(chain: _Chain, state: DoseState | None) -> DoseState:
    """Where the runner stands in the chain: their state, or else the furthest drill done, as it was done."""
    if state is not None:
        return state
    furthest = _furthest(chain)
    return DoseState(drill_id=furthest.drill_id, amount=furthest.amount, sets=furthest.sets)


def _read(chain: _Chain, place: DoseState) -> list[str]:
    """The drills whose logs the core reads for the chain: the runner's drill and the ones before it.

    The ones before it are a strength session's lead-in up the chain (or a preset that walks it): their
    pain counts, REFERENCE.md section 5. The ones after it come from a session planned before the chain
    stepped back, and are passed over.
    """
    return chain.ids[: chain.ids.index(place.drill_id) + 1]


def _morning_worse(log: SessionLog) -> bool:
    try:
        return log.morning_check.worse
    except MorningCheck.DoesNotExist:
        return False


def _history(owner: AbstractBaseUser, drill_ids: Sequence[str], chain: _Chain) -> list[DrillLog]:
    """The logs of these drills (the chain's current one and its lead-ins) since the chain last changed,
    oldest first, with the next morning's answer.

    Logs from before the last change are left out, so that a dose stepped back to one the runner did
    weeks ago starts its count of easy sessions again, and a lead-in that hurt steps the chain back once.
    """
    entries = DrillEntry.objects.filter(log__owner=owner, drill_id__in=drill_ids).select_related("log__morning_check")
    changes = ProgressionEvent.objects.filter(owner=owner, drill_id__in=chain.ids).exclude(action=Action.STOP.value)
    last = changes.order_by("-at", "-id").first()
    if last is not None:
        # After the newest log a change acted on, not the latest change's log: a morning check acts on an
        # earlier session once later ones are saved, and the core reads the pain of every log it is given,
        # so a log already acted on must not be given again.
        acted_on = changes.aggregate(newest=Max("log_id"))["newest"] if last.log_id else None
        entries = entries.filter(log_id__gt=acted_on) if acted_on else entries.filter(log__finished_at__gt=last.at)
    ordered = entries.order_by("log_id", "order")
    return [entry.to_core(next_morning_worse=_morning_worse(entry.log)) for entry in ordered]


def _record(
    owner: AbstractBaseUser,
    log: SessionLog,
    *,
    row: ProgressionState | None,
    chain: _Chain,
    before: DoseState,
    decision: Decision,
    at: datetime | None = None,
) -> ProgressionEvent | None:
    """Store the decision's state and, when something changed or stopped, an event with its reason.

    A stop (red flag) leaves the state as it was, for when a clinician has cleared the runner.
    """
    after = decision.new_state
    if after is not None and (row is None or after != before):
        if row is None:
            row, _ = ProgressionState.objects.get_or_create(
                owner=owner, chain_start=chain.start, defaults={"state": ProgressionState.state_from_core(after)}
            )
        row.state = ProgressionState.state_from_core(after)
        row.save()
    if decision.action is Action.KEEP and after == before:
        return None
    return ProgressionEvent.objects.create(
        owner=owner,
        log=log,
        at=at or clock.now(),
        drill_id=before.drill_id,
        action=decision.action.value,
        reason=decision.reason,
        before=ProgressionState.state_from_core(before),
        after=ProgressionState.state_from_core(after) if after is not None else None,
    )


def progress_after_log(owner: AbstractBaseUser, log: SessionLog) -> list[ProgressionEvent]:
    """Run the core's progression for every chain the log touched; called inside the log's transaction."""
    catalogue = default_catalogue()
    events: list[ProgressionEvent] = []
    for chain in _chains(log.drills.all(), catalogue):
        row = _locked_state(owner, chain)
        before = _place(chain, row.to_core() if row is not None else None)
        if before.drill_id not in chain.ids:
            continue  # a state of a drill that left the catalogue: nothing to move on from
        read = _read(chain, before)
        done = [entry for entry in chain.entries if entry.drill_id in read]
        if not done:
            continue  # only drills past the runner's place: a session planned before the chain stepped back
        logs = _history(owner, read, chain)
        if log.red_flag:
            logs = [*logs, done[-1].to_core().model_copy(update={"red_flag": True})]
        decision = next_prescription(catalogue.get(before.drill_id), before, logs, catalogue)
        event = _record(owner, log, row=row, chain=chain, before=before, decision=decision)
        if event is not None:
            events.append(event)
    return events


# --------------------------------------------------------------------------------------------------
# The morning check
# --------------------------------------------------------------------------------------------------


def morning_window(log: SessionLog) -> tuple[datetime, datetime]:
    """When the morning check of a log can be answered: from 04:00 the day after until that day ends."""
    day = timezone.localtime(log.finished_at).date() + timedelta(days=1)
    zone = timezone.get_current_timezone()
    opens = datetime.combine(day, MORNING_OPENS, tzinfo=zone)
    closes = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
    return opens, closes


def morning_checks_due(owner: AbstractBaseUser, now: datetime | None = None) -> list[SessionLog]:
    """The runner's logs whose morning check is open now and not yet answered (yesterday's sessions)."""
    now = now or clock.now()
    yesterday = timezone.localtime(now).date() - timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(yesterday, time(0, 0), tzinfo=zone)
    candidates = logs_of(owner).filter(finished_at__gte=start, finished_at__lt=start + timedelta(days=1))
    return [log for log in candidates.filter(morning_check__isnull=True) if morning_window(log)[0] <= now]


def answer_morning(
    owner: AbstractBaseUser, log_id: int, worse: bool, now: datetime | None = None
) -> tuple[SessionLog, bool]:
    """Record the next morning's answer; "worse" steps each chain of the session back one level and flags it.

    Answering again the same way changes nothing (``created`` is False). Raises ``SessionLog.DoesNotExist``
    for a log that is not the runner's and :class:`MorningCheckError` outside the window or for a
    different second answer.
    """
    log = logs_of(owner).get(pk=log_id)
    earlier = MorningCheck.objects.filter(log=log).first()
    if earlier is not None:
        return _same_answer(log, earlier, worse), False
    now = now or clock.now()
    opens, closes = morning_window(log)
    if now < opens:
        raise MorningCheckError(
            f"The morning check for this session opens at {timezone.localtime(opens):%H:%M on %A %d %B}: "
            "pain and stiffness are judged the next morning."
        )
    if now >= closes:
        raise MorningCheckError(
            f"The morning check for this session closed at the end of {timezone.localtime(opens):%A %d %B}."
        )
    try:
        with transaction.atomic():
            lock_runner(owner)
            MorningCheck.objects.create(log=log, worse=worse, answered_at=now)
            if worse:
                _step_back_after_morning(owner, log, now)
    except IntegrityError:
        earlier = MorningCheck.objects.filter(log=log).first()
        if earlier is None:
            raise
        return _same_answer(log, earlier, worse), False
    return log, True


def _same_answer(log: SessionLog, earlier: MorningCheck, worse: bool) -> SessionLog:
    if earlier.worse != worse:
        said = "worse" if earlier.worse else "not worse"
        raise MorningCheckError(f"The morning check for this session was already answered: {said}.")
    return log


# What a session did to a chain when its own pain brought the load down (a flagged keep is the step back
# at the lowest dose of a chain's start).
_STEPPED_BACK = (Action.STEP_BACK_DOSE.value, Action.STEP_BACK_DRILL.value, Action.KEEP.value)


def _stepped_back_by(owner: AbstractBaseUser, log: SessionLog, chain: _Chain) -> bool:
    """Whether saving ``log`` already stepped the chain back (pain above 5/10 on a drill of it)."""
    events = ProgressionEvent.objects.filter(owner=owner, log=log, drill_id__in=chain.ids, action__in=_STEPPED_BACK)
    return bool(events.exists())


def _step_back_after_morning(owner: AbstractBaseUser, log: SessionLog, now: datetime) -> None:
    """REFERENCE.md section 5: worse the next morning, reduce the load: each chain the session touched
    steps back one level from where it stands now (the session may already have raised it).

    A chain the session's own pain already stepped back (on its drill or on a lead-in) is not stepped back
    again: one session reduces the load once, as in the core, where one log with pain above 5/10 and a
    worse morning steps back once; the morning's answer is kept as a reason.
    """
    catalogue = default_catalogue()
    for chain in _chains(log.drills.all(), catalogue):
        row = _locked_state(owner, chain)
        furthest = _furthest(chain)
        before = _place(chain, row.to_core() if row is not None else None)
        if _stepped_back_by(owner, log, chain):
            once = already_stepped_back(catalogue.get(before.drill_id), before)
            _record(owner, log, row=row, chain=chain, before=before, decision=once, at=now)
            continue
        entry = next((e for e in chain.entries if e.drill_id == before.drill_id), furthest)
        worse = DrillLog(
            drill_id=before.drill_id,
            amount=before.amount,
            sets=before.sets,
            sides_done=entry.sides_done,
            rating=Rating(entry.rating),
            pain=entry.pain,
            next_morning_worse=True,
        )
        decision = next_prescription(catalogue.get(before.drill_id), before, [worse], catalogue)
        _record(owner, log, row=row, chain=chain, before=before, decision=decision, at=now)


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def logs_of(owner: AbstractBaseUser) -> QuerySet[SessionLog]:
    """The runner's logs, newest first: the one permission rule for logs."""
    entries = DrillEntry.objects.select_related("drill").order_by("order")
    return (
        SessionLog.objects.filter(owner=owner)
        .select_related("morning_check")
        .prefetch_related(Prefetch("drills", queryset=entries))
        .order_by("-finished_at", "-id")
    )


def open_red_flag(owner: AbstractBaseUser) -> SessionLog | None:
    """The latest log that reported a new warning sign, unless the runner has taken the screen since."""
    flagged = logs_of(owner).filter(red_flag=True).first()
    if flagged is None:
        return None
    if Screen.objects.filter(owner=owner, taken_at__gt=flagged.finished_at).exists():
        return None
    return flagged


def log_data(log: SessionLog, *, with_session: bool = False) -> dict[str, Any]:
    """The log as plain data: what the API returns and ``hipcoach history --json`` prints."""
    try:
        check: dict[str, Any] | None = {"worse": log.morning_check.worse, "answered_at": log.morning_check.answered_at}
    except MorningCheck.DoesNotExist:
        check = None
    events = ProgressionEvent.objects.filter(log=log).order_by("at", "id")
    data: dict[str, Any] = {
        "id": log.pk,
        "client_key": log.client_key,
        "context": log.context,
        "planned_for": log.planned_for,
        "started_at": log.started_at,
        "finished_at": log.finished_at,
        "seconds_done": log.seconds_done,
        "minutes": round(log.seconds_done / 60, 1),
        "pain": log.pain,
        "notes": log.notes,
        "source": log.source,
        "red_flag": log.red_flag,
        "advice": [RED_FLAG_ADVICE] if log.red_flag else [],
        "drills": [
            {
                "drill_id": entry.drill_id,
                "name": entry.drill.name,
                "amount": entry.amount,
                "sets": entry.sets,
                "sides_done": entry.sides_done,
                "rating": entry.rating,
                "pain": entry.pain,
            }
            for entry in log.drills.all()
        ],
        "morning_check": check,
        "changes": [
            {"drill_id": e.drill_id, "action": e.action, "reason": e.reason, "at": e.at, "after": e.after}
            for e in events
        ],
    }
    if with_session:
        data["session"] = log.session
    return data


# --------------------------------------------------------------------------------------------------
# The session as played (the sessions themselves come from training/today.py, as Today shows them)
# --------------------------------------------------------------------------------------------------


def prescribed(item: SessionItem) -> tuple[int, int]:
    """The dose a drill's log records: the base side's (the tighter side may get an extra set or more)."""
    base = min(item.doses, key=lambda dose: (dose.sets, dose.amount))
    return base.amount, base.sets
