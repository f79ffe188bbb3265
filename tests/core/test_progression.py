"""Progression: three easy sessions raise the dose then the drill; pain steps back; red flags stop."""

from __future__ import annotations

from typing import Any

import pytest

from hipcoach.core.catalogue import default_catalogue
from hipcoach.core.planner import compose_session
from hipcoach.core.profile import Profile
from hipcoach.core.progression import (
    Action,
    Decision,
    DoseState,
    DrillLog,
    Rating,
    initial_state,
    next_prescription,
    replay,
    states_by_drill,
)
from hipcoach.core.vocabulary import Side

CATALOGUE = default_catalogue()
BRIDGE = CATALOGUE.get("glute-bridge")  # both legs, 10-15 reps, 2-3 sets -> clamshell
CLAMSHELL = CATALOGUE.get("clamshell")  # one side at a time, after the bridge in the chain
ROLL = CATALOGUE.get("foam-roller-quadriceps-release")  # no chain


def log(state: DoseState, rating: str = "easy", pain: int = 0, **extra: Any) -> DrillLog:
    sides = [Side.BOTH] if state.drill_id == "glute-bridge" else [Side.LEFT, Side.RIGHT]
    data: dict[str, Any] = {
        "drill_id": state.drill_id,
        "amount": state.amount,
        "sets": state.sets,
        "sides_done": sides,
        "rating": Rating(rating),
        "pain": pain,
    }
    data.update(extra)
    return DrillLog(**data)


def decide(state: DoseState, logs: list[DrillLog]) -> Decision:
    return next_prescription(CATALOGUE.get(state.drill_id), state, logs, CATALOGUE)


def test_the_first_prescription_is_the_bottom_of_the_range() -> None:
    assert initial_state(BRIDGE) == DoseState(drill_id="glute-bridge", amount=10, sets=2)


def test_three_easy_sessions_with_pain_at_most_2_raise_the_dose() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state, pain=0), log(state, pain=2), log(state, pain=1)])
    assert decision.action is Action.RAISE_DOSE
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets) == (12, 2)
    assert "3 sessions in a row rated easy" in decision.reason
    assert decision.new_state.reasons == [decision.reason]


@pytest.mark.parametrize(
    "logs",
    [
        [("easy", 0), ("easy", 0)],
        [("easy", 0), ("easy", 3), ("easy", 0)],
        [("easy", 0), ("ok", 0), ("easy", 0)],
    ],
)
def test_fewer_than_three_easy_safe_sessions_in_a_row_keep_the_dose(logs: list[tuple[str, int]]) -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state, rating, pain) for rating, pain in logs])
    assert decision.action is Action.KEEP
    assert decision.new_state == state
    assert "of 3 sessions" in decision.reason


def test_a_one_sided_drill_counts_only_when_both_sides_were_done() -> None:
    state = initial_state(CLAMSHELL)
    half = log(state, sides_done=[Side.LEFT])
    assert decide(state, [log(state), log(state), half]).action is Action.KEEP
    assert decide(state, [log(state), log(state), log(state)]).action is Action.RAISE_DOSE


def test_the_dose_rises_within_its_range_then_a_set_then_the_next_drill() -> None:
    state = initial_state(BRIDGE)
    seen: list[tuple[str, int, int]] = []
    for _ in range(12):
        decision = decide(state, [log(state)] * 3)
        assert decision.new_state is not None
        state = decision.new_state
        seen.append((state.drill_id, state.amount, state.sets))
        if decision.action is Action.PROGRESS:
            break
    assert seen == [
        ("glute-bridge", 12, 2),
        ("glute-bridge", 14, 2),
        ("glute-bridge", 15, 2),
        ("glute-bridge", 10, 3),
        ("glute-bridge", 12, 3),
        ("glute-bridge", 14, 3),
        ("glute-bridge", 15, 3),
        ("clamshell", 10, 2),
    ]
    assert "moving on to Clamshell" in state.reasons[-1]
    assert len(state.reasons) == len(seen), "every change keeps its reason"


def test_the_end_of_a_chain_keeps_the_top_dose() -> None:
    top = DoseState(drill_id="hip-thrust", amount=15, sets=3)
    decision = decide(top, [log(top)] * 3)
    assert decision.action is Action.KEEP
    assert "end of its chain" in decision.reason


def test_hard_keeps_the_dose_even_after_easy_sessions() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state), log(state), log(state, "hard", 1)])
    assert decision.action is Action.KEEP
    assert decision.new_state == state
    assert "rated hard" in decision.reason


def test_pain_above_5_steps_back_a_dose_and_flags_the_drill() -> None:
    state = DoseState(drill_id="glute-bridge", amount=14, sets=2)
    decision = decide(state, [log(state, "ok", 6)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert decision.flagged
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets, decision.new_state.flagged) == (12, 2, True)
    assert "pain 6/10 is above 5/10" in decision.reason


def test_pain_above_5_at_the_lowest_dose_steps_back_to_the_previous_drill() -> None:
    state = initial_state(CLAMSHELL)
    decision = decide(state, [log(state, "hard", 7)])
    assert decision.action is Action.STEP_BACK_DRILL
    assert decision.new_state is not None
    assert decision.new_state.drill_id == "glute-bridge"
    assert (decision.new_state.amount, decision.new_state.sets) == (15, 3)
    assert decision.new_state.flagged


def test_pain_at_the_start_of_a_chain_stays_at_the_lowest_dose_flagged() -> None:
    state = initial_state(ROLL)
    decision = decide(state, [log(state, "ok", 8)])
    assert decision.action is Action.KEEP
    assert decision.flagged
    assert decision.new_state is not None
    assert decision.new_state.flagged
    assert "see a clinician" in decision.reason


def test_pain_worse_the_next_morning_steps_back() -> None:
    state = DoseState(drill_id="glute-bridge", amount=10, sets=3)
    decision = decide(state, [log(state, "easy", 1, next_morning_worse=True)])
    assert decision.action is Action.STEP_BACK_DOSE
    assert decision.new_state is not None
    assert (decision.new_state.amount, decision.new_state.sets) == (10, 2)
    assert "worse the next morning" in decision.reason


@pytest.mark.parametrize("pain", [3, 4, 5])
def test_pain_3_to_5_is_acceptable_and_keeps_the_dose(pain: int) -> None:
    state = initial_state(BRIDGE)
    assert decide(state, [log(state, "easy", pain)] * 3).action is Action.KEEP


def test_a_new_red_flag_stops_the_plan() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state), log(state, red_flag=True)])
    assert decision.action is Action.STOP
    assert decision.new_state is None
    assert "clinician" in decision.reason


def test_a_decision_is_idempotent_the_logs_that_changed_the_dose_no_longer_count() -> None:
    state = initial_state(BRIDGE)
    logs = [log(state)] * 3
    raised = decide(state, logs).new_state
    assert raised is not None
    again = decide(raised, logs)
    assert again.action is Action.KEEP
    assert again.new_state == raised
    painful = [log(raised, "ok", 9)]
    lowered = decide(raised, [*logs, *painful]).new_state
    assert lowered is not None
    assert decide(lowered, [*logs, *painful]).action is Action.KEEP


def test_reasons_are_kept_across_raises_and_step_backs() -> None:
    state = initial_state(BRIDGE)
    logs = [log(state)] * 3
    state_after, decisions = replay("glute-bridge", logs, CATALOGUE)
    assert state_after is not None
    painful = log(state_after, "ok", 7)
    final, more = replay("glute-bridge", [painful], CATALOGUE, state_after)
    assert final is not None
    assert final.reasons == [decisions[-1].reason, more[-1].reason]
    assert "raised" in final.reasons[0]
    assert "lowered" in final.reasons[1]


def test_replay_follows_the_drill_through_its_chain_and_stops_on_a_red_flag() -> None:
    state = initial_state(BRIDGE)
    logs: list[DrillLog] = []
    current = state
    for _ in range(8 * 3):
        entry = log(current)
        logs.append(entry)
        final, _ = replay("glute-bridge", logs, CATALOGUE)
        assert final is not None
        current = final
    assert current.drill_id == "clamshell"
    stopped, decisions = replay("glute-bridge", [*logs, log(current, red_flag=True)], CATALOGUE)
    assert stopped is None
    assert decisions[-1].action is Action.STOP


def test_the_state_for_another_drill_is_refused() -> None:
    with pytest.raises(ValueError, match="state"):
        next_prescription(BRIDGE, initial_state(CLAMSHELL), [], CATALOGUE)


def test_progression_feeds_the_planner() -> None:
    state = initial_state(BRIDGE)
    decision = decide(state, [log(state)] * 3)
    assert decision.new_state is not None
    states = states_by_drill([decision.new_state])
    session = compose_session(Profile(), "strength", 20, None, 1, [], 0, dose_states=states)
    bridge = next(item for item in session.items if item.drill_id == "glute-bridge")
    assert [(dose.amount, dose.sets) for dose in bridge.doses] == [(12, 2)]
    assert any("3 sessions in a row rated easy" in reason for reason in bridge.why)


def test_pain_values_outside_0_to_10_are_refused() -> None:
    with pytest.raises(ValueError, match="pain"):
        DrillLog(drill_id="glute-bridge", amount=10, sets=2, rating=Rating.EASY, pain=11)
