"""A clinician's prescription for one runner: what the planner must give, must not give, and at what dose.

A :class:`Prescription` says who prescribed it and when, how many recovery sessions a week the runner does (the
article's "at least three times a week", set by the clinician), and per drill (:class:`DrillPrescription`):

* ``pinned``: the drill is in every session whose context it belongs to, chosen before anything else the planner
  would insist on (:mod:`hipcoach.core.planner`); ``removed``: it is never chosen. A swap is one drill removed and
  another pinned (:func:`swap`);
* a dose (``sets`` and ``amount``, the amount in the drill's unit: reps, hold seconds or seconds), within what the
  drill may have in any context and age band (:func:`dose_limits`: its catalogue range with the planner's rules,
  REFERENCE 4 and 8). Each session still holds it to the context's range (one set before a run; holds at most
  30 s a side before a run, REFERENCE 4), so the prescription never overrides a safety rule;
* ``locked``: the dose does not progress (the log's rules leave it where it is);
* ``note``: the clinician's words for the runner, shown with the drill in the player.

Safety wins over the prescription: a drill the runner's precautions exclude is never given, pinned or not
(:func:`blocked_drills` says why, for the clinician), and a runner who must see a clinician gets no session.

:func:`parse_prescription` reads one from plain data (an API body, a form, a stored row) and raises
:class:`PrescriptionError` (a :class:`~hipcoach.core.planner.PlannerInputError`) naming the field and what is
allowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import Field

from hipcoach.core._model import Frozen
from hipcoach.core.catalogue import Catalogue, Drill, default_catalogue
from hipcoach.core.limits import text_problem
from hipcoach.core.planner.inputs import Context, PlannerInputError
from hipcoach.core.planner.rules import dose_range
from hipcoach.core.profile import Profile
from hipcoach.core.progression import DoseState

# As long as the app's other notes (an alert's acknowledgement): a few sentences of coaching, not a letter.
NOTE_MAX_LENGTH = 2000
# A clinician's name as the clinic keeps it (first and last name, each at most 150 characters in Django's auth).
NAME_MAX_LENGTH = 300
# Recovery sessions a week: the article's "at least three times a week" by default; a clinician may ask for fewer
# (a runner easing back) or one a day at most (a rest-day session goes on a day without a run, one a day).
SESSIONS_PER_WEEK_LOW, SESSIONS_PER_WEEK_HIGH = 1, 7
SESSIONS_PER_WEEK_ALLOWED = f"a whole number from {SESSIONS_PER_WEEK_LOW} to {SESSIONS_PER_WEEK_HIGH}, or none"
# Every drill of the catalogue at most once, with room for a catalogue that grows.
MAX_PRESCRIBED_DRILLS = 500
UNIT_WORDS = {"reps": "repetitions", "hold_seconds": "seconds of hold", "duration_seconds": "seconds"}


class PrescriptionError(PlannerInputError):
    """A prescription the planner cannot take: ``field`` names it and ``allowed`` says what is allowed."""


class DrillPrescription(Frozen):
    """What the clinician set for one drill."""

    drill_id: str
    pinned: bool = False
    removed: bool = False
    sets: int | None = Field(default=None, ge=1, description="Sets per side; none keeps the planner's.")
    amount: int | None = Field(default=None, ge=1, description="Reps or seconds per set, in the drill's unit.")
    locked: bool = Field(default=False, description="The dose does not progress.")
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)

    @property
    def has_dose(self) -> bool:
        return self.sets is not None or self.amount is not None


class Prescription(Frozen):
    """A clinician's prescription: who, when, recovery sessions a week, and each drill they set."""

    prescribed_by: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    prescribed_on: date
    sessions_per_week: int | None = Field(default=None, ge=SESSIONS_PER_WEEK_LOW, le=SESSIONS_PER_WEEK_HIGH)
    drills: list[DrillPrescription] = Field(default_factory=list, max_length=MAX_PRESCRIBED_DRILLS)

    def of(self, drill_id: str) -> DrillPrescription | None:
        return next((drill for drill in self.drills if drill.drill_id == drill_id), None)

    @property
    def pinned(self) -> tuple[str, ...]:
        return tuple(drill.drill_id for drill in self.drills if drill.pinned)

    @property
    def removed(self) -> frozenset[str]:
        return frozenset(drill.drill_id for drill in self.drills if drill.removed)

    @property
    def locked(self) -> frozenset[str]:
        return frozenset(drill.drill_id for drill in self.drills if drill.locked)

    def note_of(self, drill_id: str) -> str:
        found = self.of(drill_id)
        return "" if found is None else found.note

    def starting_states(
        self, dose_states: Mapping[str, DoseState] | None, catalogue: Catalogue | None = None
    ) -> dict[str, DoseState]:
        """The dose each drill starts from: the runner's progression state, or the clinician's dose where they set
        one and the drill has no state yet, or where the dose is locked (a locked dose never moves)."""
        states = dict(dose_states or {})
        catalogue = default_catalogue() if catalogue is None else catalogue
        for entry in self.drills:
            if entry.removed or entry.drill_id not in catalogue:
                continue
            dose = prescribed_dose(catalogue.get(entry.drill_id), entry)
            if dose is not None and (entry.locked or entry.drill_id not in states):
                states[entry.drill_id] = dose
        return states

    @property
    def signature(self) -> str:
        """'Prescribed by <name>, <date>', as the runner sees it."""
        return f"Prescribed by {self.prescribed_by}, {self.prescribed_on.day} {self.prescribed_on:%B %Y}"


def dose_limits(drill: Drill) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (low, high) amount and (low, high) sets a prescription may set for ``drill``: the widest its doses are
    in any context it belongs to and any age band (its catalogue range with REFERENCE 4 and 8's rules)."""
    ranges = [
        dose_range(context, drill, older, young)
        for context in Context
        for older, young in ((False, False), (True, False), (False, True))
    ]
    amount = (min(r.low for r in ranges), max(r.high for r in ranges))
    sets = (min(r.sets_low for r in ranges), max(r.sets_high for r in ranges))
    return amount, sets


def prescribed_dose(drill: Drill, entry: DrillPrescription) -> DoseState | None:
    """The dose the clinician set, as a progression state (what they left open is the bottom of the drill's own
    range), or None when they set none."""
    if not entry.has_dose:
        return None
    amount = entry.amount if entry.amount is not None else drill.dose.amount.min
    sets = entry.sets if entry.sets is not None else drill.dose.sets.min
    return DoseState(drill_id=drill.id, amount=amount, sets=sets)


def blocked_drills(profile: Profile, prescription: Prescription, catalogue: Catalogue | None = None) -> dict[str, str]:
    """Why each pinned or dosed drill will not be given to this runner, by drill id: the runner's precautions
    exclude it (safety wins over the prescription). Drills that are given are not listed."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    precautions = set(profile.precautions)
    blocked: dict[str, str] = {}
    for entry in prescription.drills:
        if entry.removed or entry.drill_id not in catalogue:
            continue
        drill = catalogue.get(entry.drill_id)
        hit = [caution.value for caution in drill.cautions if caution in precautions]
        if hit:
            blocked[drill.id] = f"the runner's precautions exclude it ({', '.join(hit)}): it is never given"
    return blocked


def swap(prescription: Prescription, out_id: str, in_id: str, catalogue: Catalogue | None = None) -> Prescription:
    """The prescription with ``out_id`` removed and ``in_id`` pinned in its place (its note and dose kept)."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    for field, drill_id in (("swap.out", out_id), ("swap.in", in_id)):
        if drill_id not in catalogue:
            raise PrescriptionError(field, drill_id, "the id of a drill in the catalogue")
    if out_id == in_id:
        raise PrescriptionError("swap.in", in_id, "a drill other than the one swapped out")
    drills = [entry for entry in prescription.drills if entry.drill_id not in (out_id, in_id)]
    taken = prescription.of(in_id) or DrillPrescription(drill_id=in_id)
    drills.append(DrillPrescription(drill_id=out_id, removed=True, note=(prescription.note_of(out_id))))
    drills.append(taken.model_copy(update={"pinned": True, "removed": False}))
    return prescription.model_copy(update={"drills": drills})


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------

_DRILL_FIELDS = ("drill_id", "pinned", "removed", "sets", "amount", "locked", "note")
_FIELDS = ("prescribed_by", "prescribed_on", "sessions_per_week", "drills")


def parse_prescription(value: object, catalogue: Catalogue | None = None) -> Prescription:
    """A prescription from plain data (or a :class:`Prescription`, checked again against the catalogue)."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    if isinstance(value, Prescription):
        value = value.model_dump()
    if not isinstance(value, Mapping):
        raise PrescriptionError("prescription", value, "an object of " + ", ".join(_FIELDS))
    unknown = sorted(str(name) for name in value if name not in _FIELDS)
    if unknown:
        raise PrescriptionError(unknown[0], value[unknown[0]], "only " + ", ".join(_FIELDS))
    by = value.get("prescribed_by")
    if not isinstance(by, str) or not by.strip() or len(by) > NAME_MAX_LENGTH or text_problem(by):
        raise PrescriptionError("prescribed_by", by, f"the clinician's name, 1 to {NAME_MAX_LENGTH} characters")
    on = _parse_day(value.get("prescribed_on"))
    per_week = value.get("sessions_per_week")
    if per_week is not None and (
        isinstance(per_week, bool)
        or not isinstance(per_week, int)
        or not SESSIONS_PER_WEEK_LOW <= per_week <= SESSIONS_PER_WEEK_HIGH
    ):
        raise PrescriptionError("sessions_per_week", per_week, SESSIONS_PER_WEEK_ALLOWED)
    drills = parse_drill_prescriptions(value.get("drills", []), catalogue)
    return Prescription(prescribed_by=by.strip(), prescribed_on=on, sessions_per_week=per_week, drills=drills)


def _parse_day(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PrescriptionError("prescribed_on", value, "a date written YYYY-MM-DD")


def parse_drill_prescriptions(value: object, catalogue: Catalogue | None = None) -> list[DrillPrescription]:
    """Each drill's prescription from a list of objects (``drills[0].amount`` names a bad field)."""
    catalogue = default_catalogue() if catalogue is None else catalogue
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise PrescriptionError("drills", value, "a list of drills, each an object with a drill_id")
    if len(value) > MAX_PRESCRIBED_DRILLS:
        raise PrescriptionError("drills", f"{len(value)} drills", f"at most {MAX_PRESCRIBED_DRILLS} drills")
    seen: set[str] = set()
    parsed: list[DrillPrescription] = []
    for index, entry in enumerate(value):
        drill = parse_drill_prescription(entry, f"drills[{index}]", catalogue)
        if drill.drill_id in seen:
            raise PrescriptionError(f"drills[{index}].drill_id", drill.drill_id, "each drill at most once")
        seen.add(drill.drill_id)
        parsed.append(drill)
    return parsed


def parse_drill_prescription(value: object, field: str, catalogue: Catalogue) -> DrillPrescription:
    if not isinstance(value, Mapping):
        raise PrescriptionError(field, value, "an object of " + ", ".join(_DRILL_FIELDS))
    unknown = sorted(str(name) for name in value if name not in _DRILL_FIELDS)
    if unknown:
        raise PrescriptionError(f"{field}.{unknown[0]}", value[unknown[0]], "only " + ", ".join(_DRILL_FIELDS))
    drill_id = value.get("drill_id")
    if not isinstance(drill_id, str) or drill_id not in catalogue:
        raise PrescriptionError(f"{field}.drill_id", drill_id, "the id of a drill in the catalogue")
    drill = catalogue.get(drill_id)
    flags: dict[str, bool] = {}
    for name in ("pinned", "removed", "locked"):
        flag = value.get(name, False)
        if not isinstance(flag, bool):
            raise PrescriptionError(f"{field}.{name}", flag, "true or false")
        flags[name] = flag
    if flags["pinned"] and flags["removed"]:
        raise PrescriptionError(f"{field}.removed", True, "false for a pinned drill: a drill is pinned or removed")
    (amount_low, amount_high), (sets_low, sets_high) = dose_limits(drill)
    unit = UNIT_WORDS[drill.dose.unit]
    numbers: dict[str, int | None] = {}
    for name, low, high, words in (
        ("sets", sets_low, sets_high, "sets"),
        ("amount", amount_low, amount_high, unit),
    ):
        number = value.get(name)
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high
        ):
            allowed = f"a whole number of {words} from {low} to {high} for {drill.name}, or none"
            raise PrescriptionError(f"{field}.{name}", number, allowed)
        numbers[name] = number
    if flags["removed"] and (numbers["sets"] is not None or numbers["amount"] is not None or flags["locked"]):
        raise PrescriptionError(f"{field}.removed", True, "false for a drill given a dose or locked")
    note = value.get("note", "")
    if not isinstance(note, str) or len(note) > NOTE_MAX_LENGTH or text_problem(note):
        raise PrescriptionError(f"{field}.note", note, f"text of at most {NOTE_MAX_LENGTH} characters")
    return DrillPrescription(
        drill_id=drill_id, sets=numbers["sets"], amount=numbers["amount"], note=note.strip(), **flags
    )
