"""POST/GET /api/v1/logs and POST /api/v1/logs/{id}/morning: the runner's session log, by token or session."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja import Path as PathParam
from pydantic import StrictBool

from hipcoach.app.training.history import log_data, logs_of
from hipcoach.app.training.log import LogConflictError, LogInputError, LogPayload, save_log
from hipcoach.app.training.models import SessionLog
from hipcoach.app.training.morning import MorningCheckError, answer_morning
from hipcoach.web.api_errors import ErrorMessage, FieldProblems
from hipcoach.web.limits import KB, MAX_ID, body_limit
from hipcoach.web.runner import runner_of
from hipcoach.web.training.api import router


class DrillDone(Schema):
    drill_id: str
    name: str
    amount: int
    sets: int
    sides_done: list[str]
    rating: str
    pain: int


class MorningAnswer(Schema):
    worse: StrictBool = Field(description="Pain or stiffness worse this morning than before the session.")


class MorningCheckOut(Schema):
    worse: bool
    answered_at: datetime


class Change(Schema):
    drill_id: str
    action: str = Field(description="raise-dose, progress, step-back-dose, step-back-drill, stop or keep (flagged).")
    reason: str
    at: datetime
    after: dict[str, Any] | None = Field(description="The new prescription; null when the plan stopped.")


class LogOut(Schema):
    id: int
    client_key: str
    context: str
    planned_for: date
    started_at: datetime | None
    finished_at: datetime
    seconds_done: int
    minutes: float
    pain: int
    notes: str
    source: str
    red_flag: bool
    advice: list[str] = Field(description="What to do now, e.g. see a clinician after a new warning sign.")
    drills: list[DrillDone]
    morning_check: MorningCheckOut | None
    changes: list[Change] = Field(description="What this session (and its morning check) changed, with reasons.")


class LogDetail(LogOut):
    session: dict[str, Any]


LogId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The log's id.")]


def _own_log(request: HttpRequest, log_id: int) -> SessionLog | None:
    return logs_of(runner_of(request)).filter(pk=log_id).first()


NOT_FOUND = "No such log among yours."
# A log's session as played is at most SESSION_JSON_MAX characters of JSON; the rest of a log is small.
MAX_LOG_BYTES = 256 * KB
MAX_MORNING_BYTES = 1 * KB
PAGE_SIZE = 20
# Ten sessions a day for a hundred years is under 400,000 logs.
MAX_OFFSET = 1_000_000
MAX_PAGE_SIZE = 100


@router.post(
    "/logs",
    tags=["logs"],
    response={201: LogOut, 200: LogOut, 409: ErrorMessage, 422: FieldProblems},
    summary="Save a session done (idempotent by client_key)",
    description=(
        "201 stores the log and moves each drill's progression on; 200 returns the same log again for a "
        "retry with the same client_key; 409 when that key was used for a different log; 422 names each "
        "invalid field."
    ),
)
@body_limit(MAX_LOG_BYTES)
def create_log(request: HttpRequest, payload: LogPayload) -> Status[Any]:
    try:
        log, created = save_log(runner_of(request), payload)
    except LogInputError as error:
        return Status(422, {"detail": error.problems})
    except LogConflictError as error:
        return Status(409, {"detail": str(error)})
    return Status(201 if created else 200, log_data(log))


class PageQuery(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Logs per page, 1-{MAX_PAGE_SIZE}.")
    # Bounded so that the database can take it: an offset past 2**63 failed the server.
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"How many of the newest logs to skip, 0-{MAX_OFFSET:,}.")


class LogPage(Schema):
    count: int = Field(description="How many logs you have in all.")
    limit: int
    offset: int
    items: list[LogOut]


@router.get(
    "/logs",
    tags=["logs"],
    response={200: LogPage, 422: FieldProblems},
    summary="Your logs, newest first, a page at a time",
)
def list_logs(request: HttpRequest, page: Query[PageQuery]) -> Status[Any]:
    logs = logs_of(runner_of(request))
    items = [log_data(log) for log in logs[page.offset : page.offset + page.limit]]
    return Status(200, {"count": logs.count(), "limit": page.limit, "offset": page.offset, "items": items})


@router.get(
    "/logs/{log_id}",
    tags=["logs"],
    response={200: LogDetail, 404: ErrorMessage},
    summary="One of your logs, with the session",
)
def get_log(request: HttpRequest, log_id: LogId) -> Status[Any]:
    log = _own_log(request, log_id)
    if log is None:
        return Status(404, {"detail": NOT_FOUND})
    return Status(200, log_data(log, with_session=True))


@router.post(
    "/logs/{log_id}/morning",
    tags=["logs"],
    response={201: LogOut, 200: LogOut, 404: ErrorMessage, 409: ErrorMessage, 422: FieldProblems},
    summary="The next morning: is pain or stiffness worse?",
    description=(
        "Open from 04:00 on the day after the session until that day ends. worse=true steps each drill of "
        "the session back one level and flags it (pain-monitoring model). Answering again the same way returns 200 "
        "and changes nothing; a different second answer is 409."
    ),
)
@body_limit(MAX_MORNING_BYTES)
def morning(request: HttpRequest, log_id: LogId, payload: MorningAnswer) -> Status[Any]:
    if _own_log(request, log_id) is None:
        return Status(404, {"detail": NOT_FOUND})
    try:
        log, created = answer_morning(runner_of(request), log_id, payload.worse)
    except MorningCheckError as error:
        return Status(409, {"detail": str(error)})
    log = logs_of(runner_of(request)).get(pk=log.pk)
    return Status(201 if created else 200, log_data(log))
