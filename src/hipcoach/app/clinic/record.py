"""A runner's record as their clinician reads it: screens side by side over time (each measure per side, with the
verdict on its change against the smallest real change, REFERENCE 2), sessions with pain and the next morning,
progression events and alerts; beside the screens, the clinician's own measurements (marked clinician-measured, with
instrument and position) and the clearances given. Only what sharing.SHARED lists and what the clinic wrote; the
caller has checked the runner shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.alerts import alerts_of
from hipcoach.app.clinic.clearances import records_of, what_to_clear
from hipcoach.app.clinic.measures import ClinicianSeries, clinician_series, measurements_of, series_values
from hipcoach.app.clinic.models import Alert, Clearance, Link, LinkStatus, Measurement
from hipcoach.app.training.history import logs_of
from hipcoach.app.training.labels import CONTEXT_LABELS
from hipcoach.app.training.progress import EventRow, MeasureSeries, measure_series, progression_events
from hipcoach.core.clearance import ClearanceKind
from hipcoach.core.planner import Context

SESSIONS_SHOWN = 30


@dataclass(frozen=True)
class MeasureRow:
    """One measure on one side, a value (or nothing) under each screen, and the verdict first to latest."""

    series: MeasureSeries
    values: list[str]


@dataclass(frozen=True)
class ClinicianRow:
    """A clinician-measured series, its value (or nothing) on each day measured, and the verdict first to latest."""

    series: ClinicianSeries
    values: list[str]


@dataclass(frozen=True)
class SessionRow:
    id: int
    day: str
    context: str
    pain: int
    morning: str
    warning_sign: bool


@dataclass(frozen=True)
class Record:
    runner: Runner
    since: datetime | None
    screens: list[datetime]
    measures: list[MeasureRow]
    sessions: list[SessionRow]
    events: list[EventRow]
    alerts: list[Alert]
    measured_days: list[date]
    clinician_measures: list[ClinicianRow]
    measurements: list[Measurement]
    clearances: list[Clearance]
    to_clear: dict[ClearanceKind, str]


def clinician_rows(measurements: list[Measurement]) -> tuple[list[date], list[ClinicianRow]]:
    days = sorted({one.measured_on for one in measurements})
    return days, [ClinicianRow(one, series_values(one, days)) for one in clinician_series(measurements)]


def measure_rows(series: list[MeasureSeries]) -> tuple[list[datetime], list[MeasureRow]]:
    screens = sorted({point.taken_at for one in series for point in one.points})
    rows = []
    for one in series:
        by_screen = {point.taken_at: point.value for point in one.points}
        rows.append(MeasureRow(one, [f"{by_screen[t]:g}" if t in by_screen else "" for t in screens]))
    return screens, rows


def session_rows(runner: Runner) -> list[SessionRow]:
    rows = []
    for log in logs_of(runner)[:SESSIONS_SHOWN]:
        check = getattr(log, "morning_check", None)
        morning = "not answered" if check is None else ("worse" if check.worse else "not worse")
        pain = max([log.pain, *(entry.pain for entry in log.drills.all())])
        rows.append(
            SessionRow(
                log.pk,
                f"{log.planned_for:%a %d %b %Y}",
                CONTEXT_LABELS[Context(log.context)],
                pain,
                morning,
                log.red_flag,
            )
        )
    return rows


def runner_record(runner: Runner) -> Record:
    link = Link.objects.filter(runner=runner, status=LinkStatus.SHARING).order_by("accepted_at").first()
    screens, measures = measure_rows(measure_series(runner))
    events, _ = progression_events(runner)
    measurements = measurements_of(runner)
    days, clinician_measures = clinician_rows(measurements)
    return Record(
        runner=runner,
        since=link.accepted_at if link else None,
        screens=screens,
        measures=measures,
        sessions=session_rows(runner),
        events=events,
        alerts=alerts_of(runner),
        measured_days=days,
        clinician_measures=clinician_measures,
        measurements=measurements,
        clearances=records_of(runner),
        to_clear=what_to_clear(runner),
    )
