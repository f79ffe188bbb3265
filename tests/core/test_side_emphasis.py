"""One side gets more work only when the screen shows the difference is real (REFERENCE 2).

A one-sided finding with the other side measured normal, or a measured left/right difference beyond the smallest
real difference, earns the extra set or longer hold; the same finding on both sides, or a difference within
measurement error, does not.
"""

from __future__ import annotations

from typing import Any

import pytest

from hipcoach.core.screen import parse_answers, score_screen
from hipcoach.core.vocabulary import Restriction, Side


def _result(tests: dict[str, Any]) -> Any:
    return score_screen(
        parse_answers({"age": 40, "red_flags": [], "pain_now": 0, "hip_replacement": None, "tests": tests})
    )


def _emphasis(tests: dict[str, Any]) -> dict[Restriction, Side]:
    return {entry.id: entry.side for entry in _result(tests).emphasis}


def test_a_knee_to_wall_difference_within_measurement_error_earns_no_extra_work() -> None:
    # 9 vs 10 cm: the left is under the 10 cm norm, but 1 cm is within the 1.5 cm left/right error.
    result = _result({"knee_to_wall_cm": {"left": 9, "right": 10}})
    assert [finding.side for finding in result.restrictions] == [Side.LEFT]
    assert result.emphasis == []
    assert result.to_profile().emphasis == []


def test_a_real_knee_to_wall_difference_puts_the_extra_work_on_the_stiffer_ankle() -> None:
    [entry] = _result({"knee_to_wall_cm": {"left": 11, "right": 7}}).emphasis
    assert (entry.id, entry.side) == (Restriction.ANKLE_DORSIFLEXION_LIMIT, Side.RIGHT)
    assert "real difference" in entry.reason
    assert "4 cm" in entry.reason


@pytest.mark.parametrize(("left", "right", "expected"), [(24, 38, Side.LEFT), (25, 28, None), (22, 29, None)])
def test_rotation_needs_a_difference_beyond_8_6_degrees(left: int, right: int, expected: Side | None) -> None:
    emphasis = _emphasis({"seated_ir_deg": {"left": left, "right": right}})
    assert emphasis.get(Restriction.HIP_IR_LIMIT) is expected


def test_a_thomas_test_positive_on_one_side_only_names_both_sides_in_the_reason() -> None:
    thomas = {
        "left": {"thigh": "level", "knee": "bent", "thigh_drifts_out": False},
        "right": {"thigh": "raised", "knee": "bent", "thigh_drifts_out": False},
    }
    [entry] = _result({"thomas": thomas}).emphasis
    assert (entry.id, entry.side) == (Restriction.HIP_FLEXOR_TIGHTNESS, Side.RIGHT)
    assert entry.reason == "right tight hip flexors: thigh raised on the Thomas test, left normal."


def test_tight_hip_flexors_on_both_sides_get_no_emphasis() -> None:
    raised = {"thigh": "raised", "knee": "bent", "thigh_drifts_out": False}
    assert _emphasis({"thomas": {"left": raised, "right": raised}}) == {}


def test_one_side_positive_with_the_other_side_not_measured_gets_no_emphasis() -> None:
    # Not measured is never assumed normal.
    assert _emphasis({"active_slr": {"left": 2}}) == {}
    assert _emphasis({"active_slr": {"left": 2, "right": 3}}) == {Restriction.HAMSTRING_TIGHTNESS: Side.LEFT}


def test_different_fault_counts_on_both_sides_are_not_a_known_real_difference() -> None:
    assert _emphasis({"single_leg_squat_faults": {"left": 2, "right": 1}}) == {}
    assert _emphasis({"single_leg_squat_faults": {"left": 0, "right": 2}}) == {
        Restriction.HIP_CONTROL_DEFICIT: Side.RIGHT
    }
