"""A session as timed steps: setup, work (side named), switch side, rest and transition.

The timeline is the single source of every second in a session: :func:`build_timeline` turns the
session's items into steps, and the session's total is the sum of those steps, so the two cannot
disagree. The planner costs a drill with :func:`item_seconds`, which sums the very same steps
(:func:`item_plan`) without building the step objects.

One-sided drills (``each`` and ``alternating``) get a work step for the left side and one for the
right side, each with the full hold or the full repetitions; a hold is never split between sides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal, NamedTuple

from pydantic import Field

from hipcoach.core._model import Frozen
from hipcoach.core.vocabulary import Equipment, Kind, Position, Side, Sides

Unit = Literal["reps", "hold_seconds", "duration_seconds"]

# --------------------------------------------------------------------------------------------------
# Time constants. Chosen for an unhurried runner at home, in kit, following spoken cues; each number is
# a default the player shows, not a clinical figure.
# --------------------------------------------------------------------------------------------------

# Hearing the drill's name and first cue and getting into its start position.
SETUP_SECONDS = 10
# Fetching and placing a roller or ball, looping a band, pulling a bench or chair over.
EQUIPMENT_SETUP_SECONDS = 10
# Changing legs between the two sides of a one-sided drill. Standing, seated, quadruped and supine drills
# only need a turn or a swap of the legs; lying on the side or face down (on a roller) means rolling over,
# and half-kneeling means swapping the knee that is down.
SWITCH_SECONDS: dict[Position, int] = {
    Position.STANDING: 5,
    Position.SEATED: 5,
    Position.QUADRUPED: 5,
    Position.SUPINE: 5,
    Position.HALF_KNEELING: 8,
    Position.PRONE: 8,
    Position.SIDE_LYING: 8,
}
# Getting down to the floor or back up to standing, with a breath between.
FLOOR_STANDING_TRANSITION_SECONDS = 15
# Moving from one floor position to another (roll over, come onto hands and knees, sit up).
FLOOR_FLOOR_TRANSITION_SECONDS = 8

# What the voice says when the runner has to change position.
POSITION_CUES: dict[Position, str] = {
    Position.STANDING: "Stand up.",
    Position.HALF_KNEELING: "Come down to half-kneeling: one knee down, the other foot in front.",
    Position.QUADRUPED: "Come onto your hands and knees.",
    Position.SUPINE: "Lie on your back.",
    Position.PRONE: "Lie face down.",
    Position.SIDE_LYING: "Lie on your side.",
    Position.SEATED: "Sit down.",
}


def transition_seconds(before: Position, after: Position) -> int:
    """Seconds to move from one drill's position to the next one's (0 when it is the same).

    The costs obey the triangle inequality, so adding a drill to a session never saves time elsewhere.
    """
    if before is after:
        return 0
    if Position.STANDING in (before, after):
        return FLOOR_STANDING_TRANSITION_SECONDS
    return FLOOR_FLOOR_TRANSITION_SECONDS


class StepKind(StrEnum):
    SETUP = "setup"
    WORK = "work"
    SWITCH_SIDE = "switch-side"
    REST = "rest"
    TRANSITION = "transition"


class SideDose(Frozen):
    """The dose one side gets (``both`` for a drill done with both legs together)."""

    side: Side
    amount: int = Field(ge=1, description="Repetitions, or seconds of hold or work, per set.")
    sets: int = Field(ge=1)


class SessionItem(Frozen):
    """One drill in a session, with its dose per side, its time and why it is there."""

    drill_id: str
    name: str
    kind: Kind
    position: Position
    sides: Sides
    equipment: list[Equipment]
    unit: Unit
    seconds_per_rep: float | None
    rest_seconds: int = Field(ge=0, description="Rest between sets.")
    doses: list[SideDose] = Field(min_length=1, description="Left and right for one-sided drills, else both.")
    dose: str = Field(description="The dose in words.")
    sets: int = Field(ge=1, description="The most sets any side does.")
    seconds: int = Field(ge=0, description="This item's share of the timeline, the transition into it included.")
    cue: str = Field(description="The first coaching cue, said at setup.")
    why: list[str] = Field(min_length=1)
    note: str = Field(default="", description="The runner's clinician's note for this drill (empty without one).")

    def dose_for(self, side: Side) -> SideDose:
        return next(dose for dose in self.doses if dose.side is side)


class Step(Frozen):
    """One timed step of the player."""

    kind: StepKind
    seconds: int = Field(ge=0)
    cue: str
    item: int = Field(ge=0, description="Index of the session item the step belongs to.")
    drill_id: str
    side: Side | None = None
    set_number: int | None = None
    amount: int | None = None
    unit: Unit | None = None


# --------------------------------------------------------------------------------------------------
# Timing: one generator of steps, shared by costing and by the timeline.
# --------------------------------------------------------------------------------------------------

DoseTuple = tuple[tuple[Side, int, int], ...]
"""Per-side doses as plain tuples ``(side, amount, sets)``, in the order the sides are worked."""


@dataclass(frozen=True, slots=True)
class Timing:
    """Everything besides the doses that fixes how long an item takes."""

    position: Position
    sides: Sides
    unit: Unit
    seconds_per_rep: float | None
    has_equipment: bool
    rest_seconds: int

    @classmethod
    def of(cls, item: SessionItem) -> Timing:
        return cls(item.position, item.sides, item.unit, item.seconds_per_rep, bool(item.equipment), item.rest_seconds)


class PlanStep(NamedTuple):
    kind: StepKind
    seconds: int
    side: Side | None = None
    set_number: int | None = None
    amount: int | None = None


def work_seconds(unit: Unit, amount: int, seconds_per_rep: float | None) -> int:
    """Seconds one set on one side takes: a hold or a duration as given, repetitions at their pace."""
    if unit == "reps":
        return math.ceil(amount * (seconds_per_rep or 0.0) - 1e-9)
    return amount


def item_plan(timing: Timing, doses: DoseTuple) -> list[PlanStep]:
    """The steps of one item, without the transition into it.

    Sets are done in rounds: each round works every side that still has a set left, left before right.
    Between rounds comes the rest, during which the runner also changes sides; with no rest, a change of
    side is a switch step. Alternating drills change legs every repetition, so they never switch.
    """
    setup = SETUP_SECONDS + (EQUIPMENT_SETUP_SECONDS if timing.has_equipment else 0)
    plan = [PlanStep(StepKind.SETUP, setup)]
    rounds = max(sets for _, _, sets in doses)
    previous: Side | None = None
    for number in range(1, rounds + 1):
        rested = number > 1 and timing.rest_seconds > 0
        if rested:
            plan.append(PlanStep(StepKind.REST, timing.rest_seconds))
        for side, amount, sets in doses:
            if sets < number:
                continue
            if timing.sides is Sides.EACH and previous is not None and side is not previous and not rested:
                plan.append(PlanStep(StepKind.SWITCH_SIDE, SWITCH_SECONDS[timing.position], side))
            seconds = work_seconds(timing.unit, amount, timing.seconds_per_rep)
            plan.append(PlanStep(StepKind.WORK, seconds, side, number, amount))
            previous = side
            rested = False
    return plan


@lru_cache(maxsize=1 << 16)
def item_seconds(timing: Timing, doses: DoseTuple) -> int:
    """Seconds an item takes (setup, work, switches, rests), without the transition into it."""
    return sum(step.seconds for step in item_plan(timing, doses))


def dose_tuple(item: SessionItem) -> DoseTuple:
    return tuple((dose.side, dose.amount, dose.sets) for dose in item.doses)


def build_timeline(items: Sequence[SessionItem]) -> list[Step]:
    """The session as timed steps, in order, with a transition wherever the position changes."""
    steps: list[Step] = []
    previous_position: Position | None = None
    for index, item in enumerate(items):
        if previous_position is not None and previous_position is not item.position:
            steps.append(
                Step(
                    kind=StepKind.TRANSITION,
                    seconds=transition_seconds(previous_position, item.position),
                    cue=POSITION_CUES[item.position],
                    item=index,
                    drill_id=item.drill_id,
                )
            )
        previous_position = item.position
        rounds = max(dose.sets for dose in item.doses)
        for step in item_plan(Timing.of(item), dose_tuple(item)):
            steps.append(
                Step(
                    kind=step.kind,
                    seconds=step.seconds,
                    cue=_cue(item, step, rounds),
                    item=index,
                    drill_id=item.drill_id,
                    side=step.side,
                    set_number=step.set_number,
                    amount=step.amount,
                    unit=item.unit if step.kind is StepKind.WORK else None,
                )
            )
    return steps


def item_totals(steps: Sequence[Step], count: int) -> list[int]:
    """Seconds per item: the sum of its steps (transitions count towards the item they lead into)."""
    totals = [0] * count
    for step in steps:
        totals[step.item] += step.seconds
    return totals


# --------------------------------------------------------------------------------------------------
# Spoken cues
# --------------------------------------------------------------------------------------------------

_ONES = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spoken_number(number: int) -> str:
    """A whole number in words, as a voice says it: 45 -> 'forty-five', 120 -> 'one hundred twenty'."""
    if number < 0:
        return f"minus {spoken_number(-number)}"
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {spoken_number(rest)}" if rest else "")
    return str(number)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _amount_words(item: SessionItem, amount: int) -> str:
    words = spoken_number(amount)
    if item.unit == "reps":
        return _sentence(f"{words} {'rep' if amount == 1 else 'reps'}.")
    if item.unit == "hold_seconds":
        return f"Hold {words} seconds."
    if item.kind is Kind.SOFT_TISSUE:
        return f"Roll for {words} seconds."
    return f"Keep going for {words} seconds."


def _side_words(item: SessionItem, side: Side) -> str:
    body = "leg" if item.unit == "reps" else "side"
    if side is Side.BOTH:
        return "Both legs." if item.unit == "reps" else ""
    prefix = "Alternating, " if item.sides is Sides.ALTERNATING else ""
    return _sentence(f"{prefix}{side.value} {body}.")


def _cue(item: SessionItem, step: PlanStep, rounds: int) -> str:
    if step.kind is StepKind.SETUP:
        return f"{item.name}. {item.cue}"
    if step.kind is StepKind.REST:
        return f"Rest {spoken_number(step.seconds)} seconds."
    if step.kind is StepKind.SWITCH_SIDE:
        body = "leg" if item.unit == "reps" else "side"
        return f"Switch to the {step.side.value if step.side else 'other'} {body}."
    # Work: "Left leg. Twelve reps. Set two of three."
    side = step.side or Side.BOTH
    parts = [_side_words(item, side), _amount_words(item, step.amount or 0)]
    if rounds > 1 and step.set_number is not None:
        parts.append(f"Set {spoken_number(step.set_number)} of {spoken_number(rounds)}.")
    return " ".join(part for part in parts if part)
