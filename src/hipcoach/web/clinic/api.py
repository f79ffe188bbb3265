"""The clinician's API under /api/v1/clinic/, one Router mounted once (hipcoach.web.api): their runners with adherence
and alerts, one runner's record, an alert acknowledged; the invitations (api_sharing.py) add themselves. The same
token scheme as a runner's endpoints; a runner's token is refused (403). A runner's prescription is read and
written whole (GET and PUT)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja import Path as PathParam
from ninja.errors import HttpError

from hipcoach.app.clinic.alerts import AlertError, acknowledge
from hipcoach.app.clinic.dashboard import RunnerRow, dashboard
from hipcoach.app.clinic.models import Alert, Clinician
from hipcoach.app.clinic.prescribing import PrescriptionPage
from hipcoach.app.clinic.prescribing import prescription_page as prescription_view
from hipcoach.app.clinic.prescription import PrescriptionAccessError, prescribe
from hipcoach.app.clinic.record import MeasureRow, runner_record
from hipcoach.app.clinic.sharing import clinician_of, runners_of, shared_runner
from hipcoach.app.clock import local_today
from hipcoach.core.prescription import (
    MAX_PRESCRIBED_DRILLS,
    NOTE_MAX_LENGTH,
    SESSIONS_PER_WEEK_HIGH,
    SESSIONS_PER_WEEK_LOW,
    PrescriptionError,
)
from hipcoach.web.accounts.auth import runner_auth
from hipcoach.web.api_errors import FieldProblems
from hipcoach.web.limits import KB, MAX_ID, body_limit
from hipcoach.web.plans.api import problem

router = Router(tags=["clinic"], auth=runner_auth)
RunnerId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The runner's id.")]
AlertId = Annotated[int, PathParam(ge=1, le=MAX_ID, description="The alert's id.")]
NOTE_LENGTH = Alert._meta.get_field("note").max_length or 2000
# Room for the longest note with every character written as a JSON escape pair (12 bytes), and the braces around it.
MAX_ACKNOWLEDGE_BYTES = 12 * NOTE_LENGTH + 1 * KB
# Every drill of a catalogue-sized prescription with a long note each would be megabytes; 40 drills with full notes
# written in JSON escapes, and the rest of the body, is room enough for any real prescription.
MAX_PRESCRIPTION_BYTES = 40 * 12 * NOTE_MAX_LENGTH // 4 + 16 * KB
NOT_A_CLINICIAN = "This endpoint is for the clinic's clinicians: sign in with a clinician's account or token."


def clinician_of_request(request: HttpRequest) -> Clinician:
    clinician = clinician_of(request.user)
    if clinician is None:
        raise HttpError(403, NOT_A_CLINICIAN)
    return clinician


class AlertOut(Schema):
    id: int
    runner: int
    kind: str
    day: date
    message: str
    acknowledged_at: datetime | None
    acknowledged_by: str
    note: str


def alert_out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.pk, runner=alert.runner_id, kind=alert.kind, day=alert.day, message=alert.message,
        acknowledged_at=alert.acknowledged_at, acknowledged_by=alert.acknowledged_by_name, note=alert.note,
    )  # fmt: skip


class LastSessionOut(Schema):
    day: date
    context: str
    pain: int


class ClientOut(Schema):
    id: int
    email: str
    sharing_since: date
    sessions_planned: int
    sessions_done: int
    adherence_percent: int | None
    pain_recent: float | None
    pain_before: float | None
    pain_trend: str
    last_session: LastSessionOut | None
    referral: str
    open_alerts: int


class ClientsOut(Schema):
    clients: list[ClientOut]
    alerts: list[AlertOut]


def client_out(row: RunnerRow) -> ClientOut:
    last = None if row.last is None else LastSessionOut(day=row.last.day, context=row.last.context, pain=row.last.pain)
    return ClientOut(
        id=row.id, email=row.email, sharing_since=row.since, sessions_planned=row.planned, sessions_done=row.done,
        adherence_percent=row.adherence, pain_recent=row.pain_recent, pain_before=row.pain_before,
        pain_trend=row.trend, last_session=last, referral=row.referral, open_alerts=row.open_alerts,
    )  # fmt: skip


@router.get(
    "/clients",
    response={200: ClientsOut, 403: dict[str, str]},
    summary="Your runners: adherence over 4 weeks, pain trend, last session, referral; open alerts first",
)
def list_clients(request: HttpRequest) -> ClientsOut:
    board = dashboard(clinician_of_request(request), local_today())
    return ClientsOut(clients=[client_out(row) for row in board.runners], alerts=[alert_out(a) for a in board.alerts])


class MeasureOut(Schema):
    measure: str
    side: str
    unit: str
    values: list[float | None]
    verdict: str


class SessionOut(Schema):
    id: int
    day: str
    context: str
    pain: int
    next_morning: str
    warning_sign: bool


class RecordOut(Schema):
    id: int
    email: str
    screens: list[datetime]
    measures: list[MeasureOut]
    sessions: list[SessionOut]
    alerts: list[AlertOut]


def measure_out(row: MeasureRow) -> MeasureOut:
    return MeasureOut(
        measure=row.series.measure, side=row.series.side_name, unit=row.series.unit,
        values=[float(value) if value else None for value in row.values], verdict=row.series.verdict,
    )  # fmt: skip


@router.get(
    "/clients/{runner_id}",
    response={200: RecordOut, 403: dict[str, str], 404: dict[str, str]},
    summary="One runner's record: screens side by side, sessions, alerts",
)
def get_client(request: HttpRequest, runner_id: RunnerId) -> RecordOut:
    runner = shared_runner(clinician_of_request(request), runner_id)
    if runner is None:
        raise HttpError(404, f"No runner of yours with id {runner_id}: they may have stopped sharing.")
    record = runner_record(runner)
    measures = [measure_out(row) for row in record.measures]
    sessions = [
        SessionOut(
            id=s.id, day=s.day, context=s.context, pain=s.pain, next_morning=s.morning, warning_sign=s.warning_sign
        )
        for s in record.sessions
    ]
    return RecordOut(
        id=runner.pk, email=runner.email, screens=record.screens, measures=measures, sessions=sessions,
        alerts=[alert_out(alert) for alert in record.alerts],
    )  # fmt: skip


class AcknowledgeIn(Schema):
    note: str = Field(max_length=NOTE_LENGTH, description="What you did about it.")


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response={200: AlertOut, 403: dict[str, str], 404: dict[str, str], 422: dict[str, Any]},
    summary="Acknowledge an alert with a note (what you did); again keeps the first",
)
@body_limit(MAX_ACKNOWLEDGE_BYTES)
def acknowledge_alert(request: HttpRequest, alert_id: AlertId, payload: AcknowledgeIn) -> AlertOut:
    clinician = clinician_of_request(request)
    mine = [runner.pk for runner in runners_of(clinician)]
    try:
        return alert_out(acknowledge(clinician, alert_id, payload.note, mine))
    except AlertError as error:
        field, _, _ = str(error).partition(":")
        if field == "alert":
            raise HttpError(404, str(error)) from None
        raise HttpError(422, str(error)) from None


class DrillPrescriptionBody(Schema):
    drill_id: str = Field(max_length=64, description="A drill of the catalogue (GET /api/v1/drills).")
    pinned: bool = Field(default=False, description="In every session whose context it belongs to.")
    removed: bool = Field(default=False, description="Never chosen.")
    sets: int | None = Field(default=None, ge=1, le=10, description="Sets; within the drill's range.")
    amount: int | None = Field(default=None, ge=1, le=600, description="Reps or seconds per set, the drill's unit.")
    locked: bool = Field(default=False, description="The dose does not progress.")
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH, description="Shown to the runner with the drill.")


class PrescriptionIn(Schema):
    sessions_per_week: int | None = Field(
        default=None, ge=SESSIONS_PER_WEEK_LOW, le=SESSIONS_PER_WEEK_HIGH, description="Recovery sessions a week."
    )
    drills: list[DrillPrescriptionBody] = Field(default_factory=list, max_length=MAX_PRESCRIBED_DRILLS)


class PrescriptionOut(Schema):
    runner: int
    prescribed_by: str | None
    prescribed_on: date | None
    applies: bool = Field(description="Whether the runner's plan follows it now (its clinician's link is sharing).")
    sessions_per_week: int | None
    drills: list[DrillPrescriptionBody]
    not_given: dict[str, str] = Field(description="Why a prescribed drill is not given (the runner's precautions).")


def prescription_out(page: PrescriptionPage) -> PrescriptionOut:
    row = page.row
    content: dict[str, Any] = row.content if row is not None else {}
    return PrescriptionOut(
        runner=page.runner.pk,
        prescribed_by=row.clinician_name if row is not None else None,
        prescribed_on=timezone.localdate(row.created_at) if row is not None else None,
        applies=page.current is not None,
        sessions_per_week=content.get("sessions_per_week"),
        drills=[DrillPrescriptionBody(**drill) for drill in content.get("drills", [])],
        not_given={item.drill_id: item.blocked for item in page.rows if item.blocked},
    )


def _prescription_page(request: HttpRequest, runner_id: int) -> tuple[Clinician, PrescriptionPage]:
    clinician = clinician_of_request(request)
    try:
        return clinician, prescription_view(clinician, runner_id)
    except PrescriptionAccessError:
        raise HttpError(404, f"No runner of yours with id {runner_id}: they may have stopped sharing.") from None


@router.get(
    "/clients/{runner_id}/prescription",
    response={200: PrescriptionOut, 403: dict[str, str], 404: dict[str, str]},
    summary="One runner's prescription: pinned and removed drills, doses, locks, notes, sessions a week",
)
def get_prescription(request: HttpRequest, runner_id: RunnerId) -> PrescriptionOut:
    return prescription_out(_prescription_page(request, runner_id)[1])


@router.put(
    "/clients/{runner_id}/prescription",
    response={200: PrescriptionOut, 403: dict[str, str], 404: dict[str, str], 422: FieldProblems},
    summary="Write the runner's prescription (the whole of it); the same body again changes nothing",
)
@body_limit(MAX_PRESCRIPTION_BYTES)
def put_prescription(request: HttpRequest, runner_id: RunnerId, payload: PrescriptionIn) -> Status[Any]:
    clinician = clinician_of_request(request)
    try:
        prescribe(clinician, runner_id, payload.model_dump())
    except PrescriptionAccessError:
        raise HttpError(404, f"No runner of yours with id {runner_id}: they may have stopped sharing.") from None
    except PrescriptionError as error:
        return problem(error.field, str(error))
    return Status(200, prescription_out(_prescription_page(request, runner_id)[1]))


def _add_operations() -> None:
    """The clinic's other operations are written beside their pages and add themselves to this router."""
    from hipcoach.web.clinic import api_requests, api_sharing  # noqa: F401  (importing adds their operations)


_add_operations()
