"""What the clinician's prescription page and endpoint show: the runner's week as the planner makes it now (with the
current prescription), each drill of it and of the prescription with what the clinician set, the dose the
prescription may set for it, and why a drill will not be given (safety wins: the runner's precautions, a referral).
A form's or a body's drills become the data :func:`~hipcoach.app.clinic.prescription.prescribe` takes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hipcoach.app.accounts.accounts import Runner
from hipcoach.app.clinic.models import Clinician
from hipcoach.app.clinic.models import Prescription as PrescriptionRow
from hipcoach.app.clinic.prescription import current_prescription, current_row_for, history_of
from hipcoach.app.screens.safety_check import SafetyQuestionsUnansweredError
from hipcoach.app.training.runner import dose_states_of, recent_history_of, referral_of, runner_profile
from hipcoach.app.training.runner_settings import settings_of
from hipcoach.app.training.sessions import composed_week
from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import Referral, number_from_text
from hipcoach.core.prescription import UNIT_WORDS, DrillPrescription, Prescription, blocked_drills, dose_limits
from hipcoach.core.week import Week


@dataclass(frozen=True)
class DrillRow:
    drill_id: str
    name: str
    unit: str
    amount_range: tuple[int, int]
    sets_range: tuple[int, int]
    in_week: int  # how many of the week's sessions hold it
    entry: DrillPrescription | None
    blocked: str  # why it will not be given ('' when it will)

    @property
    def choice(self) -> str:
        if self.entry is None:
            return "planner"
        return "pin" if self.entry.pinned else "remove" if self.entry.removed else "planner"


@dataclass(frozen=True)
class PrescriptionPage:
    runner: Runner
    current: Prescription | None
    row: PrescriptionRow | None
    week: Week | None
    referral: Referral | None
    rows: list[DrillRow]
    others: list[tuple[str, str]]  # (id, name) of the catalogue's drills not in rows, to pin or swap in
    versions: list[PrescriptionRow] = field(default_factory=list)
    no_screen: bool = False


def prescription_page(clinician: Clinician, runner_id: int) -> PrescriptionPage:
    """The page's content; raises PrescriptionAccessError for a runner who does not share with the clinician."""
    runner, row = current_row_for(clinician, runner_id)
    current = current_prescription(runner)
    catalogue = default_catalogue()
    record = settings_of(runner)
    week: Week | None = None
    referral: Referral | None = None
    blocked: dict[str, str] = {}
    no_screen = False
    try:
        choice = runner_profile(runner, record)
    except SafetyQuestionsUnansweredError:
        no_screen = True
    else:
        referral = referral_of(runner, choice.profile)
        if current is not None:
            blocked = blocked_drills(choice.profile, current)
        if referral is None:
            week = composed_week(
                choice.profile,
                record.week_runs(),
                record.to_core(),
                history=recent_history_of(runner),
                dose_states=dose_states_of(runner),
                prescription=current,
            )
    counts: Counter[str] = Counter(
        drill_id
        for day in (week.days if week else [])
        for planned in day.sessions
        for drill_id in planned.session.drill_ids
    )
    ids = list(dict.fromkeys([*counts, *(entry.drill_id for entry in (current.drills if current else []))]))
    rows = []
    for drill_id in ids:
        if drill_id not in catalogue:
            continue
        drill = catalogue.get(drill_id)
        amount, sets = dose_limits(drill)
        entry = current.of(drill_id) if current is not None else None
        why = blocked.get(drill_id, "")
        if referral is not None and entry is not None and entry.pinned:
            why = "the runner must see a clinician first (a referral): no session is given until it is cleared"
        rows.append(
            DrillRow(drill_id, drill.name, UNIT_WORDS[drill.dose.unit], amount, sets, counts[drill_id], entry, why)
        )
    shown = {row.drill_id for row in rows}
    others = [(drill.id, drill.name) for drill in catalogue if drill.id not in shown]
    return PrescriptionPage(runner, current, row, week, referral, rows, others, history_of(runner), no_screen)


DRILL_ACTIONS = ("planner", "pin", "remove")


def drills_from_form(form: Mapping[str, Any], shown: list[str]) -> dict[str, Any]:
    """The prescription's data from the page's form: per shown drill ``action-<id>`` (planner, pin, remove),
    ``sets-<id>``, ``amount-<id>``, ``locked-<id>`` and ``note-<id>``; ``pin`` pins one more drill; ``swap_out`` and
    ``swap_in`` swap one (the one out removed, the other pinned); ``sessions_per_week``. A value that is not one of
    these is passed on as typed, for the core to refuse by name."""
    drills: dict[str, dict[str, Any]] = {}
    for drill_id in shown:
        action = str(form.get(f"action-{drill_id}", "planner"))
        entry: dict[str, Any] = {"drill_id": drill_id}
        if action not in DRILL_ACTIONS:
            entry["pinned"] = action  # refused by name: "true or false"
        elif action != "planner":
            entry["pinned" if action == "pin" else "removed"] = True
        for name in ("sets", "amount"):
            typed = str(form.get(f"{name}-{drill_id}", "")).strip()
            if typed:
                entry[name] = number_from_text(typed)
        if form.get(f"locked-{drill_id}"):
            entry["locked"] = True
        note = str(form.get(f"note-{drill_id}", "")).strip()
        if note:
            entry["note"] = note
        if len(entry) > 1:
            drills[drill_id] = entry
    pinned = str(form.get("pin", "")).strip()
    if pinned:
        drills.setdefault(pinned, {"drill_id": pinned})["pinned"] = True
        drills[pinned].pop("removed", None)
    out, into = str(form.get("swap_out", "")).strip(), str(form.get("swap_in", "")).strip()
    if out or into:
        kept = drills.get(out, {})
        drills[out] = {"drill_id": out, "removed": True, **({"note": kept["note"]} if "note" in kept else {})}
        drills.setdefault(into, {"drill_id": into})["pinned"] = True
        drills[into].pop("removed", None)
    typed = str(form.get("sessions_per_week", "")).strip()
    return {"sessions_per_week": number_from_text(typed) if typed else None, "drills": list(drills.values())}
