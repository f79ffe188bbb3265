"""The clinician's API under /api/v1/clinic/, one Router mounted once (hipcoach.web.api): their runners with adherence
and alerts, one runner's record, an alert acknowledged, the clinician's own measurement and clearance; the invitations
(api_sharing.py) add themselves. The same token scheme as a runner's endpoints; a runner's token is refused (403). A
runner's prescription is read and written whole (GET and PUT)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja import Path as PathParam
from ninja.errors import HttpError
from pydantic import BaseModel

from hipcoach.app.clinic.alerts import AlertError, acknowledge
from hipcoach.app.clinic.clearances import ClearanceError, give_clearance
from hipcoach.app.clinic.dashboard import RunnerRow, dashboard
from hipcoach.app.clinic.measures import MeasurementError, add_measurement
from hipcoach.app.clinic.models import TEXT_LENGTH, Alert, Clearance, Clinician, Measurement
from hipcoach.app.clinic.prescribing import PrescriptionPage
from hipcoach.app.clinic.prescribing import prescription_page as prescription_view
from hipcoach.app.clinic.prescription import PrescriptionAccessError, prescribe
from hipcoach.app.clinic.record import MeasureRow, runner_record
from hipcoach.app.clinic.sharing import clinician_of, runners_of, shared_runner
from hipcoach.app.clock import local_today
from hipcoach.core.clearance import ClearanceKind
from hipcoach.core.prescription import (
    MAX_PRESCRIBED_DRILLS,
    NOTE_MAX_LENGTH,
    SESSIONS_PER_WEEK_HIGH,
    SESSIONS_PER_WEEK_LOW,
    PrescriptionError,
)
from hipcoach.core.screen import CLINICIAN_MEASURES, POSITION_LENGTH, Instrument
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


class Out(BaseModel):
    """An answer built field by field here: plain pydantic, without ninja's reading of Django objects (a Schema wraps
    every nested model's input to read it like an object, a cost the dashboard's hundreds of runners feel)."""


class AlertOut(Out):
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


class LastSessionOut(Out):
    day: date
    context: str
    pain: int


class ClientOut(Out):
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


class ClientsOut(Out):
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


class MeasurementOut(Schema):
    id: int
    measure: str
    side: str
    value: float
    unit: str
    instrument: str
    position: str
    measured_on: date
    note: str
    measured_by: str
    clinician_measured: bool = True


class ClinicianSeriesOut(Schema):
    measure: str
    side: str
    unit: str
    instrument: str
    position: str
    days: list[date]
    values: list[float]
    change: float | None
    verdict: str


class ClearanceOut(Schema):
    id: int
    kind: str
    cleared_on: date
    note: str
    cleared_by: str
    given_at: datetime
    line: str


class RecordOut(Schema):
    id: int
    email: str
    screens: list[datetime]
    measures: list[MeasureOut]
    clinician_measurements: list[MeasurementOut]
    clinician_series: list[ClinicianSeriesOut]
    clearances: list[ClearanceOut]
    to_clear: dict[str, str]
    sessions: list[SessionOut]
    alerts: list[AlertOut]


def measurement_out(one: Measurement) -> MeasurementOut:
    return MeasurementOut(
        id=one.pk, measure=one.measure, side=one.side, value=one.value, unit=CLINICIAN_MEASURES[one.measure].unit,
        instrument=one.instrument, position=one.position, measured_on=one.measured_on, note=one.note,
        measured_by=one.clinician_name,
    )  # fmt: skip


def clearance_out(one: Clearance) -> ClearanceOut:
    return ClearanceOut(
        id=one.pk, kind=one.kind, cleared_on=one.cleared_on, note=one.note, cleared_by=one.clinician_name,
        given_at=one.given_at, line=one.to_core().line,
    )  # fmt: skip


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
    series = [
        ClinicianSeriesOut(
            measure=row.series.measure,
            side=row.series.side,
            unit=row.series.unit,
            instrument=row.series.instrument,
            position=row.series.position,
            days=[point.measured_on for point in row.series.points],
            values=[point.value for point in row.series.points],
            change=row.series.change,
            verdict=row.series.verdict,
        )
        for row in record.clinician_measures
    ]
    return RecordOut(
        id=runner.pk, email=runner.email, screens=record.screens, measures=measures, sessions=sessions,
        clinician_measurements=[measurement_out(one) for one in record.measurements], clinician_series=series,
        clearances=[clearance_out(one) for one in record.clearances],
        to_clear={kind.value: why for kind, why in record.to_clear.items()},
        alerts=[alert_out(alert) for alert in record.alerts],
    )  # fmt: skip


def shared_or_404(request: HttpRequest, runner_id: int) -> tuple[Clinician, Any]:
    clinician = clinician_of_request(request)
    runner = shared_runner(clinician, runner_id)
    if runner is None:
        raise HttpError(404, f"No runner of yours with id {runner_id}: they may have stopped sharing.")
    return clinician, runner


# Room for the longest note and position written as JSON escapes, and the other fields.
MAX_CLINICAL_BYTES = 12 * (TEXT_LENGTH + POSITION_LENGTH) + 1 * KB
MEASURE_NAME_LENGTH = max(len(path) for path in CLINICIAN_MEASURES)


class MeasurementIn(Schema):
    measure: str = Field(
        max_length=MEASURE_NAME_LENGTH, description="The screen measure: " + ", ".join(CLINICIAN_MEASURES) + "."
    )
    side: Literal["left", "right"]
    value: float = Field(ge=0, le=max(spec.high for spec in CLINICIAN_MEASURES.values()),
                         description="In the measure's unit, within the screen's bounds for that measure.")  # fmt: skip
    instrument: Instrument = Field(description="goniometer or inclinometer for angles, tape for distances.")
    position: str = Field(min_length=1, max_length=POSITION_LENGTH, description="e.g. 'prone, knee at 90°'.")
    measured_on: date
    note: str = Field(default="", max_length=TEXT_LENGTH)


@router.post(
    "/clients/{runner_id}/measurements",
    response={201: MeasurementOut, 403: dict[str, str], 404: dict[str, str], 422: dict[str, Any]},
    summary="Add your own measurement of a screen measure (clinician-measured, with instrument and position)",
)
@body_limit(MAX_CLINICAL_BYTES)
def add_client_measurement(request: HttpRequest, runner_id: RunnerId, payload: MeasurementIn) -> Status[MeasurementOut]:
    clinician, runner = shared_or_404(request, runner_id)
    try:
        saved = add_measurement(clinician, runner, **payload.dict())
    except MeasurementError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, measurement_out(saved))


class ClearanceIn(Schema):
    kind: ClearanceKind = Field(
        description="referral: the plan unlocks; hip-precautions: the hip replacement's lifted."
    )
    cleared_on: date = Field(description="The day you cleared the runner: today or before.")
    note: str = Field(min_length=1, max_length=TEXT_LENGTH, description="Shown to the runner.")


@router.post(
    "/clients/{runner_id}/clearances",
    response={201: ClearanceOut, 403: dict[str, str], 404: dict[str, str], 422: dict[str, Any]},
    summary="Clear a runner's referral or lift a hip replacement's precautions, dated, with a note",
)
@body_limit(MAX_CLINICAL_BYTES)
def add_client_clearance(request: HttpRequest, runner_id: RunnerId, payload: ClearanceIn) -> Status[ClearanceOut]:
    clinician, runner = shared_or_404(request, runner_id)
    try:
        saved = give_clearance(clinician, runner, **payload.dict())
    except ClearanceError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, clearance_out(saved))


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
