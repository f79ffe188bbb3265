"""What clinicians wrote about a runner, in the runner's own export and restored by the import (the ``clinic`` part
of format 1; app.training.data holds the rest of the file).

The runner owns it: the alerts raised from their log with each clinician's acknowledgement and note, every version
of their prescription, the clinicians' own measurements and clearances, and the appointment requests they sent. A
file from before this part existed has no ``clinic`` and imports as before.

A clinician is named by the name they wrote under, never by an account: the account an export is imported into has
no link to that clinician, and a restored entry gives nobody access. So a restored prescription is the runner's
record and does not steer their plan until a clinician they share with writes one (app.clinic.prescription: a
prescription applies while its clinician's link is sharing); a restored clearance covers what it covered when it was
given, never more (core.clearance). A request is restored when its clinic is set up here (it names the clinic, and a
request to a clinic elsewhere has nowhere to be shown); the import's counts say how many were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hipcoach.app.accounts.accounts import EMAIL_MAX_LENGTH, Runner
from hipcoach.app.clinic.models import (
    NAME_LENGTH,
    PHONE_LENGTH,
    TEXT_LENGTH,
    Alert,
    AppointmentRequest,
    Clearance,
    Clinic,
    Measurement,
)
from hipcoach.app.clinic.models import Prescription as PrescriptionRow
from hipcoach.app.clinic.prescription import content_of
from hipcoach.app.clinic.requests import PREFERRED_TIMES_LENGTH, text_problems
from hipcoach.app.screens.models import Screen
from hipcoach.core.alerts import AlertKind
from hipcoach.core.clearance import ClearanceKind
from hipcoach.core.limits import EARLIEST_DAY
from hipcoach.core.prescription import (
    MAX_PRESCRIBED_DRILLS,
    SESSIONS_PER_WEEK_HIGH,
    SESSIONS_PER_WEEK_LOW,
    PrescriptionError,
    parse_prescription,
)
from hipcoach.core.screen import CLINICIAN_MEASURES, POSITION_LENGTH, clinician_measurement_problems

ALERTS_MAX = 100_000
VERSIONS_MAX = 10_000
REQUESTS_MAX = 10_000
MEASUREMENTS_MAX = 10_000
CLEARANCES_MAX = 1_000
# The widest any clinician measure takes; each measure's own bounds are checked against the file too.
VALUE_LOW = min(spec.low for spec in CLINICIAN_MEASURES.values())
VALUE_HIGH = max(spec.high for spec in CLINICIAN_MEASURES.values())
KEY_LENGTH = 120  # Alert.key's


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportAlert(_Strict):
    kind: AlertKind
    key: str = Field(min_length=1, max_length=KEY_LENGTH, description="The event it was raised for, once.")
    day: date
    message: str = Field(max_length=TEXT_LENGTH)
    raised_at: AwareDatetime
    acknowledged_at: AwareDatetime | None = None
    acknowledged_by: str = Field(default="", max_length=NAME_LENGTH * 2, description="The clinician's name.")
    note: str = Field(default="", max_length=TEXT_LENGTH, description="The clinician's note on acknowledging.")


class ExportPrescription(_Strict):
    """One version of the runner's prescription (core.prescription has what the drills may say)."""

    prescribed_by: str = Field(min_length=1, max_length=NAME_LENGTH * 2, description="The clinician's name.")
    created_at: AwareDatetime
    current: bool = Field(description="The version in force when the file was made (at most one).")
    sessions_per_week: int | None = Field(default=None, ge=SESSIONS_PER_WEEK_LOW, le=SESSIONS_PER_WEEK_HIGH)
    drills: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_PRESCRIBED_DRILLS)


class ExportMeasurement(_Strict):
    """A clinician's own measurement of a screen measure (core.screen.CLINICIAN_MEASURES says what each takes)."""

    measure: str = Field(max_length=40)
    side: str = Field(max_length=5)
    value: float = Field(ge=VALUE_LOW, le=VALUE_HIGH, description="Within the measure's own bounds (checked too).")
    instrument: str = Field(max_length=20)
    position: str = Field(max_length=POSITION_LENGTH)
    measured_on: date
    note: str = Field(default="", max_length=TEXT_LENGTH)
    clinician_name: str = Field(min_length=1, max_length=NAME_LENGTH * 2)
    recorded_at: AwareDatetime


class ExportClearance(_Strict):
    """A clinician's clearance; restored with the time it was given, it covers what it covered then, never more."""

    kind: ClearanceKind
    cleared_on: date
    note: str = Field(min_length=1, max_length=TEXT_LENGTH)
    clinician_name: str = Field(min_length=1, max_length=NAME_LENGTH * 2)
    given_at: AwareDatetime


class ExportAppointmentRequest(_Strict):
    clinic: str = Field(min_length=1, max_length=NAME_LENGTH, description="The clinic's name.")
    name: str = Field(max_length=NAME_LENGTH)
    email: str = Field(max_length=EMAIL_MAX_LENGTH)
    phone: str = Field(default="", max_length=PHONE_LENGTH)
    preferred_times: str = Field(max_length=PREFERRED_TIMES_LENGTH)
    message: str = Field(default="", max_length=TEXT_LENGTH)
    shared_screen_taken_at: AwareDatetime | None = Field(
        default=None, description="The screen shared with the request, by its time (one of this file's screens)."
    )
    created_at: AwareDatetime
    emailed: bool = False


class ExportClinical(_Strict):
    """What the runner's clinicians wrote, and what the runner sent the clinic: theirs to take anywhere."""

    alerts: list[ExportAlert] = Field(default_factory=list, max_length=ALERTS_MAX, description="Oldest first.")
    prescriptions: list[ExportPrescription] = Field(
        default_factory=list, max_length=VERSIONS_MAX, description="Every version, oldest first."
    )
    measurements: list[ExportMeasurement] = Field(
        default_factory=list, max_length=MEASUREMENTS_MAX, description="Oldest first."
    )
    clearances: list[ExportClearance] = Field(
        default_factory=list, max_length=CLEARANCES_MAX, description="Oldest first."
    )
    appointment_requests: list[ExportAppointmentRequest] = Field(
        default_factory=list, max_length=REQUESTS_MAX, description="Oldest first."
    )


Problem = dict[str, Any]


def _problem(loc: Sequence[str | int], message: str) -> Problem:
    return {"type": "value_error", "loc": ["clinic", *loc], "msg": message}


# --------------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------------


def clinical_export(runner: Runner) -> ExportClinical:
    """The runner's clinical part (read inside the export's transaction)."""
    alerts = Alert.objects.filter(runner=runner).order_by("raised_at", "id")
    return ExportClinical(
        alerts=[
            ExportAlert.model_construct(
                kind=AlertKind(alert.kind),
                key=alert.key,
                day=alert.day,
                message=alert.message,
                raised_at=alert.raised_at,
                acknowledged_at=alert.acknowledged_at,
                acknowledged_by=alert.acknowledged_by_name,
                note=alert.note,
            )
            for alert in alerts
        ],
        prescriptions=[
            ExportPrescription.model_construct(
                prescribed_by=row.clinician_name,
                created_at=row.created_at,
                current=row.current,
                sessions_per_week=row.content.get("sessions_per_week"),
                drills=row.content.get("drills", []),
            )
            for row in PrescriptionRow.objects.filter(runner=runner).order_by("created_at", "id")
        ],
        measurements=[
            ExportMeasurement.model_construct(
                measure=row.measure,
                side=row.side,
                value=row.value,
                instrument=row.instrument,
                position=row.position,
                measured_on=row.measured_on,
                note=row.note,
                clinician_name=row.clinician_name,
                recorded_at=row.recorded_at,
            )
            for row in Measurement.objects.filter(runner=runner).order_by("recorded_at", "id")
        ],
        clearances=[
            ExportClearance.model_construct(
                kind=ClearanceKind(row.kind),
                cleared_on=row.cleared_on,
                note=row.note,
                clinician_name=row.clinician_name,
                given_at=row.given_at,
            )
            for row in Clearance.objects.filter(runner=runner).order_by("given_at", "id")
        ],
        appointment_requests=[
            ExportAppointmentRequest.model_construct(
                clinic=request.clinic.name,
                name=request.name,
                email=request.email,
                phone=request.phone,
                preferred_times=request.preferred_times,
                message=request.message,
                shared_screen_taken_at=request.shared_screen.taken_at if request.shared_screen else None,
                created_at=request.created_at,
                emailed=request.emailed,
            )
            for request in AppointmentRequest.objects.filter(runner=runner)
            .select_related("clinic", "shared_screen")
            .order_by("created_at", "id")
        ],
    )


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


def clinical_times(part: ExportClinical | None) -> Iterator[tuple[list[str | int], datetime | None]]:
    """Every moment the part gives, with where it is (the import refuses any after now)."""
    if part is None:
        return
    for index, alert in enumerate(part.alerts):
        yield ["clinic", "alerts", index, "raised_at"], alert.raised_at
        yield ["clinic", "alerts", index, "acknowledged_at"], alert.acknowledged_at
    for index, version in enumerate(part.prescriptions):
        yield ["clinic", "prescriptions", index, "created_at"], version.created_at
    for index, measurement in enumerate(part.measurements):
        yield ["clinic", "measurements", index, "recorded_at"], measurement.recorded_at
    for index, clearance in enumerate(part.clearances):
        yield ["clinic", "clearances", index, "given_at"], clearance.given_at
    for index, request in enumerate(part.appointment_requests):
        yield ["clinic", "appointment_requests", index, "created_at"], request.created_at


def clinical_problems(part: ExportClinical | None, latest_day: date, screen_times: set[datetime]) -> list[Problem]:
    """What the format alone cannot say: each event's alert once, acknowledgements after the alert, sane days; each
    prescription one the clinician could have written, at most one current; each request's words as the form takes
    them, and its shared screen one of the file's."""
    if part is None:
        return []
    return [
        *_alert_problems(part.alerts, latest_day),
        *_prescription_problems(part.prescriptions),
        *_measurement_problems(part.measurements, latest_day),
        *_clearance_problems(part.clearances, latest_day),
        *_request_problems(part.appointment_requests, screen_times),
    ]


def _prescription_of(version: ExportPrescription) -> dict[str, Any]:
    """The version as core.prescription reads it."""
    return {
        "prescribed_by": version.prescribed_by,
        "prescribed_on": version.created_at.date().isoformat(),
        "sessions_per_week": version.sessions_per_week,
        "drills": version.drills,
    }


def _prescription_problems(versions: Sequence[ExportPrescription]) -> list[Problem]:
    problems = []
    for index, version in enumerate(versions):
        try:
            parse_prescription(_prescription_of(version))
        except PrescriptionError as error:
            allowed = f"{error.given!r} is not allowed; allowed: {error.allowed}"
            problems.append(_problem(["prescriptions", index, *_path(error.field)], allowed))
    currents = [index for index, version in enumerate(versions) if version.current]
    problems += [_problem(["prescriptions", index, "current"], "only one version is current") for index in currents[1:]]
    return problems


def _measurement_problems(measurements: Sequence[ExportMeasurement], latest_day: date) -> list[Problem]:
    """Each measurement as the record's form takes it: the measure's bounds, a side, its instrument, a position."""
    problems = []
    for index, one in enumerate(measurements):
        found = clinician_measurement_problems(one.measure, one.side, one.value, one.instrument, one.position)
        for problem in found:
            name, _, message = problem.partition(": ")
            problems.append(_problem(["measurements", index, name], message))
        if not EARLIEST_DAY <= one.measured_on <= latest_day:
            problems.append(_problem(["measurements", index, "measured_on"], _day_range()))
    return problems


def _clearance_problems(clearances: Sequence[ExportClearance], latest_day: date) -> list[Problem]:
    problems = []
    for index, one in enumerate(clearances):
        if not one.note.strip():
            problems.append(_problem(["clearances", index, "note"], "the clinician's note on what they found"))
        if not EARLIEST_DAY <= one.cleared_on <= latest_day:
            problems.append(_problem(["clearances", index, "cleared_on"], _day_range()))
    return problems


def _day_range() -> str:
    return f"must be from {EARLIEST_DAY.isoformat()} to today"


def _path(field: str) -> list[str | int]:
    """ "drills[0].amount" -> ["drills", 0, "amount"]."""
    parts: list[str | int] = []
    for name in field.replace("]", "").replace("[", ".").split("."):
        if name:
            parts.append(int(name) if name.isdigit() else name)
    return parts


def _request_problems(requests: Sequence[ExportAppointmentRequest], screen_times: set[datetime]) -> list[Problem]:
    problems = []
    for index, request in enumerate(requests):
        fields = {name: getattr(request, name) for name in ("name", "email", "phone", "preferred_times", "message")}
        for problem in text_problems(fields):
            name, _, message = problem.partition(": ")
            problems.append(_problem(["appointment_requests", index, name], message))
        shared = request.shared_screen_taken_at
        if shared is not None and shared not in screen_times:
            problems.append(
                _problem(
                    ["appointment_requests", index, "shared_screen_taken_at"], "no screen of this file at that time"
                )
            )
    return problems


def _alert_problems(alerts: Sequence[ExportAlert], latest_day: date) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, alert in enumerate(alerts):
        at: list[str | int] = ["alerts", index]
        if (alert.kind.value, alert.key) in seen:
            problems.append(_problem([*at, "key"], f"a second {alert.kind.value} alert for {alert.key!r}"))
        seen.add((alert.kind.value, alert.key))
        if not EARLIEST_DAY <= alert.day <= latest_day:
            problems.append(_problem([*at, "day"], _day_range()))
        if alert.acknowledged_at is None and (alert.acknowledged_by or alert.note):
            problems.append(_problem([*at, "acknowledged_at"], "a note or a name needs the time it was written"))
        if alert.acknowledged_at is not None and alert.acknowledged_at < alert.raised_at:
            problems.append(_problem([*at, "acknowledged_at"], "must not be before raised_at"))
    return problems


def has_clinical_data(runner: Runner) -> bool:
    return (
        Alert.objects.filter(runner=runner).exists()
        or PrescriptionRow.objects.filter(runner=runner).exists()
        or Measurement.objects.filter(runner=runner).exists()
        or Clearance.objects.filter(runner=runner).exists()
        or AppointmentRequest.objects.filter(runner=runner).exists()
    )


def restore_clinical(runner: Runner, part: ExportClinical | None, batch_size: int) -> dict[str, int]:
    """Write the part into the runner's empty account (inside the import's transaction); the counts written."""
    alerts = part.alerts if part else []
    Alert.objects.bulk_create(
        [
            Alert(
                runner=runner,
                kind=alert.kind.value,
                key=alert.key,
                day=alert.day,
                message=alert.message,
                raised_at=alert.raised_at,
                acknowledged_at=alert.acknowledged_at,
                acknowledged_by_name=alert.acknowledged_by,
                note=alert.note,
            )
            for alert in alerts
        ],
        batch_size=batch_size,
    )
    versions = part.prescriptions if part else []
    PrescriptionRow.objects.bulk_create(
        [
            PrescriptionRow(
                runner=runner,
                clinician_name=version.prescribed_by,
                content=content_of(parse_prescription(_prescription_of(version))),
                created_at=version.created_at,
                current=version.current,
            )
            for version in versions
        ],
        batch_size=batch_size,
    )
    measurements = part.measurements if part else []
    Measurement.objects.bulk_create(
        [Measurement(runner=runner, **one.model_dump()) for one in measurements], batch_size=batch_size
    )
    clearances = part.clearances if part else []
    Clearance.objects.bulk_create(
        [Clearance(runner=runner, **{**one.model_dump(), "kind": one.kind.value}) for one in clearances],
        batch_size=batch_size,
    )
    return {
        "alerts": len(alerts),
        "prescriptions": len(versions),
        "measurements": len(measurements),
        "clearances": len(clearances),
        **_restore_requests(runner, part),
    }


def _restore_requests(runner: Runner, part: ExportClinical | None) -> dict[str, int]:
    requests = part.appointment_requests if part else []
    clinics = {clinic.name: clinic for clinic in Clinic.objects.filter(name__in={r.clinic for r in requests})}
    screens = {screen.taken_at: screen for screen in Screen.objects.filter(owner=runner)}
    AppointmentRequest.objects.bulk_create(
        [
            AppointmentRequest(
                clinic=clinics[request.clinic],
                runner=runner,
                name=request.name,
                email=request.email,
                phone=request.phone,
                preferred_times=request.preferred_times,
                message=request.message,
                shared_screen=screens.get(request.shared_screen_taken_at) if request.shared_screen_taken_at else None,
                created_at=request.created_at,
                emailed=request.emailed,
            )
            for request in requests
            if request.clinic in clinics
        ]
    )
    return {"appointment_requests": sum(1 for request in requests if request.clinic in clinics)}


def clinical_counts(runner: Runner) -> dict[str, int]:
    """How much of the clinical part the account holds (the data page's counts)."""
    return {
        "alerts": Alert.objects.filter(runner=runner).count(),
        "prescriptions": PrescriptionRow.objects.filter(runner=runner).count(),
        "measurements": Measurement.objects.filter(runner=runner).count(),
        "clearances": Clearance.objects.filter(runner=runner).count(),
        "appointment_requests": AppointmentRequest.objects.filter(runner=runner).count(),
    }
