"""A runner's prescription: written by a clinician the runner shares with, read by every door that plans for them.

**One current, every version kept.** Each change is a new :class:`~hipcoach.app.clinic.models.Prescription` row,
dated, and the one before stops being current (a constraint holds one current per runner). A write the clinician
retries (the same content from the same clinician) changes nothing and answers the current one.

**Where it applies.** :func:`current_prescription` is what the runner's sessions go through (Today, the player,
the calendar, the week in the export, ``hipcoach play``): the current one, while its clinician's link is sharing.
When the runner stops sharing with that clinician the plan is the planner's own again, at once.

**Doses.** A dose the clinician sets becomes the drill's progression state when it is saved (the chain's place is
the prescribed drill), so the log's rules move it on from there (REFERENCE 4, 5); a locked drill's chain is not
moved by the log (:func:`locked_drills`, read by the progression).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import Clinician, LinkStatus
from hipcoach.app.clinic.models import Prescription as PrescriptionRow
from hipcoach.app.clinic.sharing import shared_runner
from hipcoach.app.clock import local_today, now
from hipcoach.app.training.models import ProgressionState
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.prescription import Prescription, PrescriptionError, parse_prescription, prescribed_dose


class PrescriptionAccessError(LookupError):
    """The clinician has no runner with this id who shares with them now."""


def content_of(prescription: Prescription) -> dict[str, Any]:
    """What a row keeps of a prescription: its sessions per week and drills (who and when are the row's)."""
    data = prescription.model_dump(mode="json", include={"sessions_per_week", "drills"})
    return data


def to_core(row: PrescriptionRow) -> Prescription:
    return parse_prescription(
        {
            "prescribed_by": row.clinician_name,
            "prescribed_on": timezone.localdate(row.created_at).isoformat(),
            **row.content,
        }
    )


def _current_row(runner: Runner) -> PrescriptionRow | None:
    return PrescriptionRow.objects.filter(runner=runner, current=True).select_related("clinician").first()


def current_prescription(runner: Runner) -> Prescription | None:
    """The runner's prescription their plan follows: the current one, while its clinician's link is sharing."""
    row = (
        PrescriptionRow.objects.filter(
            runner=runner,
            current=True,
            clinician__links__runner=runner,
            clinician__links__status=LinkStatus.SHARING,
        )
        .distinct()
        .first()
    )
    if row is None:
        return None
    try:
        return to_core(row)
    except PrescriptionError:
        return None  # a drill that left the catalogue since: the planner's own plan until the clinician writes again


def current_row_for(clinician: Clinician, runner_id: int) -> tuple[Runner, PrescriptionRow | None]:
    runner = shared_runner(clinician, runner_id)
    if runner is None:
        raise PrescriptionAccessError(f"runner: no runner of yours with id {runner_id}: they may have stopped sharing")
    return runner, _current_row(runner)


def prescribe(clinician: Clinician, runner_id: int, data: object) -> tuple[PrescriptionRow, bool]:
    """Store ``data`` (sessions per week and drills) as the runner's current prescription, in one transaction.

    Returns the row and whether it is new; the same content written again by the same clinician is the current
    row, unchanged. Raises :class:`PrescriptionAccessError` (not their runner) or
    :class:`~hipcoach.core.prescription.PrescriptionError` naming the field (nothing is written)."""
    if not isinstance(data, dict):
        raise PrescriptionError("prescription", data, "an object of sessions_per_week and drills")
    parsed = parse_prescription({**data, "prescribed_by": clinician.name, "prescribed_on": local_today().isoformat()})
    content = content_of(parsed)
    with transaction.atomic():
        runner = shared_runner(clinician, runner_id)
        if runner is None:
            raise PrescriptionAccessError(
                f"runner: no runner of yours with id {runner_id}: they may have stopped sharing"
            )
        rows = PrescriptionRow.objects.select_for_update().filter(runner=runner, current=True)
        current = rows.first()
        if current is not None and current.clinician_id == clinician.pk and current.content == content:
            return current, False
        rows.update(current=False)
        row = PrescriptionRow.objects.create(
            runner=runner, clinician=clinician, clinician_name=clinician.name, content=content, created_at=now()
        )
        _start_doses(runner, parsed)
    return row, True


def _start_doses(runner: Runner, prescription: Prescription) -> None:
    """Each dose the clinician set as its chain's progression state, so the log moves it on from there."""
    catalogue = default_catalogue()
    for entry in prescription.drills:
        if entry.removed or not entry.has_dose:
            continue
        drill = catalogue.get(entry.drill_id)
        dose = prescribed_dose(drill, entry)
        if dose is None:  # pragma: no cover - has_dose says there is one
            continue
        reason = f"Prescribed by {prescription.prescribed_by} on {prescription.prescribed_on:%d %B %Y}."
        state = dose.model_copy(update={"reasons": [reason]})
        start = catalogue.progression_chain(drill.id)[0].id
        ProgressionState.objects.update_or_create(
            owner=runner, chain_start=start, defaults={"state": ProgressionState.state_from_core(state)}
        )


def locked_drills(runner: Runner) -> frozenset[str]:
    """The drills whose dose the runner's clinician locked: the log does not move their chain."""
    prescription = current_prescription(runner)
    return frozenset() if prescription is None else prescription.locked


def history_of(runner: Runner) -> list[PrescriptionRow]:
    """Every version of the runner's prescription, the newest first."""
    return list(PrescriptionRow.objects.filter(runner=runner).order_by("-created_at", "-id"))
