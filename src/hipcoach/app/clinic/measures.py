"""A clinician's own measurements of a runner's screen measures (goniometer, inclinometer or tape, with the
position), and the series the record shows beside the runner's screens.

The core (``CLINICIAN_MEASURES``) holds the measures, their bounds (the screen's own) and their smallest real change
(REFERENCE 2). A series is one measure on one side with one instrument in one position: REFERENCE 1 and 2 compare
only like with like (per motion, side, position and device), so a clinician's series is never set against the
runner's own screens, and its verdict first to latest is judged as the runner's are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import TEXT_LENGTH, Clinician, Measurement
from hipcoach.app.clock import local_today
from hipcoach.core.screen import CLINICIAN_MEASURES, REAL, clinician_measurement_problems

# No clinic entered a measurement from before this day: an earlier one is a typing slip.
EARLIEST_DAY = date(2000, 1, 1)
VERDICT_WORDS = {REAL: "real change"}


class MeasurementError(ValueError):
    """A measurement that cannot be taken; the message names each field and what it allows."""


def day_problem(field: str, day: date | None) -> str | None:
    today = local_today()
    if day is None or not EARLIEST_DAY <= day <= today:
        return f"{field}: a date from {EARLIEST_DAY.isoformat()} to today ({today.isoformat()})"
    return None


def note_problem(note: str, *, required: str | None = None) -> str | None:
    if required and not note.strip():
        return f"note: {required}"
    if len(note) > TEXT_LENGTH or "\x00" in note:
        return f"note: text of at most {TEXT_LENGTH} characters, without NUL"
    return None


def add_measurement(
    clinician: Clinician,
    runner: Runner,
    *,
    measure: str,
    side: str,
    value: float,
    instrument: str,
    position: str,
    measured_on: date | None,
    note: str = "",
) -> Measurement:
    """Store the clinician's measurement (the caller has checked the runner shares with them); the same measurement
    sent again comes back as the first, not a second row. Raises MeasurementError naming every bad field."""
    position, note = position.strip(), note.strip()
    problems = clinician_measurement_problems(measure, side, value, instrument, position)
    problems += [p for p in (day_problem("measured_on", measured_on), note_problem(note)) if p]
    if "\x00" in position:
        problems.append("position: text without NUL")
    if problems:
        raise MeasurementError("; ".join(problems))
    fields = {
        "runner": runner, "clinician": clinician, "measure": measure, "side": side, "value": value,
        "instrument": instrument, "position": position, "measured_on": measured_on, "note": note,
    }  # fmt: skip
    with transaction.atomic():
        same = Measurement.objects.select_for_update().filter(**fields).first()
        if same is not None:
            return same
        return Measurement.objects.create(clinician_name=clinician.name, **fields)


def measurements_of(runner: Runner) -> list[Measurement]:
    return list(Measurement.objects.filter(runner=runner).order_by("measured_on", "recorded_at", "id"))


@dataclass(frozen=True)
class ClinicianSeries:
    """One measure on one side, with one instrument in one position, by the day measured."""

    measure: str
    side: str
    title: str
    unit: str
    instrument: str
    position: str
    points: list[Measurement]
    change: float | None
    verdict: str
    smallest_real_change: float | None

    @property
    def change_text(self) -> str:
        """+12, or nothing with a single measurement."""
        return "" if self.change is None else f"{self.change:+g}"

    @property
    def label(self) -> str:
        return f"{self.title}, {self.side} ({self.unit}), clinician-measured: {self.instrument}, {self.position}"


def clinician_series(measurements: list[Measurement]) -> list[ClinicianSeries]:
    """The measurements grouped into series (in the order of the screen's measures, then side, instrument and
    position), each with the verdict on its change from the first to the latest day."""
    groups: dict[tuple[str, str, str, str], list[Measurement]] = {}
    for one in measurements:
        groups.setdefault((one.measure, one.side, one.instrument, one.position), []).append(one)
    order = {path: index for index, path in enumerate(CLINICIAN_MEASURES)}
    series = []
    for key in sorted(groups, key=lambda k: (order.get(k[0], len(order)), k[1:])):
        points = groups[key]
        spec = CLINICIAN_MEASURES[key[0]]
        change: float | None = None
        if len(points) == 1:
            verdict = (
                "one measurement so far" if spec.smallest_real_change is not None else "no known measurement error"
            )
        else:
            change, _, judged = spec.judge(points[0].value, points[-1].value)
            verdict = VERDICT_WORDS.get(judged, judged)
        series.append(
            ClinicianSeries(
                *key[:2], spec.title, spec.unit, *key[2:], points, change, verdict, spec.smallest_real_change
            )
        )
    return series


def series_values(series: ClinicianSeries, days: list[date]) -> list[str]:
    """The series' value on each day (the latest of a day), or "" where it has none."""
    by_day = {point.measured_on: point.value for point in series.points}
    return [f"{by_day[day]:g}" if day in by_day else "" for day in days]
