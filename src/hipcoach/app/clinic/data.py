"""What clinicians wrote about a runner, in the runner's own export and restored by the import (the ``clinic`` part
of format 1; app.training.data holds the rest of the file).

The runner owns it: the alerts raised from their log with each clinician's acknowledgement and note. A file from
before this part existed has no ``clinic`` and imports as before. A clinician is named by the name they wrote under,
never by an account: the account an export is imported into has no link to that clinician, and a restored entry
gives nobody access.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import NAME_LENGTH, TEXT_LENGTH, Alert
from hipcoach.core.alerts import AlertKind
from hipcoach.core.limits import EARLIEST_DAY

ALERTS_MAX = 100_000
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


class ExportClinical(_Strict):
    """What the runner's clinicians wrote: part of the runner's data, theirs to take anywhere."""

    alerts: list[ExportAlert] = Field(default_factory=list, max_length=ALERTS_MAX, description="Oldest first.")


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
        ]
    )


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


def clinical_times(part: ExportClinical | None) -> Iterator[tuple[list[str | int], datetime | None]]:
    """Every moment the part gives, with where it is (the import refuses any after now)."""
    for index, alert in enumerate(part.alerts if part else ()):
        yield ["clinic", "alerts", index, "raised_at"], alert.raised_at
        yield ["clinic", "alerts", index, "acknowledged_at"], alert.acknowledged_at


def clinical_problems(part: ExportClinical | None, latest_day: date) -> list[Problem]:
    """What the format alone cannot say: each event's alert once, acknowledgements after the alert, sane days."""
    if part is None:
        return []
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, alert in enumerate(part.alerts):
        at: list[str | int] = ["alerts", index]
        if (alert.kind.value, alert.key) in seen:
            problems.append(_problem([*at, "key"], f"a second {alert.kind.value} alert for {alert.key!r}"))
        seen.add((alert.kind.value, alert.key))
        if not EARLIEST_DAY <= alert.day <= latest_day:
            problems.append(_problem([*at, "day"], f"must be from {EARLIEST_DAY.isoformat()} to today"))
        if alert.acknowledged_at is None and (alert.acknowledged_by or alert.note):
            problems.append(_problem([*at, "acknowledged_at"], "a note or a name needs the time it was written"))
        if alert.acknowledged_at is not None and alert.acknowledged_at < alert.raised_at:
            problems.append(_problem([*at, "acknowledged_at"], "must not be before raised_at"))
    return problems


def has_clinical_data(runner: Runner) -> bool:
    return Alert.objects.filter(runner=runner).exists()


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
    return {"alerts": len(alerts)}


def clinical_counts(runner: Runner) -> dict[str, int]:
    """How much of the clinical part the account holds (the data page's counts)."""
    return {"alerts": Alert.objects.filter(runner=runner).count()}
