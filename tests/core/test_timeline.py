"""The timeline: every second of a session as a step, each side timed in full, with spoken cues."""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from hipcoach.core.timeline import (
    EQUIPMENT_SETUP_SECONDS,
    FLOOR_FLOOR_TRANSITION_SECONDS,
    FLOOR_STANDING_TRANSITION_SECONDS,
    SETUP_SECONDS,
    SWITCH_SECONDS,
    SessionItem,
    SideDose,
    StepKind,
    Timing,
    build_timeline,
    dose_tuple,
    item_seconds,
    item_totals,
    spoken_number,
    transition_seconds,
)
from hipcoach.core.vocabulary import Equipment, Kind, Position, Side, Sides


def item(
    doses: list[tuple[str, int, int]],
    *,
    unit: str = "hold_seconds",
    sides: Sides = Sides.EACH,
    position: Position = Position.STANDING,
    pace: float | None = None,
    rest: int = 0,
    equipment: list[Equipment] | None = None,
    kind: Kind = Kind.STATIC_STRETCH,
    drill_id: str = "test-drill",
) -> SessionItem:
    data: dict[str, Any] = {
        "drill_id": drill_id,
        "name": "Test drill",
        "kind": kind,
        "position": position,
        "sides": sides,
        "equipment": equipment or [],
        "unit": unit,
        "seconds_per_rep": pace,
        "rest_seconds": rest,
        "doses": [SideDose(side=Side(side), amount=amount, sets=sets) for side, amount, sets in doses],
        "dose": "test",
        "sets": max(sets for _, _, sets in doses),
        "seconds": 0,
        "cue": "Stand tall.",
        "why": ["test"],
    }
    return SessionItem(**data)


def kinds(steps: list[Any]) -> list[str]:
    return [f"{step.kind.value}:{step.side.value}" if step.side else step.kind.value for step in steps]


def test_a_one_sided_hold_is_timed_in_full_on_each_side() -> None:
    steps = build_timeline([item([("left", 30, 1), ("right", 30, 1)])])
    assert kinds(steps) == ["setup", "work:left", "switch-side:right", "work:right"]
    assert [step.seconds for step in steps] == [SETUP_SECONDS, 30, SWITCH_SECONDS[Position.STANDING], 30]
    assert steps[1].cue == "Left side. Hold thirty seconds."
    assert steps[2].cue == "Switch to the right side."
    assert steps[0].cue == "Test drill. Stand tall."


def test_repetitions_are_timed_at_their_pace_and_cued_per_leg() -> None:
    steps = build_timeline([item([("left", 10, 1), ("right", 10, 1)], unit="reps", pace=2.5, kind=Kind.DYNAMIC)])
    work = [step for step in steps if step.kind is StepKind.WORK]
    assert [step.seconds for step in work] == [25, 25]
    assert work[0].cue == "Left leg. Ten reps."
    assert work[1].cue == "Right leg. Ten reps."


def test_sets_alternate_sides_with_the_rest_between_rounds() -> None:
    steps = build_timeline(
        [item([("left", 12, 2), ("right", 12, 2)], unit="reps", pace=3, rest=30, kind=Kind.ACTIVATION)]
    )
    assert kinds(steps) == [
        "setup",
        "work:left",
        "switch-side:right",
        "work:right",
        "rest",
        "work:left",
        "switch-side:right",
        "work:right",
    ]
    assert steps[1].cue == "Left leg. Twelve reps. Set one of two."
    assert steps[4].cue == "Rest thirty seconds."


def test_without_rest_the_runner_switches_back_between_rounds() -> None:
    steps = build_timeline([item([("left", 20, 2), ("right", 20, 2)])])
    assert kinds(steps) == [
        "setup",
        "work:left",
        "switch-side:right",
        "work:right",
        "switch-side:left",
        "work:left",
        "switch-side:right",
        "work:right",
    ]


def test_the_tighter_side_does_its_extra_set_last() -> None:
    steps = build_timeline([item([("left", 20, 2), ("right", 20, 3)], rest=10)])
    assert kinds(steps)[-2:] == ["rest", "work:right"]
    assert sum(1 for step in steps if step.kind is StepKind.WORK and step.side is Side.RIGHT) == 3
    assert sum(1 for step in steps if step.kind is StepKind.WORK and step.side is Side.LEFT) == 2


def test_alternating_drills_time_both_legs_without_switching() -> None:
    steps = build_timeline(
        [item([("left", 10, 1), ("right", 10, 1)], unit="reps", pace=4, sides=Sides.ALTERNATING, kind=Kind.DYNAMIC)]
    )
    assert kinds(steps) == ["setup", "work:left", "work:right"]
    assert [step.seconds for step in steps[1:]] == [40, 40]
    assert steps[1].cue == "Alternating, left leg. Ten reps."


def test_two_legged_drills_have_one_work_step_per_set() -> None:
    steps = build_timeline(
        [item([("both", 15, 2)], unit="reps", pace=3, sides=Sides.BOTH, rest=30, kind=Kind.ACTIVATION)]
    )
    assert kinds(steps) == ["setup", "work:both", "rest", "work:both"]
    assert steps[1].cue == "Both legs. Fifteen reps. Set one of two."


def test_rolling_is_cued_as_rolling_and_equipment_takes_longer_to_set_up() -> None:
    steps = build_timeline(
        [
            item(
                [("left", 45, 1), ("right", 45, 1)],
                unit="duration_seconds",
                kind=Kind.SOFT_TISSUE,
                position=Position.PRONE,
                equipment=[Equipment.FOAM_ROLLER],
            )
        ]
    )
    assert steps[0].seconds == SETUP_SECONDS + EQUIPMENT_SETUP_SECONDS
    assert steps[1].cue == "Left side. Roll for forty-five seconds."
    assert steps[2].seconds == SWITCH_SECONDS[Position.PRONE]


def test_transitions_between_positions_are_steps_of_their_own() -> None:
    standing = item([("left", 20, 1), ("right", 20, 1)], position=Position.STANDING, drill_id="a")
    supine = item([("both", 20, 1)], sides=Sides.BOTH, position=Position.SUPINE, drill_id="b")
    prone = item([("both", 20, 1)], sides=Sides.BOTH, position=Position.PRONE, drill_id="c")
    prone_again = item([("both", 20, 1)], sides=Sides.BOTH, position=Position.PRONE, drill_id="d")
    steps = build_timeline([standing, supine, prone, prone_again])
    transitions = [step for step in steps if step.kind is StepKind.TRANSITION]
    assert [(step.drill_id, step.seconds) for step in transitions] == [
        ("b", FLOOR_STANDING_TRANSITION_SECONDS),
        ("c", FLOOR_FLOOR_TRANSITION_SECONDS),
    ]
    assert transitions[0].cue == "Lie on your back."
    totals = item_totals(steps, 4)
    assert sum(totals) == sum(step.seconds for step in steps)
    assert totals[1] == FLOOR_STANDING_TRANSITION_SECONDS + SETUP_SECONDS + 20


def test_transition_costs_obey_the_triangle_inequality() -> None:
    # The composer relies on it: adding a drill never shortens the rest of the session.
    for before, after, between in product(Position, repeat=3):
        direct = transition_seconds(before, after)
        assert direct <= transition_seconds(before, between) + transition_seconds(between, after)
        assert (direct == 0) == (before is after)


@pytest.mark.parametrize(
    "doses",
    [
        [("left", 30, 1), ("right", 30, 1)],
        [("left", 12, 3), ("right", 12, 2)],
        [("both", 15, 3)],
    ],
)
@pytest.mark.parametrize("rest", [0, 45])
def test_item_seconds_is_the_sum_of_the_items_steps(doses: list[tuple[str, int, int]], rest: int) -> None:
    sides = Sides.BOTH if doses[0][0] == "both" else Sides.EACH
    one = item(doses, unit="reps", pace=2.5, rest=rest, sides=sides, kind=Kind.ACTIVATION)
    steps = build_timeline([one])
    expected = item_seconds(Timing.of(one), dose_tuple(one))
    assert sum(step.seconds for step in steps) == expected


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (15, "fifteen"),
        (20, "twenty"),
        (45, "forty-five"),
        (100, "one hundred"),
        (120, "one hundred twenty"),
    ],
)
def test_numbers_are_spoken_as_words(number: int, words: str) -> None:
    assert spoken_number(number) == words
